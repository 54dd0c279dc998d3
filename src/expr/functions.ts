/**
 * The function table: arity, how each target computes it, and how much error each may add.
 *
 * Error model (see "Expression tolerances" in the README): each function contributes its own error,
 * `own(x, v)`, an absolute bound at argument x and float64 value v, taken from the WGSL spec's accuracy
 * table for f32 (the looser target; JavaScript evaluates in float64 and rounds once, within 1 ULP), and
 * propagates its arguments' errors through its derivatives, `d(x)`. U is one float32 unit roundoff.
 */
export const U = 2 ** -24;
/** One float32 ULP of |v| (at least the smallest normal's, since GPUs may flush subnormals). */
export const ulp = (v: number): number => Math.max(Math.abs(v), 2 ** -126) * 2 * U;

export interface FunctionDef {
  name: string;
  arity: number;
  /** float64 value: the reference. */
  f64(...x: number[]): number;
  /** JavaScript source over float32 argument expressions, before the final rounding to float32. */
  js(...x: string[]): string;
  /** WGSL source over f32 argument expressions (helpers named kp_* are emitted when used). */
  wgsl(...x: string[]): string;
  /** Partial derivatives at x (for propagating argument error). */
  d(...x: number[]): number[];
  /** This function's own absolute error bound at x, value v. */
  own(x: number[], v: number): number;
  /** WGSL helper functions this one needs. */
  helpers?: string[];
}

const fn = (name: string, def: Omit<FunctionDef, 'name' | 'arity'> & { arity?: number }): FunctionDef => ({
  name,
  arity: def.arity ?? 1,
  ...def,
});

/** exp's WGSL bound: 3 + 2|x| ULP. */
const expOwn = (x: number, v: number) => (3 + 2 * Math.abs(x)) * ulp(v);
/** log's WGSL bound: 3 ULP outside [0.5, 2], 2^-21 absolute inside. */
const logOwn = (x: number, v: number) => (x >= 0.5 && x <= 2 ? 2 ** -21 : 3 * ulp(v));
/** sin/cos: 2^-11 absolute on [-π, π]; beyond that the spec gives no bound, so the error grows with |x|. */
const trigOwn = (x: number) => 2 ** -11 * Math.max(1, Math.abs(x) / Math.PI);

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  [
    fn('sin', {
      f64: Math.sin,
      js: (x) => `Math.sin(${x})`,
      wgsl: (x) => `sin(${x})`,
      d: (x) => [Math.cos(x)],
      own: ([x]) => trigOwn(x),
    }),
    fn('cos', {
      f64: Math.cos,
      js: (x) => `Math.cos(${x})`,
      wgsl: (x) => `cos(${x})`,
      d: (x) => [-Math.sin(x)],
      own: ([x]) => trigOwn(x),
    }),
    fn('tan', {
      f64: Math.tan,
      js: (x) => `Math.tan(${x})`,
      wgsl: (x) => `tan(${x})`,
      d: (x) => [1 + Math.tan(x) ** 2],
      // inherited from sin(x)/cos(x)
      own: ([x], v) => (trigOwn(x) * (1 + Math.abs(v))) / Math.max(Math.abs(Math.cos(x)), 1e-30) + 3 * ulp(v),
    }),
    fn('arcsin', {
      f64: Math.asin,
      js: (x) => `Math.asin(${x})`,
      wgsl: (x) => `asin(${x})`,
      d: (x) => [1 / Math.sqrt(1 - x * x)],
      own: ([x], v) => 4096 * ulp(v) + 2 ** -20 / Math.sqrt(Math.max(1 - x * x, 1e-30)),
    }),
    fn('arccos', {
      f64: Math.acos,
      js: (x) => `Math.acos(${x})`,
      wgsl: (x) => `acos(${x})`,
      d: (x) => [-1 / Math.sqrt(1 - x * x)],
      own: ([x], v) => 4096 * ulp(v) + 2 ** -20 / Math.sqrt(Math.max(1 - x * x, 1e-30)),
    }),
    fn('arctan', {
      f64: Math.atan,
      js: (x) => `Math.atan(${x})`,
      wgsl: (x) => `atan(${x})`,
      d: (x) => [1 / (1 + x * x)],
      own: (_x, v) => 4096 * ulp(v),
    }),
    fn('arctan2', {
      arity: 2,
      f64: Math.atan2,
      js: (y, x) => `Math.atan2(${y}, ${x})`,
      wgsl: (y, x) => `kp_atan2(${y}, ${x})`,
      helpers: ['kp_atan2'],
      d: (y, x) => [x / (x * x + y * y), -y / (x * x + y * y)],
      own: (_x, v) => 4096 * ulp(v),
    }),
    fn('sinh', {
      f64: Math.sinh,
      js: (x) => `Math.sinh(${x})`,
      wgsl: (x) => `sinh(${x})`,
      d: (x) => [Math.cosh(x)],
      // inherited from (exp(x) - exp(-x)) / 2: cancellation near 0 leaves exp's error in absolute terms
      own: ([x], v) => 2 * expOwn(x, Math.cosh(x)) + ulp(v),
    }),
    fn('cosh', {
      f64: Math.cosh,
      js: (x) => `Math.cosh(${x})`,
      wgsl: (x) => `cosh(${x})`,
      d: (x) => [Math.sinh(x)],
      own: ([x], v) => 2 * expOwn(x, v) + ulp(v),
    }),
    fn('tanh', {
      f64: Math.tanh,
      js: (x) => `Math.tanh(${x})`,
      // clamped: tanh(±10) is ±1 in f32, and an implementation through exp would overflow to inf/inf
      wgsl: (x) => `tanh(clamp(${x}, -10.0, 10.0))`,
      d: (x) => [1 - Math.tanh(x) ** 2],
      own: ([x]) => 4 * expOwn(Math.min(Math.abs(x), 10), 1),
    }),
    fn('arcsinh', {
      f64: Math.asinh,
      js: (x) => `Math.asinh(${x})`,
      // Odd by construction: SwiftShader's asinh of a negative argument cancels (log(x + sqrt(x²+1))).
      wgsl: (x) => `select(asinh(abs(${x})), -asinh(abs(${x})), ${x} < 0.0)`,
      d: (x) => [1 / Math.sqrt(x * x + 1)],
      own: ([x], v) => logOwn(Math.abs(x) + Math.sqrt(x * x + 1), v) + 4 * ulp(v),
    }),
    fn('arccosh', {
      f64: Math.acosh,
      js: (x) => `Math.acosh(${x})`,
      wgsl: (x) => `acosh(${x})`,
      d: (x) => [1 / Math.sqrt(Math.max(x * x - 1, 1e-30))],
      own: ([x], v) =>
        logOwn(x + Math.sqrt(Math.max(x * x - 1, 0)), v) +
        4 * ulp(v) +
        2 ** -20 / Math.sqrt(Math.max(x * x - 1, 1e-30)),
    }),
    fn('arctanh', {
      f64: Math.atanh,
      js: (x) => `Math.atanh(${x})`,
      wgsl: (x) => `atanh(${x})`,
      d: (x) => [1 / (1 - x * x)],
      // inherited from log((1+x)/(1-x)) / 2
      own: ([x], v) =>
        logOwn((1 + x) / (1 - x), v) + 4 * ulp(v) + 2 ** -22 / Math.max(1 - Math.abs(x), 1e-30),
    }),
    fn('exp', {
      f64: Math.exp,
      js: (x) => `Math.exp(${x})`,
      wgsl: (x) => `exp(${x})`,
      d: (x) => [Math.exp(x)],
      own: ([x], v) => expOwn(x, v),
    }),
    fn('expm1', {
      f64: Math.expm1,
      js: (x) => `Math.expm1(${x})`,
      wgsl: (x) => `kp_expm1(${x})`,
      helpers: ['kp_expm1'],
      d: (x) => [Math.exp(x)],
      own: ([x], v) => (Math.abs(x) < 0.5 ? 8 * ulp(v) : expOwn(x, Math.exp(x)) + ulp(v)),
    }),
    fn('log', {
      f64: Math.log,
      js: (x) => `Math.log(${x})`,
      // WGSL leaves log of a negative number undefined (SwiftShader returns a finite value): NaN, as NumPy.
      wgsl: (x) => `select(select(log(${x}), -kp_inf(), ${x} == 0.0), kp_nan(), ${x} < 0.0)`,
      helpers: ['kp_nan', 'kp_inf'],
      d: (x) => [1 / x],
      own: ([x], v) => logOwn(x, v),
    }),
    fn('log10', {
      f64: Math.log10,
      js: (x) => `Math.log10(${x})`,
      wgsl: (x) =>
        `select(select(log(${x}) * 0.43429448190325176, -kp_inf(), ${x} == 0.0), kp_nan(), ${x} < 0.0)`,
      helpers: ['kp_nan', 'kp_inf'],
      d: (x) => [1 / (x * Math.LN10)],
      own: ([x], v) => logOwn(x, v * Math.LN10) / Math.LN10 + 2 * ulp(v),
    }),
    fn('log1p', {
      f64: Math.log1p,
      js: (x) => `Math.log1p(${x})`,
      wgsl: (x) => `kp_log1p(${x})`,
      helpers: ['kp_log1p'],
      d: (x) => [1 / (1 + x)],
      own: ([x], v) => (Math.abs(x) < 0.5 ? 8 * ulp(v) : logOwn(1 + x, v) + 2 * ulp(v)),
    }),
    fn('sqrt', {
      f64: Math.sqrt,
      js: (x) => `Math.sqrt(${x})`,
      // WGSL leaves sqrt of a negative number undefined: NaN, as NumPy.
      wgsl: (x) => `select(sqrt(${x}), kp_nan(), ${x} < 0.0)`,
      helpers: ['kp_nan'],
      d: (x) => [0.5 / Math.sqrt(x)],
      own: (_x, v) => 3 * ulp(v), // inherited from 1/inverseSqrt(x): 2 ULP + a division
    }),
    fn('abs', {
      f64: Math.abs,
      js: (x) => `Math.abs(${x})`,
      wgsl: (x) => `abs(${x})`,
      d: (x) => [x < 0 ? -1 : 1],
      own: () => 0,
    }),
    fn('floor', {
      f64: Math.floor,
      js: (x) => `Math.floor(${x})`,
      wgsl: (x) => `floor(${x})`,
      d: () => [0],
      own: () => 0,
    }),
    fn('ceil', {
      f64: Math.ceil,
      js: (x) => `Math.ceil(${x})`,
      wgsl: (x) => `ceil(${x})`,
      d: () => [0],
      own: () => 0,
    }),
    fn('minimum', {
      arity: 2,
      f64: Math.min,
      js: (a, b) => `Math.min(${a}, ${b})`,
      wgsl: (a, b) => `min(${a}, ${b})`,
      d: (a, b) => (a <= b ? [1, 0] : [0, 1]),
      own: () => 0,
    }),
    fn('maximum', {
      arity: 2,
      f64: Math.max,
      js: (a, b) => `Math.max(${a}, ${b})`,
      wgsl: (a, b) => `max(${a}, ${b})`,
      d: (a, b) => (a >= b ? [1, 0] : [0, 1]),
      own: () => 0,
    }),
  ].map((f) => [f.name, f]),
);

/** Functions that only discontinuities make uncertain: a value within its error of a jump may land on either side. */
export const STEP_FUNCTIONS = new Set(['floor', 'ceil']);

export type ReductionName = 'sum' | 'prod' | 'min' | 'max';
export const REDUCTIONS: ReadonlySet<string> = new Set(['sum', 'prod', 'min', 'max']);
