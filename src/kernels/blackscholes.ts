import { SHADERS } from '../shaders.gen';
import { elementwiseWasm } from '../wasm/elementwise';
import type { V } from '../wasm/vec';
import * as vec from '../wasm/vec';
import { ELEMENT_TEST_SIZES, elementSweep } from './common';
import { elementwisePlan } from './gpu-program';
import { uniformArray } from './rng';
import type { CpuProgram, GpuProgram, KernelSpec } from './types';

/** The risk-free rate and the volatility of every option (the CUDA sample's). */
export const BS_RATE = 0.02;
export const BS_VOL = 0.3;

/** Normal CDF, Abramowitz & Stegun 26.2.17: absolute error < 7.5e-8 (the CUDA sample's, on every target). */
function cnd(d: number): number {
  const k = 1 / (1 + 0.2316419 * Math.abs(d));
  const poly =
    k * (0.31938153 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
  const c = 0.3989422804014327 * Math.exp(-0.5 * d * d) * poly;
  return d > 0 ? 1 - c : c;
}

/**
 * The normal CDF to float64 accuracy, for the reference: Φ(x) = erfc(-x/√2)/2, with erfc from its
 * Taylor series for |z| < 2.5 and a continued fraction (modified Lentz) beyond.
 */
export function normalCdf(x: number): number {
  const z = -x / Math.SQRT2;
  return 0.5 * erfc(z);
}

function erfc(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (Math.abs(z) < 2.5) {
    // erf(z) = 2/√π Σ (-1)^n z^(2n+1) / (n! (2n+1))
    let term = z;
    let sum = z;
    for (let n = 1; n < 80; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (z < 0) return 2 - erfc(-z);
  // erfc(z) = exp(-z²)/√π · 1/(z + 1/2/(z + 1/(z + 3/2/(z + …)))), by modified Lentz.
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = z + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = z + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}

/** The WebAssembly program: four options at a time in float32, the same formulas and CDF. */
const wasm = elementwiseWasm({
  inputs: 3,
  outputsPerItem: 2,
  body(fn, lib, [S, X, T]) {
    const r = BS_RATE;
    const v = BS_VOL;
    const sqrtT = fn.let(vec.sqrt(T));
    const vsqrtT = fn.let(vec.mul(vec.cf(v), sqrtT));
    const d1 = fn.let(vec.div(fn.madd(vec.cf(r + 0.5 * v * v), T, lib.call('log', vec.div(S, X))), vsqrtT));
    const d2 = fn.let(vec.sub(d1, vsqrtT));
    const cnd = (d: V): V => {
      const k = fn.let(vec.div(vec.cf(1), fn.madd(vec.cf(0.2316419), vec.abs(d), vec.cf(1))));
      const poly = fn.let(
        vec.mul(k, fn.poly(k, [0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429])),
      );
      const c = fn.let(
        vec.mul(
          vec.mul(vec.cf(0.3989422804014327), lib.call('exp', vec.mul(vec.cf(-0.5), vec.mul(d, d)))),
          poly,
        ),
      );
      return fn.let(vec.sel(vec.gt(d, vec.cf(0)), vec.sub(vec.cf(1), c), c));
    };
    const c1 = cnd(d1);
    const c2 = cnd(d2);
    const xe = fn.let(vec.mul(X, lib.call('exp', vec.mul(vec.cf(-r), T))));
    const call = vec.sub(vec.mul(S, c1), vec.mul(xe, c2));
    const put = vec.sub(vec.mul(xe, vec.sub(vec.cf(1), c2)), vec.mul(S, vec.sub(vec.cf(1), c1)));
    return [call, put];
  },
});

/** One option per work item; its call and put are written side by side (out[2i], out[2i + 1]). */
const cpu: CpuProgram = {
  items: (size) => size,
  align: 64,
  inputSpan: (_size, _input, start, end) => [start, end],
  outputSpan: (_size, start, end) => [2 * start, 2 * end],
  run(inputs, out, _size, start, end) {
    const [S, X, T] = inputs;
    const r = BS_RATE;
    const v = BS_VOL;
    for (let i = start; i < end; i++) {
      const s = S[i];
      const x = X[i];
      const t = T[i];
      const sqrtT = Math.sqrt(t);
      const d1 = (Math.log(s / x) + (r + 0.5 * v * v) * t) / (v * sqrtT);
      const d2 = d1 - v * sqrtT;
      const cnd1 = cnd(d1);
      const cnd2 = cnd(d2);
      const xe = x * Math.exp(-r * t);
      out[2 * i] = s * cnd1 - xe * cnd2;
      out[2 * i + 1] = xe * (1 - cnd2) - s * (1 - cnd1);
    }
  },
};

const gpu: GpuProgram = {
  variant: 'default',
  shaders: {
    main: {
      label: 'blackscholes.wgsl',
      bindings: [
        { name: 'S', access: 'read' },
        { name: 'X', access: 'read' },
        { name: 'T', access: 'read' },
        { name: 'out', access: 'read_write' },
      ],
      uniforms: [
        { name: 'n', type: 'u32' },
        { name: 'r', type: 'f32' },
        { name: 'v', type: 'f32' },
      ],
      workgroup: 'device',
      body: SHADERS.blackscholes,
    },
  },
  plan: (size, ctx) => elementwisePlan(size, 3, ctx, { r: BS_RATE, v: BS_VOL }),
};

/**
 * Per-option error bound of a float32 price. The CDF's own error (7.5e-8) is small; what dominates is
 * d1 = (log(S/X) + (r + v²/2)T) / (v√T) evaluated in float32: log carries an absolute error of about
 * 2^-21 on WGSL (S/X one rounding more), so d1 is off by up to ~8e-7 / (v√T), and Φ'(d) ≤ 0.4 turns that
 * into (S + X)·0.4·8e-7/(v√T) in the price; float32 roundings of the products and the CDF add about
 * 16 ulps of S and X. (The CPU computes in float64 and rounds once: far inside this.)
 */
function errorBound(s: number, x: number, t: number): number {
  const dd = 8e-7 / (BS_VOL * Math.sqrt(t));
  return (s + x) * (0.4 * dd + 2 * 7.5e-8 + 16 * 2 ** -24);
}

/** European options priced by the Black–Scholes formula: a call and a put for each of `size` options. */
export const blackscholes: KernelSpec = {
  id: 'blackscholes',
  title: 'Black–Scholes',
  summary:
    'call and put prices of European options (spot 5–30, strike 1–100, 0.25–10 years, r 2%, σ 30%); memory-bound on a GPU, transcendental-bound on a CPU',
  bound: 'memory',
  sizeLabel: 'options',
  describeSize: (size) => `${size} options`,
  defaultSize: 1 << 22,
  minSize: 1,
  maxSize: 2 ** 27, // two outputs per option: the output is 2·size floats
  sweepSizes: elementSweep(2 ** 27),
  testSizes: ELEMENT_TEST_SIZES,
  inputNames: ['S', 'X', 'T'],
  inputLength: (size) => size,
  makeInputs: (size, seed) => [
    uniformArray(size, seed, 0, 5, 30),
    uniformArray(size, seed, 1, 1, 100),
    uniformArray(size, seed, 2, 0.25, 10),
  ],
  outputLength: (size) => 2 * size,
  reference(inputs, size) {
    const [S, X, T] = inputs;
    const values = new Float64Array(2 * size);
    const errors = new Float64Array(2 * size);
    for (let i = 0; i < size; i++) {
      const s = S[i];
      const x = X[i];
      const t = T[i];
      const sqrtT = Math.sqrt(t);
      const d1 = (Math.log(s / x) + (BS_RATE + 0.5 * BS_VOL * BS_VOL) * t) / (BS_VOL * sqrtT);
      const d2 = d1 - BS_VOL * sqrtT;
      const xe = x * Math.exp(-BS_RATE * t);
      values[2 * i] = s * normalCdf(d1) - xe * normalCdf(d2);
      values[2 * i + 1] = xe * normalCdf(-d2) - s * normalCdf(-d1);
      errors[2 * i] = errors[2 * i + 1] = errorBound(s, x, t);
    }
    return { indices: null, values, errors };
  },
  tolerance: () => ({ abs: 0, rel: 0 }),
  // Per option: one log, two exp (one per CDF) + one, a sqrt, three divisions and ~40 multiply-adds:
  // counted as 50 flops. Bytes: three inputs read, two outputs written.
  work: (size) => ({ flops: 50 * size, bytes: 20 * size }),
  cpu,
  wasm,
  gpu,
};
