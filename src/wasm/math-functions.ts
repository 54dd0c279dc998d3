/**
 * The vectorised float32 functions of the compiled tier (see math.ts for the library that emits them):
 * each a builder of v128 code from its arguments, defined with the v128 language of vec.ts.
 */
import type { MathLib } from './math';
import { SCALAR_IMPORTS } from './math-imports';
import * as v from './vec';
import { cf, ci, type Fn, type V } from './vec';

const PI = Math.PI;
const INF = Number.POSITIVE_INFINITY;
const LN2 = Math.LN2;
/** Beyond this |x| the reduction of sin, cos and tan loses accuracy: slow path. */
const TRIG_FAST_LIMIT = 8192;

export type Builder = (fn: Fn, lib: MathLib) => V;

/** Each lane through the imported scalar function: float32 -> float64 -> call -> float32. */
function slowLanes(importName: string, arity: 1 | 2): Builder {
  const imp = SCALAR_IMPORTS.findIndex((s) => s.name === importName);
  return (fn) => (b) => {
    fn.param(0)(b);
    for (let k = 0; k < 4; k++) {
      for (let a = 0; a < arity; a++) {
        fn.param(a)(b);
        b.lane('f32x4.extract_lane', k);
        b.op('f64.promote_f32');
      }
      b.call(imp);
      b.op('f32.demote_f64');
      b.lane('f32x4.replace_lane', k);
    }
  };
}

/** `fast` everywhere, except lanes in `slow` (a mask) which take `slowFn` when any lane needs it. */
function guarded(fn: Fn, lib: MathLib, fast: V, slow: V, slowFn: string, x: V): V {
  const b = fn.body;
  const r = b.local(0x7b);
  const m = b.local(0x7b);
  fast(b);
  b.set(r);
  slow(b);
  b.tee(m);
  b.simd('v128.any_true');
  b.op('if', 0x40);
  v.sel(
    (bb) => bb.get(m),
    lib.call(slowFn, x),
    (bb) => bb.get(r),
  )(b);
  b.set(r);
  b.op('end');
  return (bb) => bb.get(r);
}

const PIO4_PARTS = [
  0.78515625, 2.4199485778808594e-4, -8.149072527885437e-8, 3.041122909053229e-11, -2.5726557318392178e-14,
];

/**
 * The octant reduction shared by sin, cos and tan: |x| = k·π/2 + r with |r| <= π/4 (k an integer, kept
 * both as a float and in the integer lanes for its low bits).
 */
function octant(fn: Fn, ax: V): { k: V; r: V; z: V } {
  // k = round(|x|·2/π) by the magic-number rounding: no float-to-int conversion (|x| <= 8192 here;
  // wider lanes take the slow path)
  const m = fn.let(fn.madd(ax, cf(2 / PI), cf(v.MAGIC)));
  const k = fn.let(v.isub(m, ci(v.MAGIC_BITS)));
  const kf = fn.let(v.sub(m, cf(v.MAGIC)));
  // π/2 in five parts, the first four of 10 bits (k < 2^13, so k·C is exact in float32): the remainder
  // keeps its accuracy near the zeros of sin and cos up to |x| = 8192 (a fused multiply-add changes
  // nothing in the first four steps, where k·C is exact)
  let r = ax;
  for (const c of PIO4_PARTS) r = fn.let(fn.madd(kf, cf(-2 * c), r));
  const z = fn.let(v.mul(r, r));
  return { k, r, z };
}

const sinPoly = (fn: Fn, r: V, z: V): V =>
  fn.madd(v.mul(fn.poly(z, [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4]), z), r, r);
const cosPoly = (fn: Fn, z: V): V =>
  fn.madd(
    v.mul(fn.poly(z, [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5]), z),
    z,
    fn.madd(z, cf(-0.5), cf(1)),
  );
/** Lanes where k is odd (the other polynomial's quadrant), as a mask. */
const odd = (k: V): V => v.ieq(v.and(k, ci(1)), ci(1));
/** The sign bit from bit 1 of an integer lane (k & 2 -> bit 31): quadrants 2 and 3 are negative. */
const signOf2 = (k: V): V => v.shl(v.and(k, ci(2)), 30);

/** Lanes beyond the fast reduction's range, or NaN (|x| <= 8192 is false for both). */
const trigSlow = (ax: V): V => v.not(v.le(ax, cf(TRIG_FAST_LIMIT)));

export const DEFS: Record<string, { arity: 1 | 2; build: Builder }> = {
  'slow.sin': { arity: 1, build: slowLanes('sin', 1) },
  'slow.cos': { arity: 1, build: slowLanes('cos', 1) },
  'slow.tan': { arity: 1, build: slowLanes('tan', 1) },
  pow: { arity: 2, build: slowLanes('pow', 2) },
  mod: { arity: 2, build: slowLanes('mod', 2) },

  sin: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.param(0);
      const ax = fn.let(v.abs(x));
      const { k, r, z } = octant(fn, ax);
      const s = fn.let(v.sel(odd(k), cosPoly(fn, z), sinPoly(fn, r, z)));
      const signed = v.xor(s, v.xor(signOf2(k), v.and(x, ci(0x80000000 | 0))));
      return guarded(fn, lib, signed, trigSlow(ax), 'slow.sin', x);
    },
  },
  cos: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.param(0);
      const ax = fn.let(v.abs(x));
      const { k, r, z } = octant(fn, ax);
      const c = fn.let(v.sel(odd(k), sinPoly(fn, r, z), cosPoly(fn, z)));
      const signed = v.xor(c, signOf2(v.iadd(k, ci(1))));
      return guarded(fn, lib, signed, trigSlow(ax), 'slow.cos', x);
    },
  },
  tan: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.param(0);
      const ax = fn.let(v.abs(x));
      const { k, r, z } = octant(fn, ax);
      const p = fn.let(
        fn.madd(
          v.mul(
            fn.poly(
              z,
              [
                3.33331568548e-1, 1.33387994085e-1, 5.34112807005e-2, 2.44301354525e-2, 3.11992232697e-3,
                9.38540185543e-3,
              ],
            ),
            z,
          ),
          r,
          r,
        ),
      );
      const t = v.sel(odd(k), v.div(cf(-1), p), p);
      const signed = v.xor(t, v.and(x, ci(0x80000000 | 0)));
      return guarded(fn, lib, signed, trigSlow(ax), 'slow.tan', x);
    },
  },

  exp: {
    arity: 1,
    build: (fn) => {
      // NaN survives min/max (WebAssembly's min and max propagate it); ±Inf clamp to overflow/underflow.
      const x = fn.let(v.clampHi(v.clampLo(fn.param(0), -104), 89));
      // n = round(x·log2 e) as a float and as an integer, by the magic-number rounding
      const m = fn.let(v.add(v.mul(x, cf(Math.LOG2E)), cf(v.MAGIC)));
      const n = fn.let(v.sub(m, cf(v.MAGIC)));
      const r = fn.let(v.sub(v.sub(x, v.mul(n, cf(0.693359375))), v.mul(n, cf(-2.1219444e-4))));
      const z = fn.let(v.mul(r, r));
      const p = fn.let(
        v.add(
          fn.madd(
            fn.poly(
              r,
              [
                5.0000001201e-1, 1.6666665459e-1, 4.1665795894e-2, 8.3334519073e-3, 1.3981999507e-3,
                1.98756915e-4,
              ],
            ),
            z,
            r,
          ),
          cf(1),
        ),
      );
      // 2^n as two factors 2^n1 · 2^n2 (each a normal float) so results down to subnormals round once.
      const ni = fn.let(v.isub(m, ci(v.MAGIC_BITS)));
      const n1 = fn.let(v.shr(ni, 1));
      const pow2 = (k: V): V => v.shl(v.iadd(k, ci(127)), 23);
      return v.mul(v.mul(p, pow2(n1)), pow2(v.isub(ni, n1)));
    },
  },
  expm1: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.let(fn.param(0));
      // x + x²·poly(x) (Taylor to x^8) near 0, where exp(x) - 1 would cancel; ±0 stay themselves.
      const p = v.add(
        x,
        v.mul(v.mul(x, x), fn.poly(x, [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320])),
      );
      const r = v.sel(v.lt(v.abs(x), cf(0.3466)), p, v.sub(lib.call('exp', x), cf(1)));
      return v.sel(v.eq(x, cf(0)), x, r);
    },
  },
  log: {
    arity: 1,
    build: (fn) => {
      const x0 = fn.let(fn.param(0));
      const sub = fn.let(v.lt(x0, cf(2 ** -126)));
      const x = fn.let(v.sel(sub, v.mul(x0, cf(2 ** 25)), x0));
      // x = m·2^e with m in [0.5, 1); then m in [sqrt(1/2), sqrt(2)) by moving one factor of 2.
      const e0 = fn.let(v.isub(v.isub(v.and(v.shr(x, 23), ci(0xff)), ci(126)), v.and(sub, ci(25))));
      const m0 = fn.let(v.or(v.and(x, ci(0x007fffff)), ci(0x3f000000)));
      const lo = fn.let(v.lt(m0, cf(Math.SQRT1_2)));
      const e = fn.let(v.toFloat(v.iadd(e0, lo)));
      const m = fn.let(v.sub(v.sel(lo, v.add(m0, m0), m0), cf(1)));
      const z = fn.let(v.mul(m, m));
      const poly = fn.poly(
        m,
        [
          3.3333331174e-1, -2.4999993993e-1, 2.0000714765e-1, -1.6668057665e-1, 1.4249322787e-1,
          -1.2420140846e-1, 1.167699874e-1, -1.151461031e-1, 7.0376836292e-2,
        ],
      );
      let y = fn.let(v.mul(v.mul(poly, m), z));
      y = fn.let(fn.madd(e, cf(-2.1219444e-4), y));
      y = fn.let(fn.madd(z, cf(-0.5), y));
      let r = fn.let(fn.madd(e, cf(0.693359375), v.add(m, y)));
      r = fn.let(v.sel(v.lt(x0, cf(0)), cf(Number.NaN), r));
      r = fn.let(v.sel(v.eq(x0, cf(0)), cf(-INF), r));
      r = fn.let(v.sel(v.eq(x0, cf(INF)), cf(INF), r));
      return v.sel(v.isnan(x0), x0, r);
    },
  },
  log1p: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.let(fn.param(0));
      const u = fn.let(v.add(cf(1), x));
      const d = fn.let(v.sub(u, cf(1)));
      // log(1 + x)·x/((1 + x) - 1): the rounding of 1 + x cancels (Goldberg).
      const r = fn.let(v.mul(lib.call('log', u), v.div(x, d)));
      return v.sel(v.eq(x, cf(INF)), cf(INF), v.sel(v.eq(d, cf(0)), x, r));
    },
  },
  log10: { arity: 1, build: (fn, lib) => v.mul(lib.call('log', fn.param(0)), cf(Math.LOG10E)) },

  sinh: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.param(0);
      const a = fn.let(v.abs(x));
      const e = fn.let(lib.call('expm1', a));
      const small = v.mul(cf(0.5), v.add(e, v.div(e, v.add(e, cf(1)))));
      const h = fn.let(lib.call('exp', v.mul(cf(0.5), a)));
      const big = v.sub(v.mul(v.mul(cf(0.5), h), h), v.div(cf(0.5), v.mul(h, h)));
      return v.copysign(v.sel(v.lt(a, cf(1)), small, big), x);
    },
  },
  cosh: {
    arity: 1,
    build: (fn, lib) => {
      const h = fn.let(lib.call('exp', v.mul(cf(0.5), v.abs(fn.param(0)))));
      return v.add(v.mul(v.mul(cf(0.5), h), h), v.div(cf(0.5), v.mul(h, h)));
    },
  },
  tanh: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.param(0);
      const a = fn.let(v.clampHi(v.abs(x), 9.1));
      const e = fn.let(lib.call('expm1', v.add(a, a)));
      return v.copysign(v.div(e, v.add(e, cf(2))), x);
    },
  },

  arctan: {
    arity: 1,
    build: (fn) => {
      const x = fn.param(0);
      const a = fn.let(v.abs(x));
      const big = fn.let(v.gt(a, cf(2.414213562373095)));
      const mid = fn.let(v.andnot(v.gt(a, cf(0.414213562373095)), big));
      const t = fn.let(v.sel(big, v.div(cf(-1), a), v.sel(mid, v.div(v.sub(a, cf(1)), v.add(a, cf(1))), a)));
      const y0 = v.sel(big, cf(PI / 2), v.sel(mid, cf(PI / 4), cf(0)));
      const z = fn.let(v.mul(t, t));
      const p = fn.madd(
        v.mul(fn.poly(z, [-3.33329491539e-1, 1.99777106478e-1, -1.38776856032e-1, 8.05374449538e-2]), z),
        t,
        t,
      );
      return v.copysign(v.add(p, y0), x);
    },
  },
  arctan2: {
    arity: 2,
    build: (fn, lib) => {
      const y = fn.param(0);
      const x = fn.param(1);
      const ay = fn.let(v.abs(y));
      const ax = fn.let(v.abs(x));
      let t = fn.let(lib.call('arctan', v.div(ay, ax)));
      t = fn.let(v.sel(v.and(v.eq(ay, cf(INF)), v.eq(ax, cf(INF))), cf(PI / 4), t));
      t = fn.let(v.sel(v.and(v.eq(ay, cf(0)), v.eq(ax, cf(0))), cf(0), t));
      // x < 0, including -0 (sign bit set): the angle is measured from the negative axis.
      t = fn.let(v.sel(v.ilt(x, ci(0)), v.sub(cf(PI), t), t));
      return v.copysign(t, y);
    },
  },
  arcsin: {
    arity: 1,
    build: (fn) => {
      const x = fn.param(0);
      const { big, p } = asinCore(fn, x);
      return v.copysign(v.sel(big, v.sub(cf(PI / 2), v.add(p, p)), p), x);
    },
  },
  arccos: {
    arity: 1,
    build: (fn) => {
      const x = fn.let(fn.param(0));
      const { big, p } = asinCore(fn, x);
      const twice = fn.let(v.add(p, p));
      const bigValue = v.sel(v.lt(x, cf(0)), v.sub(cf(PI), twice), twice);
      return v.sel(big, bigValue, v.sub(cf(PI / 2), v.copysign(p, x)));
    },
  },
  arcsinh: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.param(0);
      const a = fn.let(v.abs(x));
      const aa = fn.let(v.mul(a, a));
      const s = lib.call('log1p', v.add(a, v.div(aa, v.add(cf(1), v.sqrt(v.add(cf(1), aa))))));
      const l = v.add(lib.call('log', a), cf(LN2));
      return v.copysign(v.sel(v.gt(a, cf(4096)), l, s), x);
    },
  },
  arccosh: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.let(fn.param(0));
      const t = fn.let(v.sub(x, cf(1)));
      const s = lib.call('log1p', v.add(t, v.sqrt(v.mul(t, v.add(cf(2), t)))));
      const l = v.add(lib.call('log', x), cf(LN2));
      return v.sel(v.lt(x, cf(1)), cf(Number.NaN), v.sel(v.gt(x, cf(4096)), l, s));
    },
  },
  arctanh: {
    arity: 1,
    build: (fn, lib) => {
      const x = fn.param(0);
      const a = fn.let(v.abs(x));
      const r = v.mul(cf(0.5), lib.call('log1p', v.div(v.add(a, a), v.sub(cf(1), a))));
      return v.copysign(r, x);
    },
  },
};

/** asin on |x| by Cephes' two ranges: p = asin(|x|) for |x| <= 0.5, else asin(sqrt((1 - |x|)/2)). */
function asinCore(fn: Fn, x: V): { big: V; p: V } {
  const a = fn.let(v.abs(x));
  const big = fn.let(v.gt(a, cf(0.5)));
  const z = fn.let(v.sel(big, v.mul(cf(0.5), v.sub(cf(1), a)), v.mul(a, a)));
  const s = fn.let(v.sel(big, v.sqrt(z), a));
  const poly = fn.poly(
    z,
    [1.6666752422e-1, 7.4953002686e-2, 4.5470025998e-2, 2.4181311049e-2, 4.2163199048e-2],
  );
  return { big, p: fn.let(fn.madd(v.mul(poly, z), s, s)) };
}
