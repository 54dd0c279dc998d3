/**
 * A tiny expression language over v128 values for writing WebAssembly SIMD code readably: a `V` is
 * code that pushes one v128; `Fn.let` evaluates one into a local, so a value used twice is computed
 * once. Float ops are f32x4 unless named otherwise; masks are all-ones/all-zeros lanes.
 */
import { Body, type SimdOp, V128 } from './encode';

export type V = (b: Body) => void;

export const cf =
  (x: number): V =>
  (b) =>
    b.f32x4(x);
export const ci =
  (x: number): V =>
  (b) =>
    b.i32x4(x);

const un =
  (op: SimdOp) =>
  (a: V): V =>
  (b) => {
    a(b);
    b.simd(op);
  };
const bin =
  (op: SimdOp) =>
  (x: V, y: V): V =>
  (b) => {
    x(b);
    y(b);
    b.simd(op);
  };

export const add = bin('f32x4.add');
export const sub = bin('f32x4.sub');
export const mul = bin('f32x4.mul');
export const div = bin('f32x4.div');
export const min = bin('f32x4.min');
export const max = bin('f32x4.max');
/**
 * Clamps that keep NaN: pmin(x, c) = c < x ? c : x and pmax(x, c) = x < c ? c : x (one x86 instruction
 * each, where min/max need about eight for their NaN and ±0 rules).
 */
export const clampHi = (x: V, c: number): V => bin('f32x4.pmin')(x, cf(c));
export const clampLo = (x: V, c: number): V => bin('f32x4.pmax')(x, cf(c));
/** 1.5·2^23: adding it to |v| < 2^22 rounds v to an integer (to nearest, ties to even) in the low mantissa bits. */
export const MAGIC = 12582912;
/** The bit pattern of MAGIC as a float32 (0x4b400000). */
export const MAGIC_BITS = 0x4b400000;
export const eq = bin('f32x4.eq');
export const ne = bin('f32x4.ne');
export const lt = bin('f32x4.lt');
export const gt = bin('f32x4.gt');
export const le = bin('f32x4.le');
export const ge = bin('f32x4.ge');
export const and = bin('v128.and');
export const or = bin('v128.or');
export const xor = bin('v128.xor');
/** x & ~y */
export const andnot = bin('v128.andnot');
export const iadd = bin('i32x4.add');
export const isub = bin('i32x4.sub');
export const ieq = bin('i32x4.eq');
export const ilt = bin('i32x4.lt_s');
export const igt = bin('i32x4.gt_s');
export const abs = un('f32x4.abs');
export const neg = un('f32x4.neg');
export const sqrt = un('f32x4.sqrt');
export const floor = un('f32x4.floor');
export const ceil = un('f32x4.ceil');
export const trunc = un('f32x4.trunc');
export const nearest = un('f32x4.nearest');
export const not = un('v128.not');
/** Float lanes to int32 lanes, truncating (NaN to 0, saturating). */
export const toInt = un('i32x4.trunc_sat_f32x4_s');
export const toFloat = un('f32x4.convert_i32x4_s');
export const shl =
  (a: V, n: number): V =>
  (b) => {
    a(b);
    b.i32(n);
    b.simd('i32x4.shl');
  };
export const shr =
  (a: V, n: number): V =>
  (b) => {
    a(b);
    b.i32(n);
    b.simd('i32x4.shr_s');
  };
/** m ? t : f, lane by lane. */
export const sel =
  (m: V, t: V, f: V): V =>
  (b) => {
    t(b);
    f(b);
    m(b);
    b.simd('v128.bitselect');
  };
export const isnan = (x: V): V => ne(x, x);
const SIGN = 0x80000000 | 0;
/** The magnitude of x with the sign of s. */
export const copysign = (x: V, s: V): V => or(andnot(x, ci(SIGN)), and(s, ci(SIGN)));
/** x with its sign flipped where m's lanes are set. */
export const flipWhere = (x: V, m: V): V => xor(x, and(m, ci(SIGN)));

/** A function under construction: its parameters and locals, and let-bindings. */
export class Fn {
  readonly body: Body;
  private readonly params: number[];
  /**
   * A function of `nParams` v128 parameters with its own body; or, given `into` (a body and the locals
   * holding the arguments), code inlined into that body.
   */
  constructor(
    nParams: number,
    /** Fused multiply-add (relaxed SIMD) for polynomials, when the engine has it. */
    readonly relaxed: boolean,
    into?: { body: Body; args: number[] },
  ) {
    this.body = into?.body ?? new Body(Array(nParams).fill(V128));
    this.params = into?.args ?? Array.from({ length: nParams }, (_, i) => i);
  }
  param(i: number): V {
    const p = this.params[i];
    return (b) => b.get(p);
  }
  /** Evaluates v now, into a new local; the result reads the local. */
  let(v: V): V {
    const i = this.body.local(V128);
    v(this.body);
    this.body.set(i);
    return (b) => b.get(i);
  }
  /** a*b + c: fused where relaxed SIMD is used (either rounding is within the accuracy table's bounds). */
  madd(a: V, bb: V, c: V): V {
    if (!this.relaxed) return add(mul(a, bb), c);
    return (b) => {
      a(b);
      bb(b);
      c(b);
      b.simd('f32x4.relaxed_madd');
    };
  }
  /** c[0] + x*(c[1] + x*(c[2] + ...)) by Horner's rule. */
  poly(x: V, c: readonly number[]): V {
    let acc: V = cf(c[c.length - 1]);
    for (let k = c.length - 2; k >= 0; k--) acc = this.madd(acc, x, cf(c[k]));
    return acc;
  }
}
