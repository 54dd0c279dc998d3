import type { Environment } from '../bench/record';
import type { ProbedAdapter } from '../gpu/adapters';
import type { TuneStore } from '../gpu/tuner';
import type { WorkerFactory } from './worker-handle';

/** What differs between the browser and Node; everything else is the same code. */
export interface Runtime {
  env(): Environment;
  workerFactory: WorkerFactory;
  defaultWorkers: number;
  /** SharedArrayBuffer can be shared with workers (cross-origin isolated page, or Node). */
  sharedMemory: boolean;
  /** The distinct WebGPU adapters here, in probe order; empty when WebGPU is missing. */
  probeAdapters(): Promise<ProbedAdapter[]>;
  /** The clock's resolution here: samples shorter than 200x this are batched. */
  timerResolutionMs(): number;
  /** Why WebGPU is unavailable, when it is. */
  gpuUnavailableReason(): string | null;
  /** A page's main thread runs kernels in slices of about this long, handling events between them. */
  mainThreadSliceMs?: number;
  /** Where GPU variant choices are remembered (localStorage; a JSON file in the user's cache directory). */
  tuneStore?(): TuneStore;
}
