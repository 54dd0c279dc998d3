/**
 * In a page the float64 reference is computed in a pool worker (the largest sweeps take seconds), so
 * the tab stays responsive and Cancel acts; Node computes it in place.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine';
import { MemoryTuneStore } from '../../src/gpu/tuner';
import { nodeRuntime } from '../../src/runtime/node';

// A runtime that slices the main thread, as a page does (and so computes references in a worker).
const pageLike = new Engine({
  ...nodeRuntime,
  mainThreadSliceMs: 50,
  tuneStore: () => new MemoryTuneStore(),
});
afterAll(() => pageLike.dispose());

describe('the reference in a worker', () => {
  it('verifies runs as the in-place reference does, with only the main thread asked for', async () => {
    const { records } = await pageLike.run({
      kernel: 'backtest',
      size: 256,
      backends: ['main'],
      code: ['js'],
      reps: 1,
    });
    expect(records[0].ok).toBe(true);
    expect(records[0].maxAbsErr).toBe(0); // the JavaScript program is the reference to float32 rounding
    expect(pageLike.counters().workersStarted).toBeGreaterThanOrEqual(1);
    const expr = await pageLike.run({ expr: 'sin(a) * b', size: 5000, backends: ['main'], reps: 1 });
    expect(expr.records.every((r) => r.ok)).toBe(true);
  });

  it('a cancel during a long reference acts at once and the next run works', async () => {
    const ctl = new AbortController();
    const t0 = performance.now();
    const run = pageLike.run(
      { kernel: 'backtest', size: 400_000, backends: ['main'], code: ['wasm'], reps: 1 },
      {
        signal: ctl.signal,
        onProgress: (p) => {
          if (p.phase === 'reference') setTimeout(() => ctl.abort(), 100);
        },
      },
    );
    await expect(run).rejects.toThrow('the run was cancelled');
    expect(performance.now() - t0).toBeLessThan(2000); // the reference alone takes several seconds
    const again = await pageLike.run({ kernel: 'sq2', size: 1000, backends: ['main'], reps: 1 });
    expect(again.records[0].ok).toBe(true);
  });
});
