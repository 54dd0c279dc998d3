import type { Reference, Tolerance } from '../kernels/types';

export interface Verification {
  ok: boolean;
  maxAbsErr: number;
  maxRelErr: number;
  /** First failing output index and values, for the error message. */
  firstBad?: { index: number; got: number; want: number };
  checked: number;
}

/**
 * Compares an output with the float64 reference: each checked element passes when
 * |got - ref| <= abs + rel*|ref|. NaN or an infinity where the reference is finite never passes.
 * maxRelErr is taken over elements whose reference is not zero.
 */
export function verify(output: Float32Array, ref: Reference, tol: Tolerance): Verification {
  const n = ref.values.length;
  let maxAbs = 0;
  let maxRel = 0;
  let firstBad: Verification['firstBad'];
  const expectLen = ref.indices ? -1 : n;
  if (expectLen >= 0 && output.length !== expectLen) {
    return {
      ok: false,
      maxAbsErr: Number.POSITIVE_INFINITY,
      maxRelErr: Number.POSITIVE_INFINITY,
      checked: 0,
      firstBad: { index: -1, got: output.length, want: expectLen },
    };
  }
  for (let s = 0; s < n; s++) {
    const index = ref.indices ? ref.indices[s] : s;
    const want = ref.values[s];
    const got = output[index];
    // The float32 rounding of the true value is always a right answer: overflow to ±Inf and underflow to
    // 0 are what float32 arithmetic gives (NumPy's float32 agrees bit for bit).
    if (got === want || got === Math.fround(want) || (Number.isNaN(want) && Number.isNaN(got))) continue;
    const d = Math.abs(got - want);
    const bound = tol.abs + tol.rel * Math.abs(want) + (ref.errors ? ref.errors[s] : 0);
    const bad = !(d <= bound); // NaN d (one side NaN or inf) fails here
    if (bad && !firstBad) firstBad = { index, got, want };
    if (Number.isNaN(d)) {
      maxAbs = Number.POSITIVE_INFINITY;
      maxRel = Number.POSITIVE_INFINITY;
      continue;
    }
    if (d > maxAbs) maxAbs = d;
    if (want !== 0 && d / Math.abs(want) > maxRel) maxRel = d / Math.abs(want);
  }
  return { ok: !firstBad, maxAbsErr: maxAbs, maxRelErr: maxRel, firstBad, checked: n };
}

/** A float32 value WGSL may treat specially: NaN, ±Inf, or a subnormal (which a GPU may flush to 0). */
const special = (v: number): boolean => !Number.isFinite(v) || (v !== 0 && Math.abs(v) < 2 ** -126);

/**
 * Why an output element differs, in words. On WebGPU a mismatch where either value is NaN, infinite
 * or subnormal (and the other is what a GPU may make of it: 0 for a subnormal) is called what it is —
 * WGSL lets an implementation flush subnormals and assume no NaN or infinity — not a bare mismatch.
 */
export function mismatchMessage(
  kind: string,
  index: number,
  got: number,
  want: number,
  tol: Tolerance,
): string {
  const at = `at index ${index}: got ${got}, want ${want}`;
  if (kind === 'webgpu' && (special(got) || special(want))) {
    return `special values differ on this adapter (WGSL lets a GPU flush subnormals to zero and assume no NaN or infinity) ${at}`;
  }
  return `output differs from the float64 reference ${at} (tolerance ${tol.abs} + ${tol.rel}·|ref|)`;
}
