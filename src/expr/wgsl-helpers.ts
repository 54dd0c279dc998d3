/** WGSL helpers, emitted once each when an expression uses them. */
export const WGSL_HELPERS: Readonly<Record<string, string>> = {
  // WGSL has no NaN or infinity literal and compilers fold constant bit casts into errors: the host
  // passes both in the uniforms (see emit-wgsl.ts).
  kp_nan: `fn kp_nan() -> f32 { return params.nan; }`,
  kp_inf: `fn kp_inf() -> f32 { return params.inf; }`,
  // NaN and infinity by their bits: WGSL lets a compiler assume neither exists, so x != x may be false.
  kp_isnan: `fn kp_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`,
  // x / 0 as IEEE (and NumPy) has it: ±inf by the signs, NaN for 0/0 (some adapters return 0).
  kp_div: `fn kp_div(a: f32, b: f32) -> f32 {
  if (b != 0.0) { return a / b; }
  if (a == 0.0) { return kp_nan(); }
  let negative = ((bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u) != 0u;
  return select(kp_inf(), -kp_inf(), negative);
}`,
  // NumPy's arctan2 at the origin: ±0 toward +0, ±π toward -0 (WGSL leaves atan2(0, 0) undefined).
  // NumPy's arctan2 where WGSL leaves it undefined or adapters err: y = ±0 (±0 toward x ≥ +0, ±π toward
  // x ≤ -0; SwiftShader gave π for (-0, 1)) and infinities (±π/2 from an infinite y, ±π/4 or ±3π/4 for both).
  kp_atan2: `fn kp_atan2(y: f32, x: f32) -> f32 {
  let y_neg = (bitcast<u32>(y) & 0x80000000u) != 0u;
  let x_neg = (bitcast<u32>(x) & 0x80000000u) != 0u;
  let y_inf = (bitcast<u32>(y) & 0x7fffffffu) == 0x7f800000u;
  let x_inf = (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u;
  var r: f32;
  if (y_inf && x_inf) {
    r = select(0.78539816, 2.3561945, x_neg);
  } else if (y_inf) {
    r = 1.5707964;
  } else if (x_inf || y == 0.0) {
    r = select(0.0, 3.1415927, x_neg);
  } else {
    return atan2(y, x);
  }
  return select(r, -r, y_neg);
}`,
  // NumPy's float remainder: the sign of the divisor.
  kp_mod: `fn kp_mod(a: f32, b: f32) -> f32 {
  if ((bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u && (bitcast<u32>(a) & 0x7fffffffu) < 0x7f800000u) {
    // A finite number modulo ±inf: itself, or the divisor when the signs differ (NumPy's rule).
    if (a != 0.0 && ((a < 0.0) != (b < 0.0))) { return b; }
    return a;
  }
  var m = a - b * trunc(a / b);
  if (m != 0.0 && ((b < 0.0) != (m < 0.0))) { m = m + b; }
  return m;
}`,
  // pow as NumPy computes it for float32: negative base needs an integer exponent, else NaN; 0**y by cases.
  kp_pow: `fn kp_pow(x: f32, y: f32) -> f32 {
  if (kp_isnan(x) || kp_isnan(y)) {
    // NumPy: x**0 is 1 and 1**y is 1 even for NaN; any other NaN operand gives NaN.
    if ((!kp_isnan(y) && y == 0.0) || (!kp_isnan(x) && x == 1.0)) { return 1.0; }
    return kp_nan();
  }
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if ((bitcast<u32>(y) & 0x7fffffffu) == 0x7f800000u) {
    // y = ±inf (C99 and NumPy): 1 for |x| = 1, else 0 or inf by whether |x| > 1 and the sign of y.
    if (abs(x) == 1.0) { return 1.0; }
    return select(0.0, kp_inf(), (abs(x) > 1.0) == (y > 0.0));
  }
  if (bitcast<u32>(x) == 0x7f800000u) { return select(0.0, kp_inf(), y > 0.0); }
  if (x == 0.0) {
    // ±0**y: 0 for y > 0, inf for y < 0; negative (-0, -inf) only from -0 with an odd integer y.
    let odd = floor(y) == y && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1;
    let m = select(kp_inf(), 0.0, y > 0.0);
    return select(m, -m, odd && bitcast<u32>(x) == 0x80000000u);
  }
  if (bitcast<u32>(x) == 0xff800000u) {
    // (-inf)**y: ±inf for y > 0, ±0 for y < 0, negative only for an odd integer y (IEEE and NumPy).
    let odd = floor(y) == y && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1;
    let m = select(0.0, kp_inf(), y > 0.0);
    return select(m, -m, odd);
  }
  if (x < 0.0) {
    if (floor(y) != y) { return kp_nan(); }
    let m = pow(-x, y);
    if (abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1) { return -m; }
    return m;
  }
  return pow(x, y);
}`,
  // exp(x) - 1 without cancellation near 0: a Taylor polynomial for |x| < 0.5.
  kp_expm1: `fn kp_expm1(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * (0.0013888889 + x * (0.0001984127 + x * 0.0000248016)))))));
  }
  return exp(x) - 1.0;
}`,
  // log(1 + x) without cancellation near 0: 2 atanh(z), z = x / (2 + x), as a series for |x| < 0.5.
  kp_log1p: `fn kp_log1p(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    let z = x / (2.0 + x);
    let z2 = z * z;
    return 2.0 * z * (1.0 + z2 * (0.33333334 + z2 * (0.2 + z2 * (0.14285715 + z2 * (0.11111111 + z2 * (0.09090909 + z2 * 0.07692308))))));
  }
  return log(1.0 + x);
}`,
};
export const HELPER_DEPS: Readonly<Record<string, string[]>> = {
  kp_pow: ['kp_nan', 'kp_inf', 'kp_isnan'],
  kp_div: ['kp_nan', 'kp_inf'],
};
