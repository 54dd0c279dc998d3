import { describe, expect, it } from 'vitest';
import { runCpu } from '../../src/backends/main-thread';
import { mismatchMessage, verify } from '../../src/bench/verify';
import {
  BT,
  backtest,
  backtestGrid,
  longestWindow,
  MAX_PAIRS_FOR_SERIES,
  makeSeries,
} from '../../src/kernels/backtest';
import { BS_RATE, blackscholes, normalCdf } from '../../src/kernels/blackscholes';
import { largestSize } from '../../src/kernels/common';
import { closedForm, montecarlo } from '../../src/kernels/montecarlo';
import { KernelRegistry, registry } from '../../src/kernels/registry';
import { sq2 } from '../../src/kernels/sq2';

describe('kernel registry', () => {
  it('lists the built-in kernels and hides fault injection', () => {
    expect(registry.ids()).toContain('sq2');
    expect(registry.ids()).not.toContain('fault-throw');
    expect(registry.has('fault-throw')).toBe(true);
  });
  it('refuses duplicate ids', () => {
    const r = new KernelRegistry();
    r.register(sq2);
    expect(() => r.register(sq2)).toThrow("kernel 'sq2' is already registered");
  });
  it('names the known kernels for an unknown id', () => {
    expect(() => registry.get('nope')).toThrow(
      `unknown kernel 'nope': choose one of ${registry.ids().join(', ')}`,
    );
  });
});

describe('inputs', () => {
  it('are the same for the same seed and differ for another', () => {
    const a = sq2.makeInputs(1000, 42);
    const b = sq2.makeInputs(1000, 42);
    const c = sq2.makeInputs(1000, 43);
    expect(a[0]).toEqual(b[0]);
    expect(a[1]).toEqual(b[1]);
    expect(a[0]).not.toEqual(c[0]);
    expect(a[0]).not.toEqual(a[1]);
  });
  it('do not depend on the size: a prefix of a longer array', () => {
    expect(sq2.makeInputs(10, 5)[1]).toEqual(sq2.makeInputs(100, 5)[1].subarray(0, 10));
  });
  it('stay within the declared range', () => {
    const [x] = registry.get('sum').makeInputs(10000, 3);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
  });
});

describe('verification', () => {
  const tol = { abs: 1e-6, rel: 1e-6 };
  it('passes equal outputs and reports zero error', () => {
    const v = verify(Float32Array.of(1, 2), { indices: null, values: Float64Array.of(1, 2) }, tol);
    expect(v).toMatchObject({ ok: true, maxAbsErr: 0, maxRelErr: 0 });
  });
  it('never passes NaN', () => {
    const v = verify(Float32Array.of(1, Number.NaN), { indices: null, values: Float64Array.of(1, 2) }, tol);
    expect(v.ok).toBe(false);
    expect(v.firstBad?.index).toBe(1);
  });
  it('fails an error beyond the tolerance and checks sampled indices only', () => {
    const ref = { indices: Uint32Array.of(2), values: Float64Array.of(3) };
    expect(verify(Float32Array.of(0, 0, 3.001), ref, tol).ok).toBe(false);
    expect(verify(Float32Array.of(99, 99, 3), ref, tol).ok).toBe(true);
  });
  it('passes float32 overflow to ±Inf and underflow to 0, the float32 rounding of the truth', () => {
    const strict = { abs: 0, rel: 2 ** -23 };
    const ref = (...v: number[]) => ({ indices: null, values: Float64Array.from(v) });
    expect(verify(Float32Array.of(Infinity, -Infinity), ref(3.25e40, -1e39), strict).ok).toBe(true);
    expect(verify(Float32Array.of(0), ref(1e-50), strict).ok).toBe(true);
    // …but an infinity where float32 has a finite answer is still wrong.
    expect(verify(Float32Array.of(Infinity), ref(3.0e38), strict).ok).toBe(false);
  });
  it('fails an output of the wrong length', () => {
    expect(verify(Float32Array.of(1), { indices: null, values: Float64Array.of(1, 2) }, tol).ok).toBe(false);
  });
  it('catches a sum that lost one element', () => {
    const k = registry.get('sum');
    const inputs = k.makeInputs(1023, 1);
    const ref = k.reference(inputs, 1023);
    const wrong = Float32Array.of(ref.values[0] - inputs[0][5]);
    expect(verify(wrong, ref, k.tolerance(1023)).ok).toBe(false);
  });
  it('catches one wrong matmul entry in the sampled check', () => {
    const k = registry.get('matmul');
    const n = 300;
    const inputs = k.makeInputs(n, 1);
    const ref = k.reference(inputs, n);
    expect(ref.indices).not.toBeNull();
    const out = runCpu(k, n, inputs);
    expect(verify(out, ref, k.tolerance(n)).ok).toBe(true);
    out[ref.indices![10]] += 0.01;
    expect(verify(out, ref, k.tolerance(n)).ok).toBe(false);
  });
});

describe('blackscholes', () => {
  it('has a normal CDF accurate to float64 (known values of Φ)', () => {
    for (const [x, want] of [
      [0, 0.5],
      [1, 0.8413447460685429],
      [-1, 0.15865525393145707],
      [2.5, 0.9937903346742238],
      [-5, 2.866515718791939e-7],
      [-8, 6.22096057427178e-16],
    ]) {
      expect(Math.abs(normalCdf(x) - want) / want).toBeLessThan(1e-14);
    }
  });
  it('prices an at-the-money option as the textbook does, and calls and puts obey parity', () => {
    const price = (s: number, x: number, t: number) =>
      blackscholes.reference([Float32Array.of(s), Float32Array.of(x), Float32Array.of(t)], 1).values;
    // S = K = 100, T = 1, r = 2%, σ = 30%: call 12.8216, put 10.8414 (any Black–Scholes calculator).
    const [call, put] = price(100, 100, 1);
    expect(call).toBeCloseTo(12.8216, 3);
    expect(put).toBeCloseTo(10.8414, 3);
    const inputs = blackscholes.makeInputs(1000, 3);
    const ref = blackscholes.reference(inputs, 1000);
    for (let i = 0; i < 1000; i++) {
      const parity = inputs[0][i] - inputs[1][i] * Math.exp(-BS_RATE * inputs[2][i]);
      expect(ref.values[2 * i] - ref.values[2 * i + 1]).toBeCloseTo(parity, 9);
    }
  });
  it('writes each option’s call and put side by side, within the derived bound on the CPU', () => {
    const inputs = blackscholes.makeInputs(4099, 8);
    const out = runCpu(blackscholes, 4099, inputs);
    expect(out.length).toBe(2 * 4099);
    const v = verify(out, blackscholes.reference(inputs, 4099), blackscholes.tolerance(4099));
    expect(v.firstBad).toBeUndefined();
  });
});

describe('montecarlo', () => {
  it('at 2^20 paths, the estimate is within 4 standard errors of the Black–Scholes price', () => {
    const n = 2 ** 20;
    const [price, se] = montecarlo.reference(montecarlo.makeInputs(n, 1), n).values;
    expect(se).toBeGreaterThan(0);
    expect(Math.abs(price - closedForm()) / se).toBeLessThan(4);
    expect(closedForm()).toBeCloseTo(12.8216, 3);
  });
  it('says its answer beside the closed form, in standard errors', () => {
    expect(montecarlo.describeResult?.(Float32Array.of(12.8, 0.02), 1000)).toBe(
      'estimate 12.8000 ± 0.0200; Black–Scholes closed form 12.8216 (1.1 standard errors away)',
    );
  });
  it('the same seed draws the same paths, another seed others; the output is [price, standard error]', () => {
    const a = runCpu(montecarlo, 5000, montecarlo.makeInputs(5000, 9));
    const b = runCpu(montecarlo, 5000, montecarlo.makeInputs(5000, 9));
    const c = runCpu(montecarlo, 5000, montecarlo.makeInputs(5000, 10));
    expect(a).toEqual(b);
    expect(a[0]).not.toBe(c[0]);
    expect(a.length).toBe(2);
    expect(Math.abs(a[0] - closedForm())).toBeLessThan(5 * a[1]);
  });
});

describe('backtest', () => {
  it('sweeps a grid of fast × slow windows, row by row, slow always longer', () => {
    const g = backtestGrid(64 * 64);
    expect([g.cols, g.rows]).toEqual([64, 64]);
    expect([g.fast(0), g.slow(0), g.fast(63), g.slow(63), g.fast(64), g.slow(64)]).toEqual([
      2, 66, 65, 66, 2, 70,
    ]);
    expect(longestWindow(64 * 64)).toBe(318);
    expect(backtest.describeSize(1023)).toBe('1023 window pairs (32 fast × 32 slow)');
    const pairs = backtest.makeInputs(1023, 1)[1];
    for (let i = 0; i < 1023; i++) expect(pairs[2 * i]).toBeLessThan(pairs[2 * i + 1]);
  });
  it('refuses a sweep whose longest window leaves a pair under a year of trading days, and only such a sweep', () => {
    expect(MAX_PAIRS_FOR_SERIES).toBe(670 * 670);
    expect(largestSize(backtest)).toBe(MAX_PAIRS_FOR_SERIES); // the page's size input says so
    expect(largestSize(sq2)).toBe(sq2.maxSize);
    expect(backtest.sizeError?.(MAX_PAIRS_FOR_SERIES)).toBeUndefined();
    expect(longestWindow(MAX_PAIRS_FOR_SERIES)).toBe(BT.days - 252);
    expect(backtest.sizeError?.(MAX_PAIRS_FOR_SERIES + 1)).toMatch(
      /longest slow window, 3349 days, does not fit/,
    );
  });
  it('draws a seeded series of whole cents within its bounds, led by its length', () => {
    const s = makeSeries(BT.days, 7);
    expect(s[0]).toBe(BT.days);
    expect(s.length).toBe(BT.days + 1);
    expect(s[1]).toBe(BT.p0);
    for (let t = 1; t <= BT.days; t++) {
      expect(Number.isInteger(s[t])).toBe(true);
      expect(s[t]).toBeGreaterThanOrEqual(BT.minCents);
      expect(s[t]).toBeLessThanOrEqual(BT.maxCents);
    }
    expect(makeSeries(BT.days, 7)).toEqual(s);
    expect(makeSeries(BT.days, 8)).not.toEqual(s);
  });
  it('the JavaScript program is the reference to float32 rounding; the sweep finds a best pair', () => {
    const inputs = backtest.makeInputs(256, 3);
    const out = runCpu(backtest, 256, inputs);
    const ref = backtest.reference(inputs, 256);
    for (let k = 0; k < 512; k++) expect(out[k]).toBe(Math.fround(ref.values[k]));
    expect(backtest.describeResult?.(out, 256)).toMatch(
      /^best pair fast \d+ \/ slow \d+ days: Sharpe -?\d+\.\d\d, total return [+-]\d+\.\d%$/,
    );
  });
  it("the tolerance catches a look-ahead bug: trading on the same day's close", () => {
    const size = 1024;
    const inputs = backtest.makeInputs(size, 5);
    const [series, pairs] = inputs;
    const days = series[0];
    const p = (t: number) => series[1 + t];
    const out = new Float32Array(2 * size);
    for (let i = 0; i < size; i++) {
      const f = pairs[2 * i];
      const s = pairs[2 * i + 1];
      let wealth = 1;
      let sum = 0;
      let sumSq = 0;
      for (let t = s; t < days; t++) {
        let sf = 0;
        let ss = 0;
        for (let k = t - s + 1; k <= t; k++) ss += p(k); // the close of t itself: look-ahead
        for (let k = t - f + 1; k <= t; k++) sf += p(k);
        if (sf * s > ss * f) {
          const r = (p(t) - p(t - 1)) / p(t - 1);
          wealth *= 1 + r;
          sum += r;
          sumSq += r * r;
        }
      }
      const n = days - s;
      const mean = sum / n;
      out[2 * i] = wealth - 1;
      out[2 * i + 1] = (mean / Math.sqrt((sumSq - sum * mean) / (n - 1))) * Math.sqrt(252);
    }
    const v = verify(out, backtest.reference(inputs, size), backtest.tolerance(size));
    expect(v.ok).toBe(false);
  });
});

describe('mismatch messages', () => {
  const tol = { abs: 1e-6, rel: 1e-6 };
  it('calls a WebGPU mismatch at a NaN, an infinity or a flushed subnormal what it is', () => {
    for (const [got, want] of [
      [0, 1e-40],
      [Number.NaN, 1],
      [1, Number.POSITIVE_INFINITY],
    ])
      expect(mismatchMessage('webgpu', 3, got, want, tol)).toBe(
        `special values differ on this adapter (WGSL lets a GPU flush subnormals to zero and assume no NaN or infinity) at index 3: got ${got}, want ${want}`,
      );
  });
  it('keeps the plain message for ordinary values and for the CPU backends', () => {
    expect(mismatchMessage('webgpu', 0, 1.5, 1, tol)).toBe(
      'output differs from the float64 reference at index 0: got 1.5, want 1 (tolerance 0.000001 + 0.000001·|ref|)',
    );
    expect(mismatchMessage('main', 0, 0, 1e-40, tol)).toMatch(
      /^output differs from the float64 reference at index 0/,
    );
  });
});
