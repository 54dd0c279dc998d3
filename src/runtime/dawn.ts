import { create, globals } from 'webgpu';
import { type ProbedAdapter, probeAdapters } from '../gpu/adapters';

Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode, ... as in a browser

/**
 * Dawn answers every requestAdapter option with the same adapter; a specific one is chosen when the
 * GPU object is created, with the toggle `adapter=NAME`. Asked for a name it lacks, Dawn's
 * requestAdapter fails with a list of the adapters it has:
 *     no suitable backends found
 *     Available adapters:
 *      * backend: 'vulkan', name: 'SwiftShader Device (Subzero)'
 * This reads the names from that list; an unexpected format gives none (the default adapter remains).
 */
export function parseDawnAdapterList(message: string): { backend: string; name: string }[] {
  const out: { backend: string; name: string }[] = [];
  for (const line of message.split('\n')) {
    const m = /^\s*\*\s*backend:\s*'([^']*)',\s*name:\s*'(.*)'\s*$/.exec(line);
    if (m) out.push({ backend: m[1], name: m[2] });
  }
  return out;
}

/** A name no adapter has, to make Dawn list the ones it has. */
const LIST_PROBE = 'kernel-playground-list-adapters';

let defaultGpu: GPU | null = null;
/** The default GPU object (what `navigator.gpu` would be). */
export function dawnGpu(): GPU {
  defaultGpu ??= create([]);
  return defaultGpu;
}

/** Dawn's adapter names, from the list it prints for an unknown name. */
export async function dawnAdapterNames(): Promise<{ backend: string; name: string }[]> {
  try {
    await create([`adapter=${LIST_PROBE}`]).requestAdapter();
    return [];
  } catch (e) {
    return parseDawnAdapterList(e instanceof Error ? e.message : String(e));
  }
}

let cached: Promise<ProbedAdapter[]> | null = null;
/**
 * Every distinct adapter Dawn offers: the default GPU object's probes first (so the default adapter is
 * first), then one GPU object per listed name.
 */
export function dawnAdapters(): Promise<ProbedAdapter[]> {
  cached ??= (async () => {
    const names = await dawnAdapterNames();
    const gpus = [dawnGpu(), ...names.map((n) => create([`adapter=${n.name}`]))];
    return probeAdapters(gpus);
  })();
  return cached;
}
