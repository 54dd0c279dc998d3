import type { Ranges } from '../kernels/rng';

/**
 * What the main side may ask of a pool worker. Messages carry kernel ids, sizes, ranges and buffers,
 * never functions (as Comlink's protocol does); the worker looks kernels up in its own registry.
 */
/** A kernel by id; expression kernels ('expr') also carry their source, compiled in the worker. */
export interface KernelRef {
  kernel: string;
  expr?: string;
  ranges?: Ranges;
  /** Which program runs: the kernel's JavaScript (absent) or its WebAssembly. */
  wasm?: { relaxed: boolean };
}

export interface SharedChunk extends KernelRef {
  size: number;
  /** Full-length views over SharedArrayBuffers: zero-copy, the worker indexes them directly. */
  inputs: Float32Array[];
  output: Float32Array;
  start: number;
  end: number;
  /**
   * WebAssembly: the shared memory the arrays live in (their byteOffsets are addresses), and this
   * worker's own room in it: scratch bytes and, for reducing programs, its partial.
   */
  memory?: WebAssembly.Memory;
  scratch?: number;
  partial?: Float32Array;
}

export interface CopiedChunk extends KernelRef {
  size: number;
  /** Slices of each input covering only the span this chunk reads (transferred, not shared). */
  inputs: Float32Array[];
  /** Number of work items; the worker computes items [0, items) of the slices. */
  items: number;
  /** The global number of the chunk's first item. */
  first: number;
  /** Output elements to return (the chunk's output span), ignored by reducing programs. */
  outputLength: number;
}

/** The float64 reference of a kernel's inputs, as Reference has it (the arrays transferred back). */
export interface ReferenceTask extends KernelRef {
  size: number;
  inputs: Float32Array[];
}
export interface ReferenceResult {
  indices: Uint32Array | null;
  values: Float64Array;
  errors?: Float64Array;
}

export interface WorkerApi {
  /** The float64 reference, computed off the page's main thread (a page would freeze for seconds otherwise). */
  reference(task: ReferenceTask): ReferenceResult | Promise<ReferenceResult>;
  /** Writes the chunk's output span into shared memory; returns the partial of a reducing program (else null). */
  runShared(chunk: SharedChunk): Float32Array | null | Promise<Float32Array | null>;
  /** Returns the chunk's output span (transferred back), or the partial of a reducing program. */
  runCopied(chunk: CopiedChunk): Float32Array | Promise<Float32Array>;
  ping(): string;
}
