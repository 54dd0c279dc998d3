import { afterAll, describe, expect, it } from 'vitest';
import { runCpu } from '../../src/backends/main-thread';
import { WorkerPool } from '../../src/backends/pool';
import { compileExpression, formatRanges, parseRanges } from '../../src/expr/kernel';
import { nodeWorkerFactory } from '../../src/runtime/node';

const pool = new WorkerPool(nodeWorkerFactory, 3);
afterAll(() => pool.dispose());

describe('float32 semantics in JavaScript', () => {
  it('rounds every intermediate to float32 (as the GPU does), not to float64', () => {
    const { kernel } = compileExpression('(a + 1e-8) - a');
    const inputs = [Float32Array.of(1)];
    // In float64 the answer would be 1e-8; in float32, 1 + 1e-8 rounds to 1.
    expect(runCpu(kernel, 1, inputs)[0]).toBe(0);
  });
  it('follows NumPy: % has the sign of the divisor, integer powers multiply, a negative base needs an integer exponent', () => {
    const run = (expr: string, ...vals: number[][]) => {
      const { kernel } = compileExpression(expr);
      return [
        ...runCpu(
          kernel,
          vals[0].length,
          vals.map((v) => Float32Array.from(v)),
        ),
      ];
    };
    expect(run('a % b', [-7, 7, -7, 6], [3, -3, -3, 3])).toEqual([2, -2, -1, 0]);
    expect(run('a ** 3', [-2, 0.5])).toEqual([-8, 0.125]);
    expect(run('a ** b', [-8, -8, 0, 0], [1 / 3, 2, -1, 0])).toEqual([
      Number.NaN,
      64,
      Number.POSITIVE_INFINITY,
      1,
    ]);
    expect(run('a / b', [1, -1, 0], [0, 0, 0])).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
    expect(run('(a > 0) & (b > 0)', [1, 1, -1], [1, -1, 1])).toEqual([1, 0, 0]);
  });
});

describe('input distributions', () => {
  it('parses and prints uniform and normal ranges', () => {
    const r = parseRanges('a:0:10, b:normal:2:0.5');
    expect(r).toEqual({ a: { dist: 'uniform', lo: 0, hi: 10 }, b: { dist: 'normal', mean: 2, sd: 0.5 } });
    expect(formatRanges(r)).toBe('a:0:10,b:normal:2:0.5');
    expect(() => parseRanges('a:normal:0:0')).toThrow(
      "bad range 'a:normal:0:0': write NAME:normal:MEAN:SD with SD > 0, e.g. a:normal:0:1",
    );
  });
  it('draws normal inputs with the asked mean and spread, the same for the same seed', () => {
    const { kernel } = compileExpression('a + b', parseRanges('a:normal:5:2'));
    const [a, b] = kernel.makeInputs(100_000, 3);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
    expect(mean).toBeCloseTo(5, 1);
    expect(sd).toBeCloseTo(2, 1);
    expect(Math.min(...b)).toBeGreaterThanOrEqual(-1); // b stays uniform on [-1, 1]
    expect(kernel.makeInputs(10, 3)[0]).toEqual(kernel.makeInputs(10, 3)[0]);
  });
});
