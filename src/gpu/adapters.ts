/**
 * Adapter enumeration as webgpureport.org does it: request an adapter with each option set, keep the
 * distinct ones (fingerprinted by info, features and limits), and give each a stable id and a label.
 * Browsers may ignore powerPreference and may expose only some of a machine's GPUs.
 */
export type AdapterMode = 'core' | 'compatibility';

export interface AdapterDescription {
  id: string;
  label: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  fallback: boolean;
  mode: AdapterMode;
  features: string[];
  limits: Record<string, number>;
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
}

/** The limits that matter here, copied as plain numbers (adapter objects cannot be posted or cloned). */
export const KEY_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
] as const;

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A short id from what the adapter reports, the same in browsers and Node: `swiftshader`, `llvmpipe`,
 * `nvidia-h100-80gb-hbm3`; compatibility adapters get `compat-`; clashes are resolved by assignIds.
 */
export function baseId(
  info: { vendor: string; architecture: string; device: string; description: string },
  mode: AdapterMode,
  fallback: boolean,
): string {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  let id: string;
  if (text.includes('swiftshader')) id = 'swiftshader';
  else if (text.includes('llvmpipe')) id = 'llvmpipe';
  else {
    // The description's head ("NVIDIA H100 80GB HBM3", "llvmpipe: Mesa ..." -> before ':' or '(').
    const head = info.description.split(/[:(]/)[0] ?? '';
    id = slug(head) || slug(`${info.vendor} ${info.architecture}`) || slug(info.device);
  }
  if (!id) id = mode === 'compatibility' ? 'opengles' : fallback ? 'software' : 'gpu';
  return mode === 'compatibility' ? `compat-${id}` : id;
}

export function adapterLabel(
  d: Pick<AdapterDescription, 'vendor' | 'architecture' | 'description' | 'fallback' | 'mode'>,
): string {
  const parts = [d.vendor, d.architecture, d.description].filter((s) => s && s.length > 0);
  const lower = parts.join(' ').toLowerCase();
  let name: string;
  if (lower.includes('swiftshader')) name = 'SwiftShader';
  else if (lower.includes('llvmpipe')) name = 'llvmpipe';
  else if (parts.length) name = d.description || parts.join(' · ');
  else
    name =
      d.mode === 'compatibility'
        ? 'compatibility (OpenGL ES) adapter'
        : d.fallback
          ? 'software (CPU) adapter'
          : 'GPU';
  const notes: string[] = [];
  if (d.fallback && !name.includes('software')) notes.push('software');
  if (d.mode === 'compatibility' && !name.includes('compatibility')) notes.push('compatibility');
  return notes.length ? `${name} (${notes.join(', ')})` : name;
}

/** Gives each description its final id: base ids, then `-2`, `-3` for clashes in probe order. */
export function assignIds<T extends { id: string }>(items: T[]): T[] {
  const seen = new Map<string, number>();
  for (const it of items) {
    const n = (seen.get(it.id) ?? 0) + 1;
    seen.set(it.id, n);
    if (n > 1) it.id = `${it.id}-${n}`;
  }
  return items;
}

/** Two probes found the same adapter when everything it reports is the same. */
export function fingerprint(d: Omit<AdapterDescription, 'id' | 'label'>): string {
  return JSON.stringify([
    d.vendor,
    d.architecture,
    d.device,
    d.description,
    d.fallback,
    d.mode,
    [...d.features].sort(),
    d.limits,
    d.subgroupMinSize,
    d.subgroupMaxSize,
  ]);
}

export function describeAdapter(
  adapter: GPUAdapter,
  mode: AdapterMode,
): Omit<AdapterDescription, 'id' | 'label'> {
  const info = adapter.info;
  const limits: Record<string, number> = {};
  for (const k of KEY_LIMITS) limits[k] = Number((adapter.limits as unknown as Record<string, number>)[k]);
  const features = [...adapter.features].map(String).sort();
  // A compatibility request can return a core adapter (Dawn does): the mode is what the adapter is.
  const realMode: AdapterMode =
    mode === 'compatibility' && !features.includes('core-features-and-limits') ? 'compatibility' : 'core';
  const infoAny = info as GPUAdapterInfo & {
    subgroupMinSize?: number;
    subgroupMaxSize?: number;
    isFallbackAdapter?: boolean;
  };
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    fallback: Boolean(infoAny.isFallbackAdapter ?? legacy.isFallbackAdapter ?? false),
    mode: realMode,
    features,
    limits,
    subgroupMinSize: infoAny.subgroupMinSize,
    subgroupMaxSize: infoAny.subgroupMaxSize,
  };
}

export interface ProbedAdapter {
  desc: AdapterDescription;
  adapter: GPUAdapter;
  /** The GPU object and options that found it: an adapter makes one device, so a device lost later
   * needs a fresh adapter from the same request. */
  gpu: GPU;
  options: GPURequestAdapterOptions;
}

type ProbeOptions = GPURequestAdapterOptions & { featureLevel?: string };
export const PROBES: readonly ProbeOptions[] = [
  {},
  { powerPreference: 'high-performance' },
  { powerPreference: 'low-power' },
  { forceFallbackAdapter: true },
  { featureLevel: 'compatibility' },
];

/**
 * Requests an adapter with each probe option set on each GPU object (a browser has one, `navigator.gpu`;
 * Dawn in Node gets one per named adapter) and keeps the distinct ones, in probe order, with final ids.
 */
export async function probeAdapters(gpus: GPU | readonly GPU[]): Promise<ProbedAdapter[]> {
  const found: ProbedAdapter[] = [];
  const prints = new Set<string>();
  for (const gpu of Array.isArray(gpus) ? gpus : [gpus as GPU]) {
    for (const options of PROBES) {
      let adapter: GPUAdapter | null = null;
      try {
        adapter = await gpu.requestAdapter(options);
      } catch {
        adapter = null;
      }
      if (!adapter) continue;
      const d = describeAdapter(adapter, options.featureLevel === 'compatibility' ? 'compatibility' : 'core');
      const fp = fingerprint(d);
      if (prints.has(fp)) continue;
      prints.add(fp);
      found.push({
        adapter,
        gpu,
        options,
        desc: { ...d, id: baseId(d, d.mode, d.fallback), label: adapterLabel(d) },
      });
    }
  }
  assignIds(found.map((f) => f.desc));
  return found;
}
