import { InputError, KernelError } from '../errors';
import { type DeviceTraits, shaderCode } from '../kernels/gpu-program';
import type { GpuPlan, GpuShader, KernelSpec } from '../kernels/types';

/** Pipelines kept per device (each distinct expression compiles its own). */
export const MAX_PIPELINES = 64;
const PREFERRED_WG = 256;

/** Largest power of two <= x. */
function floorPow2(x: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, x)));
}

/** The override WG: the largest power of two <= 256 this device allows (compatibility devices: 128). */
export function workgroupSize(limits: GPUSupportedLimits): number {
  return floorPow2(
    Math.min(PREFERRED_WG, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX),
  );
}

/** What a device offers that GPU program variants may need (see ineligible). */
export function deviceTraits(device: GPUDevice): DeviceTraits {
  return {
    maxInvocations: device.limits.maxComputeInvocationsPerWorkgroup,
    features: new Set([...device.features]),
  };
}

/** A 1D count of workgroups laid out in 2D when it exceeds the per-dimension limit. */
export function grid(groups: number, maxPerDim: number): [number, number, number] {
  const x = Math.min(groups, maxPerDim);
  const y = Math.ceil(groups / x);
  if (y > maxPerDim)
    throw new InputError(
      `the dispatch needs ${groups} workgroups, more than this device allows; choose a smaller size`,
    );
  return [x, y, 1];
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 0)} MiB`;
}

/** Refuses, naming the limit, any buffer (input, output or a plan's scratch) a device cannot create or bind. */
export function checkLimits(
  limits: GPUSupportedLimits,
  kernel: KernelSpec,
  size: number,
  plan: GpuPlan,
  adapterLabel: string,
): void {
  const arrays = [
    ...kernel.inputNames.map((name, i) => ({ name, bytes: 4 * kernel.inputLength(size, i) })),
    { name: 'output', bytes: 4 * kernel.outputLength(size) },
    ...plan.scratch.map((s) => ({ name: s.name, bytes: 4 * s.length })),
  ];
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const which =
    limits.maxStorageBufferBindingSize <= limits.maxBufferSize
      ? 'maxStorageBufferBindingSize'
      : 'maxBufferSize';
  for (const { name, bytes } of arrays) {
    if (bytes > limit) {
      throw new InputError(
        `size ${size} needs a ${mib(bytes)} buffer for ${kernel.id}'s ${name}, but ${adapterLabel} allows at most ${mib(limit)} (${which}); choose a smaller size`,
      );
    }
  }
}

/**
 * Compiled pipelines of one device, by (code, entry point, workgroup size), least recently used out
 * beyond MAX_PIPELINES. A shader that does not compile rejects with its messages and is not kept.
 */
export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  /** The pipeline of a shader at a workgroup size (ignored by shaders with a fixed one). */
  get(shader: GpuShader, wg: number): Promise<GPUComputePipeline> {
    const code = shaderCode(shader);
    const usesWg = shader.workgroup === 'device';
    const key = `${usesWg ? wg : 'fixed'}:${code}`;
    let p = this.pipelines.get(key);
    if (p) {
      this.pipelines.delete(key); // most recently used last
      this.pipelines.set(key, p);
      return p;
    }
    p = (async () => {
      const module = this.device.createShaderModule({ code, label: shader.label });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === 'error');
      if (errors.length) {
        throw new KernelError(
          `${shader.label} does not compile: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`,
        );
      }
      return this.device.createComputePipelineAsync({
        label: `${shader.label} (WG=${usesWg ? wg : shader.workgroup})`,
        layout: 'auto',
        compute: { module, entryPoint: 'main', constants: usesWg ? { WG: wg } : {} },
      });
    })();
    p.catch(() => this.pipelines.delete(key));
    this.pipelines.set(key, p);
    while (this.pipelines.size > MAX_PIPELINES)
      this.pipelines.delete(this.pipelines.keys().next().value as string);
    return p;
  }
}
