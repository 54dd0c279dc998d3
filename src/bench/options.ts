import { MAX_WORKERS, MIN_WORKERS } from '../backends/pool';
import { BACKEND_KINDS, type BackendKind, CPU_CODES, type CpuCode } from '../backends/types';
import { InputError } from '../errors';
import { cachedExpression, parseRanges, type Ranges, type VarInput } from '../expr/kernel';
import { gpuPrograms, noSuchVariant } from '../kernels/gpu-program';
import { registry } from '../kernels/registry';
import type { KernelSpec } from '../kernels/types';
import { DEFAULT_REPS, DEFAULT_WARMUP, MAX_REPS, MAX_WARMUP } from './runner';

/** What a run asks for: the same options from the UI, the URL, the CLI and the embed. */
export interface RunOptions {
  /** A built-in kernel id; ignored when `expr` is given (the kernel is then "expr"). */
  kernel?: string;
  expr?: string;
  /** Expression input ranges: "a:0:10,b:-1:1" (optionsObject also takes { a: [0, 10] }); [-1, 1] when not given. */
  ranges?: string | Ranges;
  size?: number;
  seed?: number;
  backends?: BackendKind[];
  /** Which code the CPU backends run: JavaScript, WebAssembly, or both (the default: a row each). */
  code?: CpuCode[];
  /**
   * The speedup ladder: one kernel as JavaScript on the main thread, WebAssembly on the main thread,
   * WebAssembly in the pool and WebGPU, in that order (backends and code are then implied).
   */
  ladder?: boolean;
  workers?: number;
  adapter?: string[];
  reps?: number;
  warmup?: number;
  /** Pin a GPU program variant (its id, as records carry it); otherwise the tuner chooses per adapter. */
  variant?: string;
  /**
   * 'device': WebGPU uploads once, repeats the kernel on GPU-resident data and reads back once (the
   * row's time is the kernel's per repetition; upload and readback shown apart). Default 'host'.
   */
  residency?: 'host' | 'device';
  /** Time the GPU variants again though a choice is remembered (the page's Re-tune; not a URL option). */
  retune?: boolean;
}

export interface ResolvedOptions {
  kernel: string;
  /** The kernel itself (a built-in one, or compiled from the expression), looked up once. */
  spec: KernelSpec;
  expr?: string;
  ranges: Ranges;
  size: number;
  seed: number;
  backends: BackendKind[];
  code: CpuCode[];
  ladder: boolean;
  workers?: number;
  adapter: string[];
  reps: number;
  warmup: number;
  variant: string | null;
  retune: boolean;
  residency: 'host' | 'device';
}

export { InputError };

/** The options every front end reads as text: URL parameters, CLI flags, widget attributes. */
export const OPTION_NAMES = [
  'kernel',
  'expr',
  'ranges',
  'size',
  'seed',
  'backends',
  'code',
  'ladder',
  'workers',
  'adapter',
  'reps',
  'warmup',
  'variant',
  'residency',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

/** Where option text comes from. */
export interface OptionText {
  get(name: OptionName): string | null | undefined;
  /** How the source names an option in messages: `kernel` in a URL or attribute, `--kernel ID` on the CLI. */
  spell?(name: OptionName): string;
  /** The kernel when neither kernel nor expr is given; without one, that is an error. */
  defaultKernel?: string;
}

/**
 * The one parser from text to run options, for the URL, the CLI and `<kernel-race>`: the same checks
 * in the same order with the same messages everywhere. Values are checked for form here (numbers,
 * backend names); resolveOptions checks ranges and limits.
 */
export function readOptions(src: OptionText): RunOptions {
  const spell = src.spell ?? ((n: OptionName) => n);
  const text = (n: OptionName) => src.get(n) ?? undefined;
  const expr = text('expr');
  const kernel = text('kernel');
  if (expr !== undefined && kernel !== undefined && kernel !== 'expr') {
    throw new InputError(`give ${spell('kernel')} or ${spell('expr')}, not both`);
  }
  if (expr === undefined && kernel === undefined && src.defaultKernel === undefined) {
    throw new InputError(`give ${spell('kernel')} (one of ${registry.ids().join(', ')}) or ${spell('expr')}`);
  }
  const ranges = text('ranges');
  const backends = text('backends');
  const adapter = text('adapter');
  const o: RunOptions = {
    ...(expr !== undefined
      ? { expr, ...(ranges !== undefined ? { ranges } : {}) }
      : { kernel: kernel ?? src.defaultKernel }),
  };
  // Backends first, then the numbers: the order the checks have always had.
  if (backends !== undefined) o.backends = parseBackends(backends);
  const code = text('code');
  if (code !== undefined) o.code = parseCodes(code);
  const ladder = text('ladder');
  if (ladder !== undefined) o.ladder = flag(spell('ladder'), ladder);
  const variant = text('variant');
  if (variant !== undefined && variant.trim() !== '') o.variant = variant.trim();
  const residency = text('residency');
  if (residency !== undefined) o.residency = parseResidency(residency);
  const raw: Partial<Record<string, string>> = {};
  for (const n of ['size', 'seed', 'workers', 'reps', 'warmup'] as const) {
    const t = text(n);
    const v = numberText(n, t);
    if (v === undefined) continue;
    o[n] = v;
    if (t !== undefined && t.trim() !== String(v)) raw[n] = t.trim();
  }
  typed.set(o, raw);
  if (adapter !== undefined)
    o.adapter = adapter
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return o;
}

/**
 * An integer option as the user typed it (URL, CLI, widget attribute): absent stays undefined; text
 * that is not a number is refused with that text. Range checks come later, in resolveOptions.
 */
export function numberText(name: string, v: string | null | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  const n = v.trim() === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n)) throw new InputError(`${name} must be an integer, got '${v}'`);
  return n;
}

/**
 * Numbers as the user typed them, for messages: `1e30` or `99999999999999999999` is echoed as written,
 * not as the float it became (1e+30, 100000000000000000000). Kept beside the options readOptions made.
 */
const typed = new WeakMap<RunOptions, Partial<Record<string, string>>>();

function intIn(name: string, v: unknown, lo: number, hi: number, asTyped?: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || !Number.isInteger(n)) {
    throw new InputError(`${name} must be an integer from ${lo} to ${hi}, got '${String(v)}'`);
  }
  if (n < lo || n > hi)
    throw new InputError(`${name} must be an integer from ${lo} to ${hi}, got ${asTyped ?? n}`);
  return n;
}

export function parseBackends(v: string | readonly string[]): BackendKind[] {
  const list = (typeof v === 'string' ? v.split(',') : [...v]).map((s) => s.trim()).filter(Boolean);
  if (!list.length) throw new InputError(`backends must name at least one of ${BACKEND_KINDS.join(', ')}`);
  for (const b of list) {
    if (!(BACKEND_KINDS as readonly string[]).includes(b)) {
      throw new InputError(`unknown backend '${b}': choose from ${BACKEND_KINDS.join(', ')}`);
    }
  }
  return [...new Set(list)] as BackendKind[];
}

/** A yes/no option as text: an attribute present with no value, 1/true, or 0/false. */
function flag(name: string, v: string): boolean {
  if (['', '1', 'true'].includes(v.trim())) return true;
  if (['0', 'false'].includes(v.trim())) return false;
  throw new InputError(`${name} must be 1 or true (or 0 or false), got '${v}'`);
}

export function parseCodes(v: string | readonly string[]): CpuCode[] {
  const list = (typeof v === 'string' ? v.split(',') : [...v]).map((s) => s.trim()).filter(Boolean);
  if (!list.length) throw new InputError(`code must name at least one of ${CPU_CODES.join(', ')}`);
  for (const c of list) {
    if (!(CPU_CODES as readonly string[]).includes(c)) {
      throw new InputError(
        `unknown code '${c}': choose from ${CPU_CODES.join(', ')} (js: the JavaScript loop; wasm: WebAssembly SIMD)`,
      );
    }
  }
  return CPU_CODES.filter((c) => list.includes(c));
}

/**
 * Host memory one run may use for its inputs and output: 2 GiB. More is legal for the kernels but is
 * not a sane share of a browser tab's memory (and a float64 reference and the pool's shared copy come
 * on top); the GPU's own limits are checked against each device when it prepares.
 */
export const HOST_BUDGET_BYTES = 2 * 2 ** 30;

export function hostBytes(k: KernelSpec, size: number): number {
  let bytes = 4 * k.outputLength(size);
  for (let i = 0; i < k.inputNames.length; i++) bytes += 4 * k.inputLength(size, i);
  return bytes;
}

/** Checks every option and fills in defaults; throws InputError naming the bad value. */
export function resolveOptions(o: RunOptions): ResolvedOptions {
  let k: KernelSpec;
  let ranges: Ranges = {};
  if (o.expr !== undefined) {
    if (typeof o.expr !== 'string') throw new InputError('expr must be a string');
    ranges = typeof o.ranges === 'string' ? parseRanges(o.ranges) : (o.ranges ?? {});
    k = cachedExpression(o.expr, ranges).kernel; // throws ExprError (an InputError) with a column
  } else {
    if (typeof o.kernel !== 'string' || !o.kernel) {
      throw new InputError(
        `no kernel given: name one of ${registry.ids().join(', ')}, or give an expression`,
      );
    }
    if (!registry.has(o.kernel)) {
      throw new InputError(`unknown kernel '${o.kernel}': choose one of ${registry.ids().join(', ')}`);
    }
    k = registry.get(o.kernel);
  }
  const asTyped = typed.get(o) ?? {};
  const size =
    o.size === undefined ? k.defaultSize : intIn('size', o.size, k.minSize, k.maxSize, asTyped.size);
  const sizeError = k.sizeError?.(size);
  if (sizeError) throw new InputError(sizeError);
  const need = hostBytes(k, size);
  if (need > HOST_BUDGET_BYTES) {
    const mib = (b: number) => `${Math.ceil(b / 2 ** 20)} MiB`;
    throw new InputError(
      `size ${size} needs ${mib(need)} for ${k.id === 'expr' ? 'the expression' : k.id}'s inputs and output; a run may use at most ${mib(HOST_BUDGET_BYTES)}: choose a smaller size`,
    );
  }
  const seed = o.seed === undefined ? 1 : intIn('seed', o.seed, 0, 2 ** 32 - 1, asTyped.seed);
  const reps = o.reps === undefined ? DEFAULT_REPS : intIn('reps', o.reps, 1, MAX_REPS, asTyped.reps);
  const warmup =
    o.warmup === undefined ? DEFAULT_WARMUP : intIn('warmup', o.warmup, 0, MAX_WARMUP, asTyped.warmup);
  const workers =
    o.workers === undefined
      ? undefined
      : intIn('workers', o.workers, MIN_WORKERS, MAX_WORKERS, asTyped.workers);
  const backends = o.backends === undefined ? [...BACKEND_KINDS] : parseBackends(o.backends);
  const adapter = (o.adapter ?? []).map((s) => s.trim()).filter(Boolean);
  const code = o.code === undefined ? [...CPU_CODES] : parseCodes(o.code);
  if (o.ladder !== undefined && typeof o.ladder !== 'boolean')
    throw new InputError('ladder must be true or false');
  let variant: string | null = null;
  if (o.variant !== undefined) {
    const ids = gpuPrograms(k).map((p) => p.variant);
    if (typeof o.variant !== 'string' || !ids.includes(o.variant))
      throw new InputError(noSuchVariant(k, String(o.variant)));
    variant = o.variant;
  }
  if (o.residency !== undefined) parseResidency(String(o.residency)); // an options object is checked too
  return {
    code,
    ladder: o.ladder === true,
    residency: o.residency === 'device' ? 'device' : 'host',
    variant,
    retune: o.retune === true,
    kernel: k.id,
    spec: k,
    ranges,
    size,
    seed,
    reps,
    warmup,
    workers,
    backends,
    adapter,
    ...(o.expr !== undefined ? { expr: o.expr } : {}),
  };
}

/** 'host' or 'device' as typed; throws for anything else. */
function parseResidency(v: string): 'host' | 'device' {
  const t = v.trim();
  if (t === 'host' || t === 'device') return t;
  throw new InputError(
    `residency must be host or device, got '${v}' (device: the data stays on the GPU between repetitions)`,
  );
}

/** A worker count as typed (`eval --workers`), checked as `run` checks it. */
export function workersOption(v: string | undefined): number | undefined {
  const n = numberText('workers', v);
  return n === undefined ? undefined : intIn('workers', n, MIN_WORKERS, MAX_WORKERS);
}

const OPTION_KEYS = new Set<string>(OPTION_NAMES);

/** One range of an options object: [LOW, HIGH], a VarInput, or text as in the URL ("0:10", "normal:0:1"). */
function rangeText(name: string, v: unknown): string {
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number'))
    return `${name}:${v[0]}:${v[1]}`;
  const o = v as Partial<VarInput> | null;
  if (o && typeof o === 'object' && o.dist === 'uniform') return `${name}:${o.lo}:${o.hi}`;
  if (o && typeof o === 'object' && o.dist === 'normal') return `${name}:normal:${o.mean}:${o.sd}`;
  if (typeof v === 'string') return `${name}:${v}`;
  throw new InputError(
    `bad range for '${name}': give [LOW, HIGH], { dist: 'normal', mean, sd } or 'LOW:HIGH', e.g. { ${name}: [0, 10] }`,
  );
}

/**
 * Options given as an object (`window.playground.run(...)`): checked with the URL's messages, ranges
 * normalised to their text form (so the URL and the controls show them as given).
 */
export function optionsObject(o: unknown): RunOptions {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new InputError("run takes an options object, e.g. { kernel: 'sq2', size: 1000000 }");
  }
  const unknown = Object.keys(o).filter((k) => !OPTION_KEYS.has(k));
  if (unknown.length) {
    throw new InputError(
      `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}: the options are ${[...OPTION_KEYS].join(', ')}`,
    );
  }
  const r = o as RunOptions & { ranges?: unknown };
  if (r.ranges === undefined || typeof r.ranges === 'string') return r;
  if (typeof r.ranges !== 'object' || r.ranges === null)
    throw new InputError('ranges must be an object or text');
  const text = Object.entries(r.ranges as Record<string, unknown>)
    .map(([k, v]) => rangeText(k, v))
    .join(',');
  parseRanges(text); // the URL's checks and messages
  return { ...r, ranges: text };
}
