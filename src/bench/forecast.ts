import type { Backend } from '../backends/types';
import type { KernelSpec } from '../kernels/types';
import type { ResolvedOptions } from './options';
import type { RunRecord } from './record';

/** A main-thread run predicted to take longer than this in all is announced before it starts. */
export const LONG_MAIN_RUN_MS = 10_000;
/** Modest main-thread speeds (flops or bytes per ms) for predictions before anything was measured. */
const TYPICAL_MAIN_RATE = {
  compute: { js: 0.5e6, wasm: 10e6 },
  memory: { js: 1e6, wasm: 10e6 },
} as const;

/**
 * How long the main thread will take: this session's measured main-thread speed for the same kind of
 * kernel (compute- or memory-bound) and code, else a modest typical speed. The page announces a long
 * run before it starts (its main thread works in slices, so the tab stays usable either way).
 */
export class MainThreadForecast {
  /** Main-thread speed seen in this session, per (bound, code): work units per ms. */
  private readonly rates = new Map<string, number>();

  /** Remembers the main thread's speed from a run's records. */
  learn(records: readonly RunRecord[], kernel: KernelSpec): void {
    for (const r of records) {
      if (r.backend !== 'main' || !r.ok || !r.medianMs) continue;
      const w = kernel.work(r.size);
      this.rates.set(
        `${kernel.bound}:${r.code}`,
        (kernel.bound === 'compute' ? w.flops : w.bytes) / r.medianMs,
      );
    }
  }

  /**
   * What to say before a main-thread run predicted to take over LONG_MAIN_RUN_MS in all (cold, warm-up
   * and repetitions): how long, from what, and that the page stays usable; null for a shorter one.
   */
  warning(o: ResolvedOptions, backends: readonly Backend[]): string | null {
    const k = o.spec;
    const w = k.work(o.size);
    const amount = k.bound === 'compute' ? w.flops : w.bytes;
    let perRun = 0;
    let measured = 0;
    let typical = 0;
    for (const b of backends) {
      if (b.kind !== 'main') continue;
      const seen = this.rates.get(`${k.bound}:${b.code}`);
      if (seen === undefined) typical++;
      else measured++;
      perRun += amount / (seen ?? TYPICAL_MAIN_RATE[k.bound][b.code === 'wasm' ? 'wasm' : 'js']);
    }
    const total = perRun * (1 + o.warmup + o.reps);
    if (total < LONG_MAIN_RUN_MS) return null;
    const s = (ms: number) =>
      ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
    return `the main thread will need about ${s(total)} for this run (${s(perRun)} per repetition, predicted from ${!typical ? "this session's earlier runs" : !measured ? 'a typical speed' : "this session's earlier runs and a typical speed"}); it works in slices, so the page stays usable and Cancel stops it — fewer repetitions or a smaller size make it shorter`;
  }
}
