import type { Backend, Prepared } from '../backends/types';
import { throwIfAborted } from '../backends/types';
import type { KernelSpec, Reference } from '../kernels/types';
import type { Environment, RunRecord } from './record';
import { summarize } from './stats';
import { mismatchMessage, verify } from './verify';

export const DEFAULT_REPS = 5;
export const DEFAULT_WARMUP = 1;
export const MAX_REPS = 1000;
export const MAX_WARMUP = 100;

export interface RunPlan {
  kernel: KernelSpec;
  size: number;
  seed: number;
  reps: number;
  warmup: number;
  /** Set for expression kernels: the expression's text. */
  expr?: string;
  /**
   * 'device': backends that can keep data on the device (WebGPU) upload once (the cold run), repeat the
   * kernel on resident data, and read back once at the end; the record times them apart.
   */
  residency?: 'host' | 'device';
  /** Computes the float64 reference elsewhere (a page: in a worker, so the tab stays responsive). */
  reference?: (inputs: Float32Array[], signal?: AbortSignal) => Promise<Reference>;
  /** Expression kernels: the inputs' distributions as text ("a:0:10,b:normal:0:1"), when not the default. */
  ranges?: string;
  /**
   * A sample shorter than this is too short for the timer: repetitions are then batched (k runs per
   * sample, timed together, k chosen from the warm-up) and the record says `batch: k`.
   */
  minSampleMs?: number;
}

export const MAX_BATCH = 1000;

export type Progress =
  | { phase: 'inputs' | 'reference'; kernel: string }
  | { phase: 'select' | 'prepare' | 'cold'; backend: string }
  | { phase: 'warmup' | 'rep'; backend: string; index: number; of: number };

export interface RunHooks {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Called with each finished record, before the next backend starts. */
  onRecord?: (r: RunRecord) => void;
  /** Called after every repetition with the record so far (statistics over the samples taken). */
  onPartial?: (r: RunRecord) => void;
  /** Something the user should know before the work starts (a main-thread run predicted to be long). */
  onNotice?: (text: string) => void;
  /** Lets a page repaint (progress, the spinner) before blocking work; outside the timed spans. */
  yieldToUi?: () => Promise<void>;
  /**
   * A backend's verified output, for kernels that draw it (`picture`): a copy, after its record is
   * final. Not called for a run that failed verification.
   */
  onOutput?: (o: RunOutput) => void;
}

/** The output a backend computed, and what it is of. */
export interface RunOutput {
  kernel: string;
  size: number;
  seed: number;
  device: string;
  output: Float32Array;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs one kernel on each backend: inputs and the float64 reference once; then per backend prepare,
 * a cold first run (prepare + first run: compile, upload, run, readback), warm-up runs, and `reps`
 * timed runs. Every output is verified. A failing backend yields a record with `ok: false` and the
 * error; the others still run. An abort rejects at once.
 */
export async function runBenchmark(
  plan: RunPlan,
  backends: Backend[],
  env: Environment,
  hooks: RunHooks = {},
): Promise<RunRecord[]> {
  const { kernel, size, seed, reps, warmup } = plan;
  const { signal, onProgress } = hooks;
  // each step is said, and the page repainted, before the (blocking) work it names
  onProgress?.({ phase: 'inputs', kernel: kernel.id });
  await hooks.yieldToUi?.();
  const inputs = kernel.makeInputs(size, seed);
  onProgress?.({ phase: 'reference', kernel: kernel.id });
  await hooks.yieldToUi?.();
  throwIfAborted(signal);
  const ref = plan.reference ? await plan.reference(inputs, signal) : kernel.reference(inputs, size);
  const work = kernel.work(size);
  const records: RunRecord[] = [];
  for (const backend of backends) {
    throwIfAborted(signal);
    const base: RunRecord = {
      schemaVersion: 1,
      kernel: plan.expr !== undefined ? 'expr' : kernel.id,
      ...(plan.expr !== undefined ? { expr: plan.expr } : {}),
      ...(plan.ranges ? { ranges: plan.ranges } : {}),
      size,
      seed,
      backend: backend.kind,
      device: backend.label,
      ...backend.describe(),
      isolated: env.isolated,
      ok: false,
      maxAbsErr: null,
      maxRelErr: null,
      reps,
      warmup,
      coldMs: null,
      medianMs: null,
      p10Ms: null,
      p90Ms: null,
      samplesMs: [],
      env: { runtime: env.runtime, cores: env.cores, appVersion: env.appVersion },
    };
    let prep: Prepared | null = null;
    try {
      const partial = (samples: number[], coldMs: number) => {
        const s = summarize(samples);
        hooks.onPartial?.({
          ...base,
          ok: true,
          coldMs,
          medianMs: s.median,
          p10Ms: s.p10,
          p90Ms: s.p90,
          samplesMs: [...samples],
        });
      };
      const r = await measure(
        kernel,
        size,
        inputs,
        ref,
        backend,
        plan,
        hooks,
        (p) => {
          prep = p;
        },
        partial,
      );
      Object.assign(base, r);
      const kept = prep as Prepared | null;
      if (kept?.variant) {
        base.variant = kept.variant;
        base.variantChoice = kept.variantChoice;
      }
      if (base.ok && base.medianMs) {
        base.gbps = work.bytes / (base.medianMs * 1e6);
        base.gflops = work.flops / (base.medianMs * 1e6);
        if (base.kernelMedianMs) {
          base.kernelGbps = work.bytes / (base.kernelMedianMs * 1e6);
          base.kernelGflops = work.flops / (base.kernelMedianMs * 1e6);
        }
      }
      if (kept && backend.memory) base.memory = backend.memory(kept);
    } catch (e) {
      if (signal?.aborted) throw e;
      base.ok = false;
      base.error = message(e);
    } finally {
      (prep as Prepared | null)?.release();
    }
    records.push(base);
    hooks.onRecord?.(base);
  }
  return records;
}

async function measure(
  kernel: KernelSpec,
  size: number,
  inputs: Float32Array[],
  ref: Reference,
  backend: Backend,
  plan: RunPlan,
  { signal, onProgress, yieldToUi, onOutput }: RunHooks,
  keep: (p: Prepared) => void,
  partial: (samples: number[], coldMs: number) => void,
): Promise<Partial<RunRecord>> {
  const tol = kernel.tolerance(size);
  let maxAbs = 0;
  let maxRel = 0;
  let failure: string | undefined;
  const check = (out: Float32Array) => {
    const v = verify(out, ref, tol);
    maxAbs = Math.max(maxAbs, v.maxAbsErr);
    maxRel = Math.max(maxRel, v.maxRelErr);
    if (!v.ok && !failure) {
      const b = v.firstBad!;
      failure =
        b.index < 0
          ? `output has ${b.got} elements, expected ${b.want}`
          : mismatchMessage(backend.kind, b.index, b.got, b.want, tol);
    }
  };
  if (backend.select) {
    onProgress?.({ phase: 'select', backend: backend.label });
    await yieldToUi?.();
    await backend.select(kernel, size, inputs, signal); // tuning runs of its own: not in the cold time
  }
  onProgress?.({ phase: 'prepare', backend: backend.label });
  await yieldToUi?.();
  const t0 = performance.now();
  const prep = await backend.prepare(kernel, size, inputs, signal);
  keep(prep);
  onProgress?.({ phase: 'cold', backend: backend.label });
  const cold = await backend.run(prep, signal);
  const coldMs = performance.now() - t0;
  check(cold.output);
  let last = cold.output;
  let lastMs: number | undefined;
  // Data on the device: after the cold run (which uploaded), repetitions run on resident data and
  // the output is read back once at the end; time to result is then the kernel's own.
  const resident = plan.residency === 'device' && backend.runResident && backend.readback;
  const step = resident
    ? (sig?: AbortSignal) => backend.runResident!(prep, sig)
    : (sig?: AbortSignal) => backend.run(prep, sig);
  const checkStep = (out: Float32Array) => {
    if (!resident) check(out);
  };
  for (let i = 0; i < plan.warmup; i++) {
    onProgress?.({ phase: 'warmup', backend: backend.label, index: i + 1, of: plan.warmup });
    await yieldToUi?.();
    const w = await step(signal);
    lastMs = w.wallMs;
    checkStep(w.output);
  }
  const samples: number[] = [];
  const kernelSamples: number[] = [];
  const phases = { upload: [] as number[], dispatch: [] as number[], readback: [] as number[] };
  // Batch when one run is too short for the timer: count the runs that fill minSampleMs (these are
  // more warm-up), then time k runs per sample as one span.
  let sliced = cold.slices ?? 0;
  let batch = 1;
  if (plan.minSampleMs && (lastMs ?? cold.wallMs) < plan.minSampleMs) {
    const t = performance.now();
    let k = 0;
    while (k < MAX_BATCH && performance.now() - t < plan.minSampleMs) {
      await step(signal);
      k++;
    }
    batch = Math.max(1, k);
  }
  for (let i = 0; i < plan.reps; i++) {
    onProgress?.({ phase: 'rep', backend: backend.label, index: i + 1, of: plan.reps });
    await yieldToUi?.();
    const t = performance.now();
    let gpu = 0;
    let r = await step(signal);
    gpu += r.gpuMs ?? 0;
    for (let b = 1; b < batch; b++) {
      r = await step(signal);
      gpu += r.gpuMs ?? 0;
    }
    const span = performance.now() - t;
    sliced = Math.max(sliced, r.slices ?? 0);
    checkStep(r.output);
    if (!resident) last = r.output;
    samples.push(batch > 1 ? span / batch : r.wallMs);
    partial(samples, coldMs);
    if (r.gpuMs !== undefined) kernelSamples.push(gpu / batch);
    if (r.phasesMs && batch === 1) {
      for (const k of ['upload', 'dispatch', 'readback'] as const) {
        const v = r.phasesMs[k];
        if (v !== undefined) phases[k].push(v);
      }
    }
  }
  let residentPhases: { upload?: number; readback: number } | undefined;
  if (resident) {
    // the one readback, verified: what the repetitions left on the device
    const rb = await backend.readback!(prep, signal);
    check(rb.output);
    last = rb.output;
    residentPhases = { upload: cold.phasesMs?.upload, readback: rb.ms };
  }
  if (!failure && kernel.picture)
    onOutput?.({
      kernel: kernel.id,
      size,
      seed: plan.seed,
      device: backend.label,
      output: Float32Array.from(last),
    });
  const s = summarize(samples);
  const out: Partial<RunRecord> = {
    ok: !failure,
    ...(failure ? { error: failure } : {}),
    maxAbsErr: Number.isFinite(maxAbs) ? maxAbs : null,
    maxRelErr: Number.isFinite(maxRel) ? maxRel : null,
    coldMs,
    medianMs: s.median,
    p10Ms: s.p10,
    p90Ms: s.p90,
    samplesMs: samples,
    ...(batch > 1 ? { batch } : {}),
    ...(sliced ? { sliced } : {}),
    ...(kernel.describeResult ? { result: kernel.describeResult(last, size) } : {}),
  };
  if (kernelSamples.length === samples.length && samples.length)
    out.kernelMedianMs = summarize(kernelSamples).median;
  if (residentPhases) {
    out.residency = 'device';
    out.phasesMs = {
      upload: residentPhases.upload,
      dispatch: s.median ?? undefined,
      readback: residentPhases.readback,
    };
  } else if (phases.dispatch.length) {
    out.phasesMs = {
      upload: summarize(phases.upload).median,
      dispatch: summarize(phases.dispatch).median,
      readback: summarize(phases.readback).median,
    };
  }
  return out;
}
