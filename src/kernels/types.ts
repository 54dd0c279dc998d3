/**
 * A kernel is data: how to make its inputs, a float64 reference and a tolerance, and one program per
 * code target. Backends only know this interface and execute programs generically: the CPU program
 * says how its work splits into chunks and how partials combine; the GPU program says which shaders
 * it has (bindings and uniforms declared once, from which the WGSL header and the host packing are
 * generated) and plans its passes for a size.
 */
import type { WasmCode } from '../wasm/runtime';
import type { Ranges } from './rng';

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

/**
 * Pure CPU code over a range of work items: no DOM, no globals. The same function runs on the main
 * thread (one range) and in each pool worker (one chunk each).
 *
 * `run(inputs, out, size, start, end)` writes the output span of items [start, end) into `out`; a
 * reducing program (with `reduce`) writes `reduce.width` partial values to out[0..width) instead.
 * When the pool copies slices (no shared memory), `inputs` and `out` are views whose index 0 is the
 * start of each span, start = 0, and `first` is the global number of the chunk's first item (0 otherwise:
 * a program whose result depends on an item's own number, a random stream's counter, adds it).
 */
export interface CpuProgram {
  /** How many work items a size has (elements, rows of a matrix, ...). */
  items(size: number): number;
  /** Chunk boundaries are multiples of this many items (64 floats = 256 bytes avoids false sharing). */
  align: number;
  /** Input element range that items [start, end) read, for copying slices to workers. */
  inputSpan(size: number, input: number, start: number, end: number): [number, number];
  /** Output element range that items [start, end) write (unused by reducing programs). */
  outputSpan(size: number, start: number, end: number): [number, number];
  /** Reducing programs: the width of one chunk's partial and how the chunks' partials combine. */
  reduce?: {
    width: number;
    /** `partials` holds chunks × width values in chunk order; returns the kernel's output. */
    combine(partials: Float32Array, size: number): Float32Array;
  };
  run(
    inputs: readonly Float32Array[],
    out: Float32Array,
    size: number,
    start: number,
    end: number,
    first?: number,
  ): void;
}

export type WgslScalar = 'u32' | 'f32';

/**
 * One WGSL shader of a GPU program. Its header is generated from the declarations: `struct Params`
 * with the uniforms and then `offset: u32` (the executor's: the first workgroup of a submission),
 * `@binding(0)` the params, then one storage binding per entry of `bindings`. The body uses
 * `params.NAME`, the binding names, and `WG` when `workgroup` is 'device'.
 */
export interface GpuShader {
  /** Names the shader in messages and labels ("matmul.wgsl", "expr main"). */
  label: string;
  /** Storage buffers, bound at 1, 2, ... in this order (`note`: a comment after the declaration). */
  bindings: readonly {
    name: string;
    access: 'read' | 'read_write';
    note?: string;
    /** Element type (default f32); 'vec4f' binds four floats per element (a program for sizes that allow it). */
    type?: 'f32' | 'vec4f';
  }[];
  /** Uniform fields before `offset`, in order. */
  uniforms: readonly { name: string; type: WgslScalar }[];
  /** WGSL extensions the shader enables (`enable subgroups;`), before its header. */
  enables?: readonly string[];
  /**
   * Uniformity diagnostics the shader turns off (`diagnostic(off, subgroup_uniformity);`), each with
   * why it is sound in the shader's comments.
   */
  diagnosticsOff?: readonly string[];
  /** 'device': the body declares `override WG` and gets the device's workgroup size; else fixed. */
  workgroup: 'device' | number;
  /** WGSL after the header: helpers and `fn main`, whose workgroup index is offset + wid.y*nwg.x + wid.x. */
  body: string;
}

/**
 * A buffer of a plan: `in0`, `in1`, ... are the kernel's inputs, `out` its output, and any other name
 * a scratch buffer the plan declares.
 */
export type BufferName = string;

export interface GpuPass {
  /** Key of the shader in the program's `shaders`. */
  shader: string;
  /** Workgroups in all; the executor lays them out in 2D when one dimension cannot hold them. */
  groups: number;
  /** At most this many workgroups per submission: a long pass is split so no watchdog fires. */
  perSubmission: number;
  /** One buffer per binding of the shader, in order. */
  buffers: readonly BufferName[];
  /** A value for each of the shader's uniforms (`offset` is the executor's). */
  uniforms: Readonly<Record<string, number>>;
}

export interface GpuPlan {
  /** Scratch buffers (float32 elements each) the passes use besides inputs and output. */
  scratch: readonly { name: BufferName; length: number }[];
  passes: readonly GpuPass[];
}

/** What a plan may depend on: the device's workgroup size and the work one submission may hold. */
export interface PlanContext {
  /** The workgroup size shaders with `workgroup: 'device'` get (a power of two, at most 256). */
  wg: number;
  maxWorkgroupsPerDimension: number;
  /** Per submission: elements for memory-bound passes, flops for compute-bound ones. */
  budget: { elements: number; flops: number };
}

/** What a GPU program variant needs of a device and a size; a variant that lacks it is not run there. */
export interface GpuRequirements {
  /** Invocations per workgroup (compatibility-mode devices allow 128 by default). */
  invocations?: number;
  /** Device features ('subgroups', ...). */
  features?: readonly string[];
  /** The size must be a multiple of this (vec4 bindings). */
  sizeMultiple?: number;
}

export interface GpuProgram {
  /** Which program this is when a kernel has several (records carry it as `variant`). */
  variant: string;
  /** The variant in a few words, for the page and `tune` ("128×128 tiles, 256 invocations, vec4 loads"). */
  summary?: string;
  requires?: GpuRequirements;
  shaders: Readonly<Record<string, GpuShader>>;
  plan(size: number, ctx: PlanContext): GpuPlan;
}

export interface KernelSpec {
  id: string;
  title: string;
  /** One line for the UI: what it computes and what bounds it. */
  summary: string;
  /** What bounds it: picks GB/s or GFLOP/s as the headline rate. */
  bound: 'memory' | 'compute';
  /** Name of `size` in the UI ("elements", "n, for n×n matrices"). */
  sizeLabel: string;
  /** A size in words: "1000000 elements", "256×256". */
  describeSize(size: number): string;
  defaultSize: number;
  /** Smallest and largest legal size before device limits. */
  minSize: number;
  maxSize: number;
  /** A legal size this kernel still cannot run, in words (checked after minSize and maxSize). */
  sizeError?(size: number): string | undefined;
  /** Sizes a size sweep visits, at most `maxElements` elements per array. */
  sweepSizes(maxElements: number): number[];
  /** The answer in words, for kernels whose output is a few numbers (shown beside the timings). */
  describeResult?(output: Float32Array, size: number): string;
  /** The page draws this kernel's output as a picture (the backtest sweep's heatmap). */
  picture?: 'sweep-heatmap';
  /** Awkward sizes the conformance suite runs on every backend (odd, tiny, not multiples of tiles). */
  testSizes: readonly number[];
  /** Not listed in the UI or CLI help (fault injection for tests). */
  hidden?: boolean;
  /** Expression kernels: what they were compiled from, so a worker can compile the same kernel. */
  source?: { expr: string; ranges: Ranges };
  inputNames: readonly string[];
  inputLength(size: number, input: number): number;
  makeInputs(size: number, seed: number): Float32Array[];
  outputLength(size: number): number;
  reference(inputs: readonly Float32Array[], size: number): Reference;
  tolerance(size: number): Tolerance;
  work(size: number): { flops: number; bytes: number };
  /** The JavaScript program (code "js"): runs anywhere, the reference point of the speedup ladder. */
  cpu: CpuProgram;
  /**
   * The WebAssembly program (code "wasm"): the same items, alignment, spans and reduction as `cpu`,
   * compiled code over arrays in one WebAssembly.Memory. Absent: the kernel has JavaScript rows only.
   */
  wasm?: WasmCode;
  /** The default GPU program: runs on every device (within limits), and when nothing was tuned. */
  gpu: GpuProgram;
  /** Other GPU programs of the same kernel (ids distinct from gpu.variant); the tuner picks among all. */
  gpuVariants?: readonly GpuProgram[];
  /** Variants this kernel lacks where others of its kind have them, with why ({ steps: "…" }). */
  gpuVariantsMissing?: Readonly<Record<string, string>>;
}
