import type { Reference } from '../kernels/types';
import { FUNCTIONS, STEP_FUNCTIONS, U, ulp } from './functions';
import type { Program } from './ir';
import { powiPlan } from './powi';

/** Safety factor over the first-order error bound (second-order terms, rounding of the bound itself). */
export const ERROR_FACTOR = 4;

/** NumPy's float remainder (sign of the divisor), in float64. */
/** x ** y as NumPy (C's pow) has it: 1 ** y is 1 even for NaN, and (-1) ** ±inf is 1 (JavaScript says NaN). */
export function numpyPow(x: number, y: number): number {
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : x ** y;
}

export function floorMod(a: number, b: number): number {
  let m = a % b;
  if (m !== 0 && b < 0 !== m < 0) m += b;
  else if (m === 0) m = b < 0 ? -0 : 0;
  return m;
}

const finite = Number.isFinite;

/**
 * Evaluates a program in float64 for element i and returns the value with a bound on how far a
 * float32 evaluation (JavaScript's, or WGSL's within the spec's accuracy) may be from it.
 * `amb` marks booleans that rounding could flip (their operands are within error of each other).
 */
export function evalElement(
  p: Program,
  inputs: readonly Float32Array[],
  i: number,
  v: Float64Array,
  e: Float64Array,
  amb: Uint8Array,
): void {
  p.ins.forEach((s, k) => {
    let val: number;
    let err = 0;
    let flip = 0;
    switch (s.op) {
      case 'const':
        val = s.value;
        err = Math.abs(val - Math.fround(val)) || 0;
        break;
      case 'var':
        val = inputs[s.index][i];
        break;
      case 'neg':
        val = -v[s.a];
        err = e[s.a];
        break;
      case 'not':
        val = v[s.a] ? 0 : 1;
        flip = amb[s.a];
        break;
      case 'tonum':
        val = v[s.a];
        err = amb[s.a] ? 1 : 0;
        break;
      case 'add':
      case 'sub':
        val = s.op === 'add' ? v[s.a] + v[s.b] : v[s.a] - v[s.b];
        err = e[s.a] + e[s.b] + ulp(val);
        break;
      case 'mul':
        val = v[s.a] * v[s.b];
        err = Math.abs(v[s.b]) * e[s.a] + Math.abs(v[s.a]) * e[s.b] + e[s.a] * e[s.b] + ulp(val);
        break;
      case 'div': {
        val = v[s.a] / v[s.b];
        const room = Math.abs(v[s.b]) - e[s.b];
        err = room > 0 ? (e[s.a] + Math.abs(val) * e[s.b]) / room + 3 * ulp(val) : Infinity; // WGSL: 2.5 ULP
        break;
      }
      case 'mod': {
        const a = v[s.a];
        const b = v[s.b];
        val = floorMod(a, b);
        const q = a / b;
        const dq = (e[s.a] + Math.abs(q) * e[s.b]) / Math.abs(b) + 8 * U * Math.abs(q) + 8 * U;
        // Near a multiple of b the result jumps between ~0 and ~b: either is within rounding.
        err =
          Math.floor(q - dq) !== Math.floor(q + dq)
            ? Math.abs(b) + e[s.b]
            : e[s.a] + e[s.b] * Math.abs(Math.floor(q)) + 4 * ulp(a) + ulp(val);
        break;
      }
      case 'powi': {
        const vals = [v[s.a]];
        const errs = [e[s.a]];
        for (const [x, y] of powiPlan(s.n)) {
          const w = vals[x] * vals[y];
          errs.push(Math.abs(vals[y]) * errs[x] + Math.abs(vals[x]) * errs[y] + errs[x] * errs[y] + ulp(w));
          vals.push(w);
        }
        const last = vals[vals.length - 1];
        const le = errs[errs.length - 1];
        if (s.n === 0) {
          val = 1;
        } else if (s.n < 0) {
          val = 1 / last;
          err = Math.abs(last) > le ? (Math.abs(val) * le) / (Math.abs(last) - le) + 3 * ulp(val) : Infinity;
        } else {
          val = last;
          err = le;
        }
        break;
      }
      case 'pow': {
        const x = v[s.a];
        const y = v[s.b];
        val = numpyPow(x, y);
        if (!finite(val) || val === 0) break; // exact cases (NaN, inf, 0): must match exactly
        const ax = Math.abs(x);
        const z = y * Math.log2(ax);
        // WGSL: exp2(y * log2(x)): log2 3 ULP (2^-21 absolute on [0.5, 2]), exp2 3 + 2|z| ULP.
        const log2Err = ax >= 0.5 && ax <= 2 ? 2 ** -21 : 3 * 2 * U * Math.abs(Math.log2(ax));
        const own =
          Math.abs(val) *
          ((3 + 2 * Math.abs(z)) * 2 * U + Math.LN2 * (Math.abs(y) * log2Err + 2 * U * Math.abs(z)));
        err = Math.abs(y * x ** (y - 1)) * e[s.a] + Math.abs(val * Math.log(ax)) * e[s.b] + own;
        break;
      }
      case 'cmp': {
        const a = v[s.a];
        const b = v[s.b];
        const c = s.cmp;
        val = (
          c === '<'
            ? a < b
            : c === '<='
              ? a <= b
              : c === '>'
                ? a > b
                : c === '>='
                  ? a >= b
                  : c === '=='
                    ? a === b
                    : a !== b
        )
          ? 1
          : 0;
        flip = Math.abs(a - b) <= e[s.a] + e[s.b] ? 1 : 0;
        break;
      }
      case 'and':
        val = v[s.a] && v[s.b] ? 1 : 0;
        flip = amb[s.a] | amb[s.b];
        break;
      case 'or':
        val = v[s.a] || v[s.b] ? 1 : 0;
        flip = amb[s.a] | amb[s.b];
        break;
      case 'where':
        val = v[s.c] ? v[s.a] : v[s.b];
        err = amb[s.c] ? Math.abs(v[s.a] - v[s.b]) + Math.max(e[s.a], e[s.b]) : v[s.c] ? e[s.a] : e[s.b];
        break;
      case 'call': {
        const f = FUNCTIONS.get(s.fn)!;
        const x = s.args.map((a) => v[a]);
        val = f.f64(...x);
        if (!finite(val)) break;
        if (STEP_FUNCTIONS.has(s.fn)) {
          const ex = e[s.args[0]];
          err =
            Math.floor(x[0] - ex) !== Math.floor(x[0] + ex) || Math.ceil(x[0] - ex) !== Math.ceil(x[0] + ex)
              ? 1
              : 0;
          break;
        }
        const d = f.d(...x);
        err = f.own(x, val) + ulp(val);
        s.args.forEach((a, j) => {
          if (e[a]) err += Math.abs(d[j]) * e[a];
        });
        if (s.fn === 'minimum' || s.fn === 'maximum') err = e[s.args[0]] + e[s.args[1]];
        break;
      }
    }
    v[k] = val;
    e[k] = Number.isNaN(err) ? Infinity : err;
    amb[k] = flip;
  });
}

/**
 * The float64 reference of an elementwise program, with per-element error bounds (times
 * ERROR_FACTOR): verification accepts |got - value| <= bound. An infinite bound (a singularity within
 * rounding error) accepts anything, which is rare and counted by tests.
 */
export function referenceOf(p: Program, inputs: readonly Float32Array[], size: number): Reference {
  const n = p.ins.length;
  const v = new Float64Array(n);
  const e = new Float64Array(n);
  const amb = new Uint8Array(n);
  const r = p.result;
  const isBool = p.types[r] === 'bool';
  if (!p.reduction) {
    const values = new Float64Array(size);
    const errors = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      evalElement(p, inputs, i, v, e, amb);
      values[i] = v[r];
      errors[i] = isBool ? amb[r] : finite(v[r]) ? ERROR_FACTOR * e[r] : 0;
    }
    return { indices: null, values, errors };
  }
  // Reductions: the exact float64 fold and a bound from the element bounds plus a tree of rounding.
  let acc =
    p.reduction === 'sum' ? 0 : p.reduction === 'prod' ? 1 : p.reduction === 'min' ? Infinity : -Infinity;
  let errSum = 0;
  let errMax = 0;
  let absSum = 0;
  let relSum = 0;
  for (let i = 0; i < size; i++) {
    evalElement(p, inputs, i, v, e, amb);
    const x = v[r];
    const ex = isBool ? amb[r] : e[r];
    if (p.reduction === 'sum') acc += x;
    else if (p.reduction === 'prod') acc *= x;
    else if (p.reduction === 'min') acc = Math.min(acc, x);
    else acc = Math.max(acc, x);
    errSum += ex;
    errMax = Math.max(errMax, ex);
    absSum += Math.abs(x);
    relSum += x === 0 ? (ex ? Infinity : 0) : ex / Math.abs(x);
  }
  const depth = Math.ceil(Math.log2(Math.max(2, size))) + 4;
  let err: number;
  if (p.reduction === 'sum') err = errSum + depth * 2 * U * absSum;
  else if (p.reduction === 'prod') err = Math.abs(acc) * (relSum + depth * 2 * U) + 2 ** -120;
  else err = errMax;
  return {
    indices: null,
    values: Float64Array.of(acc),
    errors: Float64Array.of(finite(acc) ? ERROR_FACTOR * err : 0),
  };
}
