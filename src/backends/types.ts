import { CancelledError, errorKind } from '../errors';
import type { KernelSpec } from '../kernels/types';

export type BackendKind = 'main' | 'workers' | 'webgpu';
export const BACKEND_KINDS: readonly BackendKind[] = ['main', 'workers', 'webgpu'];
/** The page's names for the backends. */
export const BACKEND_LABEL: Record<BackendKind, string> = {
  main: 'Main thread',
  workers: 'Worker pool',
  webgpu: 'WebGPU',
};
/** The code a backend runs: the CPU backends run JavaScript or WebAssembly; WebGPU runs WGSL. */
export type Code = 'js' | 'wasm' | 'wgsl';
export type CpuCode = 'js' | 'wasm';
export const CPU_CODES: readonly CpuCode[] = ['js', 'wasm'];
/** How row labels name the CPU code ("main thread · WebAssembly SIMD"). */
export const CODE_LABEL: Record<Code, string> = { js: 'JavaScript', wasm: 'WebAssembly SIMD', wgsl: 'WGSL' };

export interface RunOutput {
  output: Float32Array;
  /** Time to result: from host data to host result (upload + compute + readback where they exist). */
  wallMs: number;
  /** GPU kernel time from timestamp queries, data already on the GPU. */
  gpuMs?: number;
  phasesMs?: { upload?: number; dispatch?: number; readback?: number };
  /** The run was cut into this many slices, with the page's events handled between them. */
  slices?: number;
}

/** What a backend keeps between runs of one (kernel, size, inputs): buffers, pipelines, shared memory. */
export interface Prepared {
  readonly kernel: KernelSpec;
  readonly size: number;
  /** WebGPU: the program variant prepared, and how it was chosen. */
  readonly variant?: string;
  readonly variantChoice?: VariantChoice;
  /** Host bytes the run holds: inputs, output, and what the backend adds (WebAssembly memory, shared copies). */
  readonly hostBytes?: number;
  release(): void;
}

/** The memory a run used, as records carry it (`memory`). */
export interface RunMemory {
  gpuBytesInUse?: number;
  gpuBytesHeld?: number;
  gpuPeakBytes?: number;
  hostBytes?: number;
  /** The GPU buffer pool's cap on free bytes kept for reuse. */
  gpuPoolCapBytes?: number;
}

/** How a GPU variant was chosen: pinned by the user, tuned on this adapter, the default, or the only one. */
export type VariantChoice = 'pinned' | 'tuned' | 'default' | 'only';

export interface Backend {
  readonly kind: BackendKind;
  readonly code: Code;
  /** Human label for the record's `device`: "main thread", "2 workers", "WebGPU · SwiftShader (software)". */
  readonly label: string;
  /** Extra record fields this backend contributes (adapterId, fallback, workers, transfer). */
  describe(): Record<string, unknown>;
  /** Refuses (InputError, naming the limit) a size this backend cannot run, before any input is made. */
  check?(kernel: KernelSpec, size: number): Promise<void>;
  /**
   * Settles choices that take runs of their own (WebGPU: tuning variants) before the cold run is timed;
   * the next prepare of this kernel and size uses them.
   */
  select?(kernel: KernelSpec, size: number, inputs: Float32Array[], signal?: AbortSignal): Promise<void>;
  prepare(kernel: KernelSpec, size: number, inputs: Float32Array[], signal?: AbortSignal): Promise<Prepared>;
  run(prep: Prepared, signal?: AbortSignal): Promise<RunOutput>;
  /**
   * Data on the device (WebGPU): the kernel again on the inputs a run already uploaded, with no upload
   * and no readback; `output` is empty. `readback` then fetches the output once.
   */
  runResident?(prep: Prepared, signal?: AbortSignal): Promise<RunOutput>;
  readback?(prep: Prepared, signal?: AbortSignal): Promise<{ output: Float32Array; ms: number }>;
  /** What a prepared run holds (called after its repetitions, before release). */
  memory?(prep: Prepared): RunMemory;
  dispose(): void;
}

export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  // A reason the caller chose is kept; the platform's default ("This operation was aborted") is not.
  if (reason instanceof Error && errorKind(reason) !== 'cancelled') return reason;
  return new CancelledError(typeof reason === 'string' ? reason : undefined);
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

export const now: () => number = () => performance.now();

/** Bytes of some arrays (a run's host memory). */
export const bytesOf = (xs: readonly { byteLength: number }[]): number =>
  xs.reduce((n, x) => n + x.byteLength, 0);
