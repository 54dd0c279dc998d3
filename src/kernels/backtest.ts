import { SHADERS } from '../shaders.gen';
import { backtestWasm } from './backtest-wasm';
import { normalArray } from './rng';
import type { CpuProgram, GpuProgram, KernelSpec } from './types';

/**
 * The post's slow job as a sweep: one synthetic daily price series, a moving-average crossover strategy
 * (long the next day when the fast window's mean closes above the slow window's, flat otherwise), run
 * for `size` (fast, slow) window pairs. Each pair is a sequential loop over the days; pairs are
 * independent: the pool's and the GPU's parallelism.
 *
 * Inputs: the series, led by its length ([days, p_0, …, p_{days-1}], prices in whole cents: exact in
 * float32), and the pairs ([fast_0, slow_0, fast_1, slow_1, …]). Output: per pair its total return and
 * its annualised Sharpe ratio, side by side (out[2i], out[2i + 1]).
 *
 * Why cents: a float32 moving average flips decisions on near-ties against a float64 reference. In
 * whole cents the window sums are exact integers on every target (JavaScript doubles, WebAssembly i32
 * lanes and 64-bit products, WGSL u32 with the products built from 16-bit halves), and "fast mean above
 * slow mean" is sumFast·slow > sumSlow·fast, also exact: every backend takes the same positions on the
 * same days, and only the returns' float32 arithmetic differs (bounded per pair below).
 */
export const BT = {
  days: 3600,
  /** Start price in cents ($100), drift and volatility per year, trading days per year. */
  p0: 10000,
  mu: 0.07,
  sigma: 0.2,
  year: 252,
  /** Prices stay within [$1, $10,000]: window sums stay below 2^32 (3600 days · 10^6 cents). */
  minCents: 100,
  maxCents: 1_000_000,
  /** Every pair trades at least this many days (a year): a Sharpe ratio over fewer is noise. */
  minTradingDays: 252,
  /** One day of one pair, counted as flops: two window updates, a 64-bit comparison, a return's share. */
  flopsPerDay: 12,
} as const;

/** The longest series a program accepts (the WebAssembly scratch is sized for it). */
export const MAX_DAYS = BT.days;

/** The sweep of a size: a grid of `cols` fast windows by ⌈size / cols⌉ slow windows, row by row. */
export interface BacktestGrid {
  cols: number;
  rows: number;
  fast(i: number): number;
  slow(i: number): number;
}

/**
 * Pair i of a size's sweep: cols = ⌈√size⌉ fast windows 2, 3, … cols + 1 days; slow windows from
 * cols + 2 days in steps of 4 (so slow > fast always). The default 64 × 64: fast 2–65, slow 66–318.
 */
export function backtestGrid(size: number): BacktestGrid {
  const cols = Math.max(1, Math.ceil(Math.sqrt(size)));
  return {
    cols,
    rows: Math.ceil(size / cols),
    fast: (i) => 2 + (i % cols),
    slow: (i) => cols + 2 + 4 * Math.floor(i / cols),
  };
}

/** The longest slow window of a size's sweep. */
export const longestWindow = (size: number): number => {
  const g = backtestGrid(size);
  return g.slow(size - 1);
};

/** The longest slow window the series allows: every pair keeps a year of trading days. */
export const LONGEST_SLOW = BT.days - BT.minTradingDays;

/** The largest sweep whose longest window leaves every pair a year of trading days. */
export const MAX_PAIRS_FOR_SERIES = (() => {
  let cols = 1;
  while (5 * (cols + 1) - 2 <= LONGEST_SLOW) cols++;
  return cols * cols;
})();

/** A seeded geometric random walk in whole cents, led by its length. */
export function makeSeries(days: number, seed: number): Float32Array {
  const dt = 1 / BT.year;
  const z = normalArray(Math.max(0, days - 1), seed, 0, 0, 1);
  const out = new Float32Array(days + 1);
  out[0] = days;
  let logp = Math.log(BT.p0);
  const drift = (BT.mu - 0.5 * BT.sigma * BT.sigma) * dt;
  const vol = BT.sigma * Math.sqrt(dt);
  for (let t = 0; t < days; t++) {
    if (t > 0) logp += drift + vol * z[t - 1];
    out[t + 1] = Math.min(BT.maxCents, Math.max(BT.minCents, Math.round(Math.exp(logp))));
  }
  return out;
}

/** The pairs of a size's sweep as the kernel's second input. */
export function makePairs(size: number): Float32Array {
  const g = backtestGrid(size);
  const out = new Float32Array(2 * size);
  for (let i = 0; i < size; i++) {
    out[2 * i] = g.fast(i);
    out[2 * i + 1] = g.slow(i);
  }
  return out;
}

/** Daily prefix sums Q[j] = p_0 + … + p_{j-1} and returns R[t] = (p_t − p_{t−1}) / p_{t−1} (R[0] = 0), in float64. */
function prefixAndReturns(series: Float32Array): { days: number; q: Float64Array; r: Float64Array } {
  const days = series[0];
  const q = new Float64Array(days + 1);
  const r = new Float64Array(days);
  for (let t = 0; t < days; t++) {
    const p = series[1 + t];
    q[t + 1] = q[t] + p;
    if (t > 0) r[t] = (p - series[t]) / series[t];
  }
  return { days, q, r };
}

/** Mean, sample variance and the annualised Sharpe ratio of n daily returns from their sums. */
export function sharpe(sum: number, sumSq: number, n: number): number {
  const mean = sum / n;
  const variance = (sumSq - sum * mean) / (n - 1);
  return variance > 0 ? (mean / Math.sqrt(variance)) * Math.sqrt(BT.year) : 0;
}

/**
 * One pair over the series, in float64: on each day t ≥ slow it holds the position decided at the
 * close of t − 1 (fast mean above slow mean), earning that day's return. The returns' sums and the
 * compounded wealth give the total return and the Sharpe ratio over the days - slow trading days.
 */
function runPair(
  q: Float64Array,
  r: Float64Array,
  days: number,
  f: number,
  s: number,
  stats?: Float64Array,
): [number, number] {
  let wealth = 1;
  let sum = 0;
  let sumSq = 0;
  let abs = 0;
  let held = 0;
  for (let t = s; t < days; t++) {
    if ((q[t] - q[t - f]) * s > (q[t] - q[t - s]) * f) {
      const x = r[t];
      wealth *= 1 + x;
      sum += x;
      sumSq += x * x;
      abs += Math.abs(x);
      held++;
    }
  }
  if (stats) {
    stats[0] = abs;
    stats[1] = held;
    stats[2] = sumSq;
    stats[3] = sum;
  }
  return [wealth - 1, sharpe(sum, sumSq, days - s)];
}

/** One pair per work item; its total return and Sharpe ratio side by side. The series is read whole. */
const cpu: CpuProgram = {
  items: (pairs) => pairs,
  align: 64,
  inputSpan: (_pairs, input, start, end) => (input === 0 ? [0, MAX_DAYS + 1] : [2 * start, 2 * end]),
  outputSpan: (_pairs, start, end) => [2 * start, 2 * end],
  run(inputs, out, _pairs, start, end) {
    const [series, pairs] = inputs;
    const { days, q, r } = prefixAndReturns(series);
    for (let i = start; i < end; i++) {
      const [ret, sr] = runPair(q, r, days, pairs[2 * i], pairs[2 * i + 1]);
      out[2 * i] = ret;
      out[2 * i + 1] = sr;
    }
  },
};

const gpu: GpuProgram = {
  variant: 'default',
  shaders: {
    main: {
      label: 'backtest.wgsl',
      bindings: [
        { name: 'series', access: 'read', note: '[days, prices in cents…]' },
        { name: 'pairs', access: 'read', note: '[fast, slow] per pair' },
        { name: 'out', access: 'read_write', note: '[total return, Sharpe] per pair' },
      ],
      uniforms: [{ name: 'n', type: 'u32' }],
      workgroup: 'device',
      body: `const YEAR: f32 = ${BT.year}.0;\n${SHADERS.backtest}`,
    },
  },
  // One invocation per pair, each a loop over the days: a submission holds budget / (WG · days · 12 flops).
  plan(pairs, ctx) {
    return {
      scratch: [],
      passes: [
        {
          shader: 'main',
          groups: Math.ceil(pairs / ctx.wg),
          perSubmission: Math.max(1, Math.floor(ctx.budget.flops / (ctx.wg * BT.days * BT.flopsPerDay))),
          buffers: ['in0', 'in1', 'out'],
          uniforms: { n: pairs },
        },
      ],
    };
  },
};

const U = 2 ** -24;

/** Per-pair reference values, with bounds for float32 programs (see the tolerance note below). */
function reference(series: Float32Array, pairs: Float32Array, size: number) {
  const { days, q, r } = prefixAndReturns(series);
  const values = new Float64Array(2 * size);
  const errors = new Float64Array(2 * size);
  const stats = new Float64Array(4);
  for (let i = 0; i < size; i++) {
    const f = pairs[2 * i];
    const s = pairs[2 * i + 1];
    const [ret, sr] = runPair(q, r, days, f, s, stats);
    values[2 * i] = ret;
    values[2 * i + 1] = sr;
    const [abs, held, sumSq, sum] = stats;
    const n = days - s;
    // total return: each held day's factor 1 + r (r within 2.5 ulp, WGSL's division) and its product
    // round: about 4 ulp of the wealth per held day
    errors[2 * i] = (1 + ret) * (4 * held + 8) * U;
    // Sharpe = √252 · mean / sd: the float32 sums of r and r² are off by at most (held + 8) ulp of
    // Σ|r| and Σr², which moves the mean by δ/n and the variance by (δ₂ + 2|Σr|δ/n) / (n − 1); twice
    // that, and 16 ulp of the ratio for the final division and square root
    if (held > 0) {
      const mean = Math.abs(sum) / n;
      const sd = Math.sqrt(Math.max(0, (sumSq - sum * (sum / n)) / (n - 1))) || Number.MIN_VALUE;
      const d1 = (held + 8) * U * abs;
      const d2 = (held + 8) * U * sumSq;
      const dMean = d1 / n;
      const dVar = (d2 + (2 * Math.abs(sum) * d1) / n) / (n - 1);
      errors[2 * i + 1] =
        2 * Math.sqrt(BT.year) * (dMean / sd + (mean * dVar) / (2 * sd * sd * sd)) + 16 * U * Math.abs(sr);
    }
  }
  return { indices: null, values, errors };
}

/** Buying on the first day and holding to the last, in words: the yardstick for the sweep. */
export function buyAndHold(series: Float32Array): string {
  const days = series[0];
  let sum = 0;
  let sumSq = 0;
  for (let t = 1; t < days; t++) {
    const r = (series[1 + t] - series[t]) / series[t];
    sum += r;
    sumSq += r * r;
  }
  const total = series[days] / series[1] - 1;
  return `Buy and hold over all ${days} days: Sharpe ${sharpe(sum, sumSq, days - 1).toFixed(2)}, total return ${pct(total)}`;
}

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}%`;

/** A pair and its outputs in words: "fast 7 / slow 230 days: Sharpe 0.79, total return +390.4%". */
export const describePair = (fast: number, slow: number, totalReturn: number, sharpe: number): string =>
  `fast ${fast} / slow ${slow} days: Sharpe ${sharpe.toFixed(2)}, total return ${pct(totalReturn)}`;

/** The MA crossover swept over (fast, slow) window pairs on one seeded price series. */
export const backtest: KernelSpec = {
  id: 'backtest',
  title: 'Backtest sweep',
  summary: `a moving-average crossover (long when the fast mean closes above the slow) on a ${BT.days}-day seeded price series, swept over size (fast, slow) window pairs; each pair a sequential loop over the days; compute-bound`,
  bound: 'compute',
  sizeLabel: 'window pairs',
  describeSize(size) {
    const g = backtestGrid(size);
    return `${size} window pair${size === 1 ? '' : 's'} (${g.cols} fast × ${g.rows} slow)`;
  },
  defaultSize: 64 * 64,
  minSize: 1,
  maxSize: 2 ** 20,
  sizeError(size) {
    const longest = longestWindow(size);
    if (longest <= LONGEST_SLOW) return undefined;
    const g = backtestGrid(size);
    return `size ${size} makes a ${g.cols} × ${g.rows} sweep whose longest slow window, ${longest} days, does not fit the ${BT.days}-day series (at most ${LONGEST_SLOW} days leaves every pair a year, ${BT.minTradingDays} trading days, for its Sharpe ratio): choose at most ${MAX_PAIRS_FOR_SERIES} pairs`;
  },
  sweepSizes: (maxElements) => [16, 256, 1024, 4096, 16384, 65536].filter((n) => 2 * n <= maxElements),
  picture: 'sweep-heatmap',
  testSizes: [1, 3, 255, 1023, 2053],
  inputNames: ['series', 'pairs'],
  inputLength: (size, input) => (input === 0 ? BT.days + 1 : 2 * size),
  makeInputs: (size, seed) => [makeSeries(BT.days, seed), makePairs(size)],
  outputLength: (size) => 2 * size,
  describeResult(output, size) {
    let best = 0;
    for (let i = 1; i < size; i++) if (output[2 * i + 1] > output[2 * best + 1]) best = i;
    const g = backtestGrid(size);
    return `best pair ${describePair(g.fast(best), g.slow(best), output[2 * best], output[2 * best + 1])}`;
  },
  reference: (inputs, size) => reference(inputs[0], inputs[1], size),
  // The positions are exact on every target (whole cents, integer comparisons); float32 programs differ
  // from the float64 reference only in the returns' arithmetic, bounded per pair in `errors`: the
  // wealth's ~4 ulp per held day, the sums' (held + 8) ulp of Σ|r| and Σr² carried into the Sharpe ratio.
  tolerance: () => ({ abs: 1e-6, rel: 1e-6 }),
  work: (size) => ({
    flops: BT.flopsPerDay * BT.days * size,
    bytes: 4 * (BT.days + 1) + 16 * size,
  }),
  cpu,
  wasm: backtestWasm,
  gpu,
};
