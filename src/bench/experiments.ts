import type { BackendKind } from '../backends/types';
import type { Engine } from '../engine';
import { type RunOptions, resolveOptions } from './options';
import type { RunRecord } from './record';
import type { RunHooks } from './runner';

/**
 * The two experiments beyond a single run: the pool's scaling with its size (the post's
 * 287 s -> 187 s -> 127 s), and time against size for every chosen backend (where the GPU overtakes
 * the CPU once upload and readback are paid). Both are sequences of ordinary runs, so every point is
 * an ordinary, verified record.
 */
export interface ExperimentHooks extends RunHooks {
  /** After each step: the records so far (for live charts). */
  onStep?: (records: RunRecord[], step: number, of: number) => void;
}

/** Worker counts 1, 2, … up to `cores`, and one beyond (to show oversubscription). */
export function scalingCounts(cores: number): number[] {
  const n = Math.max(1, Math.min(63, cores));
  return [...Array.from({ length: n }, (_, i) => i + 1), n + 1];
}

export async function runScaling(
  engine: Engine,
  base: RunOptions,
  cores: number,
  hooks: ExperimentHooks = {},
): Promise<RunRecord[]> {
  const counts = scalingCounts(cores);
  const all: RunRecord[] = [];
  const steps = counts.length + 1;
  hooks.onStep?.([], 0, steps);
  const { records: main } = await engine.run({ ...base, backends: ['main'] }, hooks);
  all.push(...main);
  hooks.onStep?.([...all], 1, steps);
  for (const [i, workers] of counts.entries()) {
    const { records } = await engine.run({ ...base, backends: ['workers'], workers }, hooks);
    all.push(...records);
    hooks.onStep?.([...all], i + 2, steps);
  }
  return all;
}

/** Sizes from tiny to large, ×4 apart (×2 for matmul's n), within the kernel's and a memory limit. */
export function sweepSizes(base: RunOptions, maxElements = 1 << 22): number[] {
  return resolveOptions(base).spec.sweepSizes(maxElements);
}

/** A sweep skips main-thread points predicted to take longer than this per run. */
export const SWEEP_MAIN_LIMIT_MS = 2000;

/**
 * Each size in turn on the chosen backends. The main thread's time at the next size is predicted from
 * the last one it ran (scaled by the work: flops when compute-bound, bytes otherwise); a point predicted
 * over SWEEP_MAIN_LIMIT_MS per run is not run there, and a record says so (`skipped`).
 */
export async function runSweep(
  engine: Engine,
  base: RunOptions,
  sizes: number[],
  hooks: ExperimentHooks = {},
  limitMs = SWEEP_MAIN_LIMIT_MS,
): Promise<RunRecord[]> {
  const { spec, backends } = resolveOptions(base);
  const amount = (n: number) => (spec.bound === 'compute' ? spec.work(n).flops : spec.work(n).bytes);
  let lastMain: RunRecord | null = null;
  const all: RunRecord[] = [];
  hooks.onStep?.([], 0, sizes.length);
  for (const [i, size] of sizes.entries()) {
    let chosen = backends;
    let skipped: RunRecord | null = null;
    const predicted = lastMain?.medianMs ? (lastMain.medianMs * amount(size)) / amount(lastMain.size) : 0;
    if (lastMain && backends.includes('main') && predicted > limitMs) {
      chosen = backends.filter((b) => b !== 'main');
      const why = `about ${(predicted / 1000).toPrecision(2)} s per run on the main thread (predicted from size ${lastMain.size}); the sweep skips main-thread points over ${limitMs / 1000} s`;
      skipped = {
        ...lastMain,
        size,
        ok: false,
        skipped: why,
        error: `skipped: ${why}`,
        coldMs: null,
        medianMs: null,
        p10Ms: null,
        p90Ms: null,
        samplesMs: [],
        maxAbsErr: null,
        maxRelErr: null,
        gbps: undefined,
        gflops: undefined,
        sliced: undefined,
      };
    }
    const records = chosen.length
      ? (await engine.run({ ...base, size, backends: chosen }, hooks)).records
      : [];
    if (skipped) records.unshift(skipped);
    lastMain = records.find((r) => r.backend === 'main' && r.ok) ?? lastMain;
    all.push(...records);
    hooks.onStep?.([...all], i + 1, sizes.length);
  }
  return all;
}

/**
 * The smallest size from which a backend's median stays below the main thread's (its fastest code), or null: where the
 * GPU (or the pool) overtakes the CPU once its fixed costs are paid.
 */
export function crossover(records: readonly RunRecord[], device: string): number | null {
  const sizes = [...new Set(records.map((r) => r.size))].sort((a, b) => a - b);
  let from: number | null = null;
  for (const size of sizes) {
    // the main thread at its best (WebAssembly where it ran): the GPU has to beat compiled code
    const main = records
      .filter((r) => r.size === size && r.backend === 'main' && r.ok && r.medianMs)
      .sort((a, b) => a.medianMs! - b.medianMs!)[0];
    const other = records.find((r) => r.size === size && r.device === device && r.ok);
    if (!main?.medianMs || !other?.medianMs) continue;
    if (other.medianMs < main.medianMs) from ??= size;
    else from = null;
  }
  return from;
}

export function parallelEfficiency(mainMs: number, workersMs: number, workers: number): number {
  return mainMs / workersMs / workers;
}

export type { BackendKind };
