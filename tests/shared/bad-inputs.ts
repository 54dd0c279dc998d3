/**
 * Bad inputs and the message each gets, the same through every entry point: the URL (query), the CLI
 * (arguments), the embed (attributes) and the page's controls (the options they set).
 */
export interface BadInput {
  name: string;
  query: string;
  cli: string[];
  attrs: Record<string, string>;
  message: string;
}

const row = (name: string, params: Record<string, string>, message: string): BadInput => ({
  name,
  query: Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&'),
  cli: Object.entries(params).map(([k, v]) => `--${k}=${v}`), // '=': a value may start with '-'
  attrs: params,
  message,
});

export const BAD_INPUTS: BadInput[] = [
  row('negative size', { kernel: 'sq2', size: '-5' }, 'size must be an integer from 1 to 268435456, got -5'),
  row('zero size', { kernel: 'sq2', size: '0' }, 'size must be an integer from 1 to 268435456, got 0'),
  row(
    'fractional size',
    { kernel: 'sq2', size: '2.5' },
    "size must be an integer from 1 to 268435456, got '2.5'",
  ),
  row('NaN size', { kernel: 'sq2', size: 'NaN' }, "size must be an integer, got 'NaN'"),
  row(
    'astronomical size',
    { kernel: 'sq2', size: '1e30' },
    'size must be an integer from 1 to 268435456, got 1e30',
  ),
  row(
    'a size past float precision, echoed as typed',
    { kernel: 'sq2', size: '99999999999999999999' },
    'size must be an integer from 1 to 268435456, got 99999999999999999999',
  ),
  row(
    'size beyond a sane share of memory',
    { kernel: 'matmul', size: '16384' },
    "size 16384 needs 3072 MiB for matmul's inputs and output; a run may use at most 2048 MiB: choose a smaller size",
  ),
  row(
    'matmul n beyond its limit',
    { kernel: 'matmul', size: '20000' },
    'size must be an integer from 1 to 16384, got 20000',
  ),
  row(
    'backtest: no pairs',
    { kernel: 'backtest', size: '0' },
    'size must be an integer from 1 to 1048576, got 0',
  ),
  row(
    'backtest: a sweep whose longest window exceeds the series',
    { kernel: 'backtest', size: '600000' },
    'size 600000 makes a 775 × 775 sweep whose longest slow window, 3873 days, does not fit the 3600-day series (at most 3348 days leaves every pair a year, 252 trading days, for its Sharpe ratio): choose at most 448900 pairs',
  ),
  row(
    'backtest: pairs past the limit',
    { kernel: 'backtest', size: '2000000' },
    'size must be an integer from 1 to 1048576, got 2000000',
  ),
  row(
    'unknown kernel',
    { kernel: 'nope' },
    "unknown kernel 'nope': choose one of sq2, saxpy, sum, matmul, blackscholes, montecarlo, backtest",
  ),
  row(
    'unknown GPU variant',
    { kernel: 'matmul', variant: 'tile256' },
    "matmul has no GPU variant 'tile256': choose one of tile64, tile128, quad128",
  ),
  row(
    'unknown residency',
    { kernel: 'sq2', residency: 'gpu' },
    "residency must be host or device, got 'gpu' (device: the data stays on the GPU between repetitions)",
  ),
  row(
    'unknown backend',
    { kernel: 'sq2', backends: 'main,cuda' },
    "unknown backend 'cuda': choose from main, workers, webgpu",
  ),
  row(
    'unknown code',
    { kernel: 'sq2', code: 'js,cuda' },
    "unknown code 'cuda': choose from js, wasm (js: the JavaScript loop; wasm: WebAssembly SIMD)",
  ),
  row('empty code', { kernel: 'sq2', code: ',' }, 'code must name at least one of js, wasm'),
  row('no workers', { kernel: 'sq2', workers: '0' }, 'workers must be an integer from 1 to 64, got 0'),
  row(
    'too many workers',
    { kernel: 'sq2', workers: '65' },
    'workers must be an integer from 1 to 64, got 65',
  ),
  row('no repetitions', { kernel: 'sq2', reps: '0' }, 'reps must be an integer from 1 to 1000, got 0'),
  row(
    'too many repetitions',
    { kernel: 'sq2', reps: '5000' },
    'reps must be an integer from 1 to 1000, got 5000',
  ),
  row('negative warm-up', { kernel: 'sq2', warmup: '-1' }, 'warmup must be an integer from 0 to 100, got -1'),
  row('negative seed', { kernel: 'sq2', seed: '-1' }, 'seed must be an integer from 0 to 4294967295, got -1'),
  row('malformed expression', { expr: 'a +* b' }, "unexpected '*' at column 4"),
  row('unknown function', { expr: 'foo(a)' }, "unknown function 'foo' at column 1"),
  row(
    'a chain step used before it is assigned',
    { expr: 'y = x + 1; x = a; y' },
    "'x' is used before the step that assigns it at column 5: move the step that assigns it before the steps that read it",
  ),
  row(
    'comparison chain',
    { expr: 'a < b < c' },
    'comparisons do not chain at column 3: write (a < b) & (b < c) instead of a < b < c',
  ),
  row(
    'bad range',
    { expr: 'a*2', ranges: 'a:5:1' },
    "bad range 'a:5:1': write NAME:LOW:HIGH with LOW <= HIGH, e.g. a:0:10",
  ),
  row('a range given twice', { expr: 'a*2', ranges: 'a:0:1,a:2:3' }, "the range of 'a' is given twice"),
];
