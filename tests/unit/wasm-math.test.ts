/**
 * Accuracy of the compiled tier's vectorised float32 math (src/wasm/math-functions.ts) against float64, over
 * dense samples of every range that matters, and its special values against NumPy's float32 rules
 * (which the JavaScript tier follows: float64 Math rounded to float32). Prints the table the README's
 * accuracy section quotes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/expr/kernel';
import { bindKernel, hasRelaxedSimd } from '../../src/wasm/runtime';

/** One float32 ULP at v (the spacing of float32 numbers around v; subnormal spacing at the bottom). */
function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Dense samples: `n` uniform points of [lo, hi] plus log-spaced magnitudes of [tiny, hi] of both signs. */
function samples(lo: number, hi: number, n = 1 << 17): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  return out;
}
function logSamples(minExp: number, maxExp: number, signs: number[], perOctave = 2048): Float32Array {
  const out: number[] = [];
  for (let e = minExp; e < maxExp; e++)
    for (let k = 0; k < perOctave; k++) for (const s of signs) out.push(s * 2 ** e * (1 + k / perOctave));
  return Float32Array.from(out);
}
const cat = (...xs: Float32Array[]) => {
  const out = new Float32Array(xs.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of xs) {
    out.set(x, at);
    at += x.length;
  }
  return out;
};

interface Case {
  fn: string;
  f64: (...x: number[]) => number;
  /** Sample sets: first argument (and second for arity 2). */
  a: Float32Array;
  b?: Float32Array;
  /** The bound asserted (ULP), from measurement; the README table prints the measured maximum. */
  maxUlp: number;
  /** Where the bound holds (the domain described in the README). */
  domain: string;
}

const both = [1, -1];
const CASES: Case[] = [
  {
    fn: 'sin',
    f64: Math.sin,
    a: cat(samples(-Math.PI, Math.PI), samples(-8192, 8192), logSamples(-126, 13, both, 256)),
    maxUlp: 3,
    domain: '|x| ≤ 8192 (beyond: float64 slow path)',
  },
  {
    fn: 'cos',
    f64: Math.cos,
    a: cat(samples(-Math.PI, Math.PI), samples(-8192, 8192), logSamples(-126, 13, both, 256)),
    maxUlp: 3,
    domain: '|x| ≤ 8192 (beyond: float64 slow path)',
  },
  {
    fn: 'tan',
    f64: Math.tan,
    a: cat(samples(-Math.PI / 2, Math.PI / 2), samples(-8192, 8192), logSamples(-126, 13, both, 256)),
    maxUlp: 4,
    domain: '|x| ≤ 8192 (beyond: float64 slow path)',
  },
  { fn: 'exp', f64: Math.exp, a: cat(samples(-103, 88.7), samples(-1, 1)), maxUlp: 2, domain: 'all float32' },
  {
    fn: 'expm1',
    f64: Math.expm1,
    a: cat(samples(-20, 88.7), samples(-1, 1), logSamples(-126, 0, both, 256)),
    maxUlp: 4,
    domain: 'all float32',
  },
  {
    fn: 'log',
    f64: Math.log,
    a: logSamples(-149, 128, [1], 512),
    maxUlp: 2,
    domain: 'x > 0, subnormals included',
  },
  {
    fn: 'log1p',
    f64: Math.log1p,
    a: cat(logSamples(-126, 127, [1], 256), logSamples(-126, 0, [-1], 256)),
    maxUlp: 4,
    domain: 'x > -1',
  },
  { fn: 'log10', f64: Math.log10, a: logSamples(-149, 128, [1], 512), maxUlp: 3, domain: 'x > 0' },
  {
    fn: 'sinh',
    f64: Math.sinh,
    a: cat(samples(-89, 89), logSamples(-126, 6, both, 512)),
    maxUlp: 4,
    domain: '|x| ≤ 89',
  },
  { fn: 'cosh', f64: Math.cosh, a: cat(samples(-89, 89), samples(-1, 1)), maxUlp: 4, domain: '|x| ≤ 89' },
  {
    fn: 'tanh',
    f64: Math.tanh,
    a: cat(samples(-10, 10), logSamples(-126, 4, both, 512)),
    maxUlp: 4,
    domain: 'all float32',
  },
  {
    fn: 'arcsin',
    f64: Math.asin,
    a: cat(samples(-1, 1), logSamples(-126, 0, both, 512)),
    maxUlp: 3,
    domain: '|x| ≤ 1',
  },
  {
    fn: 'arccos',
    f64: Math.acos,
    a: cat(samples(-1, 1), logSamples(-126, 0, both, 512)),
    maxUlp: 3,
    domain: '|x| ≤ 1',
  },
  {
    fn: 'arctan',
    f64: Math.atan,
    a: cat(samples(-10, 10), logSamples(-126, 127, both, 256)),
    maxUlp: 3,
    domain: 'all float32',
  },
  {
    fn: 'arcsinh',
    f64: Math.asinh,
    a: cat(samples(-10, 10), logSamples(-126, 127, both, 256)),
    maxUlp: 4,
    domain: 'all float32',
  },
  {
    fn: 'arccosh',
    f64: Math.acosh,
    a: cat(samples(1, 10), logSamples(0, 127, [1], 512)),
    maxUlp: 4,
    domain: 'x ≥ 1',
  },
  {
    fn: 'arctanh',
    f64: Math.atanh,
    a: cat(samples(-0.9999, 0.9999), logSamples(-126, 0, both, 512)),
    maxUlp: 4,
    domain: '|x| < 1',
  },
  {
    fn: 'arctan2',
    f64: Math.atan2,
    a: cat(samples(-10, 10, 1 << 16), logSamples(-60, 60, both, 128)),
    b: cat(samples(10, -10, 1 << 16), logSamples(-50, 70, both, 128)),
    maxUlp: 4,
    domain: 'all float32 pairs',
  },
];

/** Runs `fn(a[, b])` on the compiled tier; returns the float32 outputs. */
async function wasmEval(
  fn: string,
  a: Float32Array,
  b: Float32Array | undefined,
  relaxed: boolean,
): Promise<Float32Array> {
  const { kernel } = compileExpression(b ? `${fn}(a, b)` : `${fn}(a)`);
  const size = b ? Math.min(a.length, b.length) : a.length;
  const inputs = b ? [a.subarray(0, size), b.subarray(0, size)] : [a];
  const w = await bindKernel(kernel, size, inputs, size, { shared: false, relaxed });
  w.cpu.run(w.inputs, w.output, size, 0, size);
  return Float32Array.from(w.output);
}

const table: string[] = [];
const forms = hasRelaxedSimd() ? [false, true] : [false];
afterAll(() => {
  console.log(
    [
      '| function | domain sampled | max error (ULP) | mean (ULP) | samples |',
      '|---|---|---|---|---|',
      ...table,
    ].join('\n'),
  );
});

describe.each(forms.map((r) => [r ? 'relaxed SIMD (fused multiply-add)' : 'SIMD128', r] as const))(
  'WebAssembly math, %s',
  (_label, relaxed) => {
    it.each(CASES.map((c) => [c.fn, c] as const))(
      '%s is within its ULP bound over dense samples',
      async (_fn, c) => {
        const out = await wasmEval(c.fn, c.a, c.b, relaxed);
        let worst = 0;
        let sum = 0;
        let at = -1;
        for (let i = 0; i < out.length; i++) {
          const want = c.b ? c.f64(c.a[i], c.b[i]) : c.f64(c.a[i]);
          if (!Number.isFinite(want) || Math.abs(want) > 3.4e38) continue;
          const e = Math.abs(out[i] - want) / ulp32(want);
          sum += e;
          if (!(e <= worst)) {
            worst = e;
            at = i;
          }
        }
        if (!relaxed)
          table.push(
            `| ${c.fn} | ${c.domain} | ${worst.toFixed(2)} | ${(sum / out.length).toFixed(3)} | ${out.length} |`,
          );
        expect(worst, `${c.fn}(${c.a[at]}${c.b ? `, ${c.b[at]}` : ''}) = ${out[at]}`).toBeLessThanOrEqual(
          c.maxUlp,
        );
      },
    );
  },
);

const SPECIAL = [
  Number.NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2,
  1e-45,
  -1e-45,
  1e-40,
  3.4e38,
  -3.4e38,
  88.8,
  -104,
  8193,
  1e10,
  -1e30,
];
describe('WebAssembly math special values', () => {
  it.each(CASES.map((c) => [c.fn, c] as const))(
    '%s agrees with NumPy float32 (NaN, ±Inf, ±0, subnormals, edges)',
    async (_fn, c) => {
      const a = c.b
        ? Float32Array.from(SPECIAL.flatMap((x) => SPECIAL.map(() => x)))
        : Float32Array.from(SPECIAL);
      const b = c.b ? Float32Array.from(SPECIAL.flatMap(() => SPECIAL)) : undefined;
      const out = await wasmEval(c.fn, a, b, false);
      for (let i = 0; i < out.length; i++) {
        const want = Math.fround(c.b ? c.f64(a[i], b![i]) : c.f64(a[i]));
        const got = out[i];
        const what = `${c.fn}(${a[i]}${b ? `, ${b[i]}` : ''}) = ${got}, want ${want}`;
        if (Number.isNaN(want) || !Number.isFinite(want) || want === 0)
          expect(Object.is(got, want), what).toBe(true);
        else expect(Math.abs(got - want) / ulp32(want), what).toBeLessThanOrEqual(c.maxUlp);
      }
    },
  );
});
