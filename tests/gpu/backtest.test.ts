/**
 * The backtest by hand: a 10-day series and two window pairs whose positions, returns, total return and
 * Sharpe ratio are worked out below, run on every code target (JavaScript, WebAssembly ± relaxed SIMD,
 * a worker pool sharing and copying, WebGPU on each adapter) through the ordinary backends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MainThreadBackend } from '../../src/backends/main-thread';
import { WorkerPool } from '../../src/backends/pool';
import type { Backend } from '../../src/backends/types';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { WorkerPoolBackend } from '../../src/backends/worker-pool';
import { verify } from '../../src/bench/verify';
import { backtest } from '../../src/kernels/backtest';
import type { KernelSpec } from '../../src/kernels/types';
import { nodeRuntime, nodeWorkerFactory } from '../../src/runtime/node';
import { hasRelaxedSimd } from '../../src/wasm/runtime';

// Prices in cents, days 0–9.
const PRICES = [1000, 1000, 1000, 1100, 1210, 1100, 990, 990, 1089, 1089];
// Pair A: fast 1, slow 3 (the close against the 3-day mean), trading days 3–9 (n = 7). Decision at the
// close of t−1 → held on day t:
//   close 2: 1000 vs 1000 (a tie: flat)  close 3: 1100 vs 1033.3 long   close 4: 1210 vs 1103.3 long
//   close 5: 1100 vs 1136.7 flat         close 6: 990 vs 1100 flat       close 7: 990 vs 1026.7 flat
//   close 8: 1089 vs 1023 long
// held days 4, 5, 9 with returns +10%, −1/11, 0: wealth 1.1 · 10/11 · 1 = 1, total return 0.
// Pair B: fast 2, slow 4, trading days 4–9 (n = 6):
//   close 3: 1050 vs 1025 long    close 4: 1155 vs 1077.5 long   close 5: 1155 vs 1102.5 long
//   close 6: 1045 vs 1100 flat    close 7: 990 vs 1072.5 flat    close 8: 1039.5 vs 1042.25 flat
// held days 4, 5, 6 with returns +10%, −1/11, −10%: wealth 1.1 · 10/11 · 0.9 = 0.9, total return −10%.
const HELD = { a: [0.1, -1 / 11, 0], b: [0.1, -1 / 11, -0.1] };
function sharpe(held: number[], n: number): number {
  const sum = held.reduce((x, y) => x + y, 0);
  const sumSq = held.reduce((x, y) => x + y * y, 0);
  const mean = sum / n;
  return (mean / Math.sqrt((sumSq - n * mean * mean) / (n - 1))) * Math.sqrt(252);
}
const EXPECTED = [0, sharpe(HELD.a, 7), -0.1, sharpe(HELD.b, 6)];

const tiny: KernelSpec = {
  ...backtest,
  inputLength: (_size, input) => (input === 0 ? PRICES.length + 1 : 4),
  makeInputs: () => [Float32Array.from([PRICES.length, ...PRICES]), Float32Array.of(1, 3, 2, 4)],
};

const adapters = await nodeRuntime.probeAdapters();
const pool = new WorkerPool(nodeWorkerFactory, 1);
const gpus = adapters.map((a) => new WebGpuBackend(a));
afterAll(() => {
  pool.dispose();
  for (const g of gpus) g.dispose();
});
const targets: [string, Backend][] = [
  ['main thread', new MainThreadBackend()],
  ...(hasRelaxedSimd() ? [false, true] : [false]).map(
    (relaxed) =>
      [
        `main thread, WebAssembly${relaxed ? ' (relaxed)' : ''}`,
        new MainThreadBackend(undefined, 'wasm', { relaxed }),
      ] as [string, Backend],
  ),
  ['1 worker (copy, JavaScript)', new WorkerPoolBackend(pool, { shared: false, code: 'js', relaxed: false })],
  [
    '1 worker (shared, WebAssembly)',
    new WorkerPoolBackend(pool, { shared: true, code: 'wasm', relaxed: false }),
  ],
  [
    '1 worker (copy, WebAssembly)',
    new WorkerPoolBackend(pool, { shared: false, code: 'wasm', relaxed: false }),
  ],
  ...gpus.map((g) => [`WebGPU ${g.desc.id}`, g] as [string, Backend]),
];

describe('backtest by hand (10 days, 2 pairs)', () => {
  it('the hand-worked numbers are what they say', () => {
    expect(EXPECTED[1]).toBeCloseTo(0.37378, 4);
    expect(EXPECTED[3]).toBeCloseTo(-3.28, 3);
  });
  it('the float64 reference agrees with the hand-worked positions', () => {
    const inputs = tiny.makeInputs(2, 1);
    const { values } = tiny.reference(inputs, 2);
    for (let k = 0; k < 4; k++) expect(values[k]).toBeCloseTo(EXPECTED[k], 12);
  });
  it.each(targets)('%s gives the hand-worked total returns and Sharpe ratios', async (_name, backend) => {
    const inputs = tiny.makeInputs(2, 1);
    const prep = await backend.prepare(tiny, 2, inputs);
    try {
      const { output } = await backend.run(prep);
      for (let k = 0; k < 4; k++) expect(output[k]).toBeCloseTo(EXPECTED[k], 5);
      expect(verify(output, tiny.reference(inputs, 2), tiny.tolerance(2)).ok).toBe(true);
    } finally {
      prep.release();
    }
  });
});
