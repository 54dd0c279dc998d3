import type { BackendKind, Code, RunMemory, VariantChoice } from '../backends/types';

/** One measured configuration, exactly as ../shared/CONTRACTS.md defines it (schemaVersion 1). */
export interface RunRecord {
  schemaVersion: 1;
  kernel: string;
  expr?: string;
  /** Expression runs: how the inputs were drawn, as the URL's `ranges` writes it, when not the default. */
  ranges?: string;
  size: number;
  seed: number;
  backend: BackendKind;
  device: string;
  /** Which code ran: "js" or "wasm" on the main thread and in workers, "wgsl" on WebGPU. */
  code?: Code;
  /** WebGPU: the program variant that ran, and how it was chosen (pinned, tuned, default, only). */
  variant?: string;
  variantChoice?: VariantChoice;
  adapterId?: string;
  fallback?: boolean;
  workers?: number;
  transfer?: 'shared' | 'copy';
  isolated: boolean;
  ok: boolean;
  error?: string;
  maxAbsErr: number | null;
  maxRelErr: number | null;
  reps: number;
  warmup: number;
  coldMs: number | null;
  medianMs: number | null;
  p10Ms: number | null;
  p90Ms: number | null;
  samplesMs: number[];
  /** Runs per sample when one run was too short for the timer (samples are then means of `batch` runs). */
  batch?: number;
  /**
   * Main thread in a page: a run was cut into this many slices with the page's events handled between
   * them (the time between slices is not counted), so the tab never froze and Cancel acted at once.
   */
  sliced?: number;
  /** Not run, and why (a size sweep skips main-thread points predicted to block for long). */
  skipped?: string;
  /** The answer in words, for kernels whose output is a few numbers (an estimate and its error). */
  result?: string;
  kernelMedianMs?: number;
  phasesMs?: { upload?: number; dispatch?: number; readback?: number };
  gbps?: number;
  gflops?: number;
  kernelGbps?: number;
  kernelGflops?: number;
  env: { runtime: string; cores: number; appVersion: string };
  /** 'device': uploaded once, repetitions on GPU-resident data (medianMs is then per repetition), read back once. */
  residency?: 'host' | 'device';
  /** What the run held: GPU bytes in use, held by the pool, the run's peak; host bytes. */
  memory?: RunMemory;
}

export interface Environment {
  runtime: string;
  cores: number;
  appVersion: string;
  isolated: boolean;
}
