/**
 * Running a kernel's WebAssembly program: compiling its module once per (shared, relaxed) form,
 * placing a run's arrays in one WebAssembly.Memory (an arena), and calling the entry point.
 *
 * Convention of every compiled-tier module: it imports `env.memory` (shared when the pool shares it)
 * and the scalar helpers of src/wasm/math.ts, and exports
 *   run(in0, ..., inK-1, out, size, start, end, first, scratch)
 * where in*, out and scratch are byte addresses in that memory and the rest are the CpuProgram's
 * arguments (items [start, end) of a kernel of this size; `first` as CpuProgram documents).
 */
import { InputError } from '../errors';
import type { CpuProgram, KernelSpec } from '../kernels/types';
import { Body, moduleBytes } from './encode';
import { importObject } from './math';

export interface WasmForm {
  shared: boolean;
  relaxed: boolean;
}

/** A kernel's WebAssembly program. */
export interface WasmCode {
  /** The module, in the requested form (bytes are deterministic: main thread and workers compile the same). */
  bytes(form: WasmForm): Uint8Array<ArrayBuffer>;
  /** Bytes of working memory one thread needs (packed panels, ...); none when absent. */
  scratchBytes?(size: number): number;
}

type Entry = (...args: number[]) => void;

/** Arrays in an arena are 64-byte aligned and padded by 16 bytes (a last partial vector may read past the end). */
const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;
const arenaBytes = (floats: number): number => roundUp(4 * floats + 16, 64);
/** Room for `bytes` of working memory in an arena (64-byte aligned, padded like the arrays). */
const scratchSpan = (bytes: number): number => roundUp(bytes + 16, 64);
/** The bytes an arena's contents need: float32 arrays of these lengths and scratch regions of these sizes. */
export function arenaSize(floats: readonly number[], scratch: readonly number[] = []): number {
  return floats.reduce((n, f) => n + arenaBytes(f), 0) + scratch.reduce((n, b) => n + scratchSpan(b), 0);
}

/**
 * A WasmCode whose module is emitted once per form, on first use (bytes are deterministic: the main
 * thread and every worker compile the same).
 */
export function perForm(
  emit: (form: WasmForm) => Uint8Array<ArrayBuffer>,
  scratchBytes?: (size: number) => number,
): WasmCode {
  const forms = new Map<string, Uint8Array<ArrayBuffer>>();
  return {
    bytes(form) {
      const key = `${form.shared}${form.relaxed}`;
      let bytes = forms.get(key);
      if (!bytes) {
        bytes = emit(form);
        forms.set(key, bytes);
      }
      return bytes;
    },
    ...(scratchBytes ? { scratchBytes } : {}),
  };
}
const PAGE = 65536;
/** WebAssembly's 32-bit memories end at 4 GiB (65536 pages). */
const MAX_PAGES = 65536;

let relaxedCache: boolean | undefined;
/** Whether this engine has relaxed SIMD (f32x4.relaxed_madd), detected with WebAssembly.validate. */
export function hasRelaxedSimd(): boolean {
  if (relaxedCache === undefined) {
    const b = new Body([], { inlineConstants: true });
    b.f32x4(1).f32x4(2).f32x4(3).simd('f32x4.relaxed_madd').op('drop');
    try {
      relaxedCache = WebAssembly.validate(
        moduleBytes({ shared: false, imports: [], funcs: [{ params: [], results: [], body: b }] }),
      );
    } catch {
      relaxedCache = false;
    }
  }
  return relaxedCache;
}

/**
 * Why the compiled tier cannot run here, or null: no WebAssembly at all, WebAssembly without SIMD128
 * (older engines), or a Content-Security-Policy without 'wasm-unsafe-eval' (compiling is refused).
 */
export async function wasmUnavailableReason(): Promise<string | null> {
  if (typeof WebAssembly === 'undefined') return 'this browser has no WebAssembly';
  const b = new Body([], { inlineConstants: true });
  b.f32x4(0).op('drop');
  const simd = moduleBytes({ shared: false, imports: [], funcs: [{ params: [], results: [], body: b }] });
  if (!WebAssembly.validate(simd)) return "this browser's WebAssembly has no SIMD128";
  try {
    await WebAssembly.compile(simd);
    return null;
  } catch (e) {
    return `WebAssembly cannot be compiled here (${e instanceof Error ? e.message : String(e)}): a Content-Security-Policy needs 'wasm-unsafe-eval'`;
  }
}

const modules = new WeakMap<WasmCode, Map<string, Promise<WebAssembly.Module>>>();
export function compiledModule(code: WasmCode, form: WasmForm): Promise<WebAssembly.Module> {
  let m = modules.get(code);
  if (!m) {
    m = new Map();
    modules.set(code, m);
  }
  const key = `${form.shared}${form.relaxed}`;
  let p = m.get(key);
  if (!p) {
    p = WebAssembly.compile(code.bytes(form));
    p.catch(() => m?.delete(key));
    m.set(key, p);
  }
  return p;
}

export async function instantiate(
  code: WasmCode,
  form: WasmForm,
  memory: WebAssembly.Memory,
): Promise<Entry> {
  const instance = await WebAssembly.instantiate(await compiledModule(code, form), importObject(memory));
  return instance.exports.run as Entry;
}

/** A run function over arrays that live in the entry's memory (their byteOffsets are the addresses). */
export function bindEntry(entry: Entry, scratch: number): CpuProgram['run'] {
  return (inputs, out, size, start, end, first = 0) => {
    entry(...inputs.map((x) => x.byteOffset), out.byteOffset, size, start, end, first, scratch);
  };
}

/** One WebAssembly.Memory holding a run's arrays, allocated once at its full size (views stay valid). */
export class WasmArena {
  readonly memory: WebAssembly.Memory;
  private top = 64;

  constructor(
    bytes: number,
    readonly shared: boolean,
  ) {
    const pages = Math.max(1, Math.ceil((bytes + 64) / PAGE));
    if (pages > MAX_PAGES) {
      throw new InputError(
        `the run needs ${(bytes / 2 ** 30).toFixed(1)} GiB of WebAssembly memory; a WebAssembly memory holds at most 4 GiB: choose a smaller size or code js`,
      );
    }
    this.memory = new WebAssembly.Memory(
      shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages },
    );
  }

  /** A zeroed float32 array in the arena. */
  alloc(floats: number): Float32Array {
    const v = new Float32Array(this.memory.buffer, this.top, floats);
    this.top += arenaBytes(floats);
    return v;
  }

  copyIn(src: Float32Array): Float32Array {
    const v = this.alloc(src.length);
    v.set(src);
    return v;
  }

  /** A byte address of `bytes` bytes of working memory. */
  allocBytes(bytes: number): number {
    const at = this.top;
    this.top += scratchSpan(bytes);
    return at;
  }
}

/** The WebAssembly form of a kernel's CPU program over one arena: the same splitting, another `run`. */
export interface WasmBound {
  arena: WasmArena;
  inputs: Float32Array[];
  output: Float32Array;
  cpu: CpuProgram;
}

/**
 * A run's arena: the inputs copied in, room for the output (or a reducing program's partial), the
 * scratch the program needs, and the program bound to it.
 */
export async function bindKernel(
  kernel: KernelSpec,
  size: number,
  inputs: readonly Float32Array[],
  outputLength: number,
  form: WasmForm,
): Promise<WasmBound> {
  const code = kernel.wasm;
  if (!code) throw new Error(`kernel '${kernel.id}' has no WebAssembly program`);
  const scratch = code.scratchBytes?.(size) ?? 0;
  const arena = new WasmArena(
    arenaSize([...inputs.map((x) => x.length), outputLength], [scratch]),
    form.shared,
  );
  const inArena = inputs.map((x) => arena.copyIn(x));
  const output = arena.alloc(outputLength);
  const scratchAt = arena.allocBytes(scratch);
  const entry = await instantiate(code, form, arena.memory);
  return { arena, inputs: inArena, output, cpu: { ...kernel.cpu, run: bindEntry(entry, scratchAt) } };
}

/**
 * A thread's own memory for copied chunks (the pool without shared memory): grown as needed, reused
 * between calls, one instance per module.
 */
export class PrivateWasm {
  private memory = new WebAssembly.Memory({ initial: 1 });
  private readonly entries = new WeakMap<WasmCode, Map<string, Promise<Entry>>>();

  private entry(code: WasmCode, form: WasmForm): Promise<Entry> {
    let m = this.entries.get(code);
    if (!m) {
      m = new Map();
      this.entries.set(code, m);
    }
    const key = `${form.relaxed}`;
    let e = m.get(key);
    if (!e) {
      e = instantiate(code, form, this.memory);
      // a failure is reported once, not kept: the next call tries again
      e.catch(() => m?.delete(key));
      m.set(key, e);
    }
    return e;
  }

  /** Runs items [0, items) of copied slices; returns the chunk's output (a copy, transferable). */
  async run(
    kernel: KernelSpec,
    relaxed: boolean,
    size: number,
    slices: readonly Float32Array[],
    outputLength: number,
    items: number,
    first: number,
  ): Promise<Float32Array> {
    const code = kernel.wasm;
    if (!code) throw new Error(`kernel '${kernel.id}' has no WebAssembly program`);
    const entry = await this.entry(code, { shared: false, relaxed });
    const scratch = code.scratchBytes?.(size) ?? 0;
    const need = 64 + arenaSize([...slices.map((x) => x.length), outputLength], [scratch]);
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      const pages = Math.ceil((need - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES)
        throw new InputError('a chunk does not fit in a WebAssembly memory (4 GiB)');
      this.memory.grow(pages);
    }
    let at = 64;
    const buf = this.memory.buffer;
    const place = (n: number) => {
      const v = new Float32Array(buf, at, n);
      at += arenaBytes(n);
      return v;
    };
    const ins = slices.map((s) => {
      const v = place(s.length);
      v.set(s);
      return v;
    });
    const out = place(outputLength);
    bindEntry(entry, at)(ins, out, size, 0, items, first);
    return out.slice();
  }
}
