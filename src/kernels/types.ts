/**
 * A kernel is data: how to make its inputs, one pure CPU implementation over a range of work items,
 * a WGSL program, a float64 reference and a tolerance. Backends only know this interface.
 *
 * Work items: the CPU function is called on [start, end) of `items(size)`. For elementwise kernels an
 * item is an element, for matmul a row of C, for reductions an element of the input (each range
 * yields one partial, combined pairwise).
 */
import type { Ranges } from './rng';

export type KernelKind = 'elementwise' | 'rows' | 'reduction';

export interface Reference {
  /** Indices into the output that `values` describe; null means every output element, in order. */
  indices: Uint32Array | null;
  values: Float64Array;
  /** Per-value absolute error bounds added to the tolerance (expression kernels derive them per element). */
  errors?: Float64Array;
}

export interface Tolerance {
  /** An output passes when |got - ref| <= abs + rel * |ref|; NaN never passes unless ref is NaN. */
  abs: number;
  rel: number;
}

export interface GpuProgram {
  /** Shader file id in shaders/ (without .wgsl), or a name for generated code. */
  shader: string;
  /** Generated WGSL (expression kernels); otherwise the shader file is used. */
  code?: string;
  /** Reductions: the shader for passes after the first (partials -> partials); else `main` serves all. */
  reduce?: { code: string; entryPoint: string };
  entryPoint: string;
  /** Fixed workgroup size in threads (when the shader has no WG override), else null. */
  fixedWorkgroup?: number;
  /**
   * The shader's Params as 32-bit words, packed in order; the last is `offset`, the first workgroup
   * (or matmul tile) of this submission: large runs are split so no submission runs for long.
   */
  uniforms(size: number, offset: number): ArrayBuffer;
}

export interface KernelSpec {
  id: string;
  title: string;
  /** One line for the UI: what it computes and what bounds it. */
  summary: string;
  kind: KernelKind;
  /** Name of `size` in the UI ("elements" or "n (n×n matrices)"). */
  sizeLabel: string;
  defaultSize: number;
  /** Smallest and largest legal size before device limits. */
  minSize: number;
  maxSize: number;
  /** Not listed in the UI or CLI help (fault injection for tests). */
  hidden?: boolean;
  /** Expression kernels: what they were compiled from, so a worker can compile the same kernel. */
  source?: { expr: string; ranges: Ranges };
  inputNames: readonly string[];
  inputLength(size: number, input: number): number;
  makeInputs(size: number, seed: number): Float32Array[];
  outputLength(size: number): number;
  items(size: number): number;
  /** Input element range a work-item range [start, end) reads, for copying slices to workers. */
  inputSpan(size: number, input: number, start: number, end: number): [number, number];
  /** Output element range a work-item range writes (ignored for reductions). */
  outputSpan(size: number, start: number, end: number): [number, number];
  /**
   * Pure: no DOM, no globals. Elementwise and rows kernels write `out` over the output span of
   * [start, end); reductions write one partial to out[0]. Called with views where index 0 is the
   * start of each array's span when the pool copies slices (start = 0 then).
   */
  cpu(inputs: readonly Float32Array[], out: Float32Array, size: number, start: number, end: number): void;
  /** Reductions: combines per-chunk partials into the final value(s). */
  combine?(partials: Float32Array): Float32Array;
  reference(inputs: readonly Float32Array[], size: number): Reference;
  tolerance(size: number): Tolerance;
  work(size: number): { flops: number; bytes: number };
  gpu: GpuProgram;
}
