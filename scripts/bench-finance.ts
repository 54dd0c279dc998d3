/**
 * The finance kernels at their default sizes on every backend and CPU code (each kernel in its own CLI
 * process), beside NumPy on the same machine in the same run (/usr/bin/python3 with NumPy and SciPy;
 * `bash scripts/ensure-deps.sh --bench` installs them):
 *   blackscholes  NumPy float32 with scipy.special.ndtr, vectorised
 *   montecarlo    NumPy's Philox generator: the same paths × steps of float32 normals, summed per path
 *   backtest      the same series and pairs as a NumPy sweep (broadcast over pairs and days, float64),
 *                 and as a plain Python loop over a few pairs, scaled to the whole sweep (and said so)
 *   npm run -s bench:finance [-- --reps R --loop-pairs P]
 * Tables on stdout (Markdown), progress on stderr. Times are warm medians of time to result.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunRecord } from '../src/bench/record';
import { BT, backtest, describePair } from '../src/kernels/backtest';
import { blackscholes } from '../src/kernels/blackscholes';
import { MC, montecarlo } from '../src/kernels/montecarlo';
import { cliRun, pythonJson } from './bench-lib';

const { values } = parseArgs({
  options: { reps: { type: 'string', default: '5' }, 'loop-pairs': { type: 'string', default: '16' } },
});
const reps = Number(values.reps);
const loopPairs = Number(values['loop-pairs']);
const KERNELS = [blackscholes, montecarlo, backtest];

const PY = `
import json, sys, time
import numpy as np, scipy
from scipy.special import ndtr
args = json.loads(sys.argv[1])
reps = args["reps"]
def med(f):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); r = f(); ts.append((time.perf_counter() - t) * 1000)
    return sorted(ts)[len(ts) // 2], r
out = {"numpy": np.__version__, "scipy": scipy.__version__}

# Black-Scholes: the CUDA sample's inputs, float32 throughout
n = args["bs"]["n"]; r, v = args["bs"]["r"], args["bs"]["v"]
g = np.random.default_rng(1)
S = g.uniform(5, 30, n).astype(np.float32); X = g.uniform(1, 100, n).astype(np.float32)
T = g.uniform(0.25, 10, n).astype(np.float32)
r32, v32 = np.float32(r), np.float32(v)
def bs():
    sq = np.sqrt(T)
    d1 = (np.log(S / X) + (r32 + np.float32(0.5) * v32 * v32) * T) / (v32 * sq)
    d2 = d1 - v32 * sq
    xe = X * np.exp(-r32 * T)
    return S * ndtr(d1) - xe * ndtr(d2), xe * ndtr(-d2) - S * ndtr(-d1)
ms, (call, put) = med(bs)
out["blackscholes"] = {"ms": ms, "dtype": str(call.dtype)}

# Monte Carlo: paths x steps float32 normals from NumPy's Philox, in chunks of 2^16 paths
mc = args["mc"]
def montecarlo():
    gen = np.random.Generator(np.random.Philox(1))
    s = 0.0; q = 0.0; left = mc["paths"]
    drift = (mc["r"] - 0.5 * mc["sigma"] ** 2) * mc["t"]; vol = mc["sigma"] * np.sqrt(mc["t"] / mc["steps"])
    while left > 0:
        k = min(left, 1 << 16); left -= k
        w = gen.standard_normal((k, mc["steps"]), dtype=np.float32).sum(axis=1, dtype=np.float32)
        p = np.maximum(mc["s0"] * np.exp(drift + vol * w) - mc["k"], 0.0)
        s += float(p.sum()); q += float((p * p).sum())
    m = s / mc["paths"]; disc = np.exp(-mc["r"] * mc["t"])
    return disc * m, disc * np.sqrt((q - mc["paths"] * m * m) / (mc["paths"] - 1) / mc["paths"])
ms, (price, se) = med(montecarlo)
out["montecarlo"] = {"ms": ms, "price": price, "se": se}

# Backtest: the same series (whole cents) and pairs as the kernel's
bt = args["bt"]
p = np.fromfile(bt["series"], dtype=np.float32).astype(np.float64)
pairs = np.fromfile(bt["pairs"], dtype=np.float32).astype(np.int64).reshape(-1, 2)
days = len(p); year = bt["year"]
q = np.concatenate([[0.0], np.cumsum(p)])                  # q[j] = p_0 + ... + p_{j-1}: exact
ret = np.concatenate([[0.0], np.diff(p) / p[:-1]])         # ret[t] = p_t / p_{t-1} - 1
t = np.arange(days)
def sweep():
    f = pairs[:, :1]; s = pairs[:, 1:]
    tt = np.maximum(t[None, :], s)                           # days before the slow window: clamped, masked below
    held = ((q[tt] - q[tt - f]) * s > (q[tt] - q[tt - s]) * f) & (t[None, :] >= s)
    x = np.where(held, ret[None, :], 0.0)
    n = (days - s[:, 0]).astype(np.float64)
    sm = x.sum(axis=1); sq = (x * x).sum(axis=1); mean = sm / n
    var = (sq - sm * mean) / (n - 1)
    sharpe = np.where(var > 0, mean / np.sqrt(np.where(var > 0, var, 1)) * np.sqrt(year), 0.0)
    return np.prod(1 + x, axis=1) - 1, sharpe
ms, (total, sharpe) = med(sweep)
b = int(np.argmax(sharpe))
out["backtest"] = {"ms": ms, "best": [int(pairs[b, 0]), int(pairs[b, 1]), float(total[b]), float(sharpe[b])]}

# The post's plain loop: day by day over Python lists, for a few pairs, scaled to the sweep
prices = [float(x) for x in p]
def loop(k):
    res = []
    for i in range(k):
        f, s = int(pairs[i, 0]), int(pairs[i, 1])
        sf = sum(prices[s - f:s]); ss = sum(prices[0:s])
        wealth = 1.0; sm = 0.0; sq = 0.0
        for day in range(s, days):
            if sf * s > ss * f:
                x = (prices[day] - prices[day - 1]) / prices[day - 1]
                wealth *= 1 + x; sm += x; sq += x * x
            sf += prices[day] - prices[day - f]; ss += prices[day] - prices[day - s]
        res.append(wealth - 1)
    return res
k = min(bt["loopPairs"], len(pairs))
ms, _ = med(lambda: loop(k))
out["loop"] = {"ms": ms, "pairs": k}
print(json.dumps(out))
`;

interface Py {
  numpy: string;
  scipy: string;
  blackscholes: { ms: number; dtype: string };
  montecarlo: { ms: number; price: number; se: number };
  backtest: { ms: number; best: [number, number, number, number] };
  loop: { ms: number; pairs: number };
}

function python(dir: string): Py | null {
  const [series, pairs] = backtest.makeInputs(backtest.defaultSize, 1);
  writeFileSync(join(dir, 'series.f32'), series.subarray(1));
  writeFileSync(join(dir, 'pairs.f32'), pairs);
  const args = {
    reps,
    bs: { n: blackscholes.defaultSize, r: 0.02, v: 0.3 },
    mc: { paths: montecarlo.defaultSize, ...MC },
    bt: { series: join(dir, 'series.f32'), pairs: join(dir, 'pairs.f32'), year: BT.year, loopPairs },
  };
  return pythonJson<Py>(PY, [JSON.stringify(args)], 'NumPy/SciPy');
}

const rows: { id: string; recs: RunRecord[] }[] = [];
for (const k of KERNELS) {
  process.stderr.write(`${k.id}…\n`);
  rows.push({ id: k.id, recs: cliRun(['--kernel', k.id, '--reps', String(reps), '--warmup', '1'], k.id) });
}
process.stderr.write('NumPy and SciPy…\n');
const dir = mkdtempSync(join(tmpdir(), 'kp-finance-'));
const py = (() => {
  try {
    return python(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1);
const env = rows[0]?.recs[0]?.env;
console.log(
  `Default sizes, ${reps} reps (median ms, time to result); ${env?.runtime}, ${env?.cores} cores${py ? `; NumPy ${py.numpy}, SciPy ${py.scipy}` : ''}\n`,
);
const first = rows[0]?.recs ?? [];
const label = (b: string, code: string) =>
  first.find((r) => r.backend === b && r.code === code)?.device ?? `${b} ${code}`;
const gpuLabel = first.find((r) => r.backend === 'webgpu')?.device ?? 'WebGPU';
console.log(
  `| kernel | size | ${label('main', 'js')} | ${label('main', 'wasm')} | ${label('workers', 'js')} | ${label('workers', 'wasm')} | ${gpuLabel} (kernel) | NumPy | best main ÷ NumPy | verified |`,
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
const numpyMs: Record<string, number | undefined> = {
  blackscholes: py?.blackscholes.ms,
  montecarlo: py?.montecarlo.ms,
  backtest: py?.backtest.ms,
};
for (const { id, recs } of rows) {
  const by = (b: string, code?: string) => recs.find((r) => r.backend === b && (!code || r.code === code));
  const g = by('webgpu');
  const main = Math.min(
    ...recs.filter((r) => r.backend === 'main' && r.ok).map((r) => r.medianMs ?? Infinity),
  );
  const np = numpyMs[id];
  console.log(
    `| ${id} | ${recs[0]?.size} | ${ms(by('main', 'js')?.medianMs)} | ${ms(by('main', 'wasm')?.medianMs)} | ${ms(by('workers', 'js')?.medianMs)} | ${ms(by('workers', 'wasm')?.medianMs)} | ${ms(g?.medianMs)} (${ms(g?.kernelMedianMs)}) | ${ms(np)} | ${np && Number.isFinite(main) ? (main / np).toFixed(2) : '—'} | ${recs.every((r) => r.ok) ? 'yes' : 'NO'} |`,
  );
}
const bt = rows.find((r) => r.id === 'backtest')?.recs ?? [];
if (py) {
  const scaled = (py.loop.ms * backtest.defaultSize) / py.loop.pairs;
  const pool = Math.min(
    ...bt.filter((r) => r.backend === 'workers' && r.ok).map((r) => r.medianMs ?? Infinity),
  );
  const [f, s, ret, sr] = py.backtest.best;
  console.log(
    `\nbacktest, plain Python loop: ${ms(py.loop.ms)} ms for ${py.loop.pairs} pairs, scaled to ${backtest.defaultSize} pairs: ${(scaled / 1000).toFixed(2)} s; the pool's best (${ms(pool)} ms) is ${(scaled / pool).toFixed(0)}× faster.`,
  );
  console.log(
    `NumPy's sweep agrees on the best pair: ${describePair(f, s, ret, sr)}; the playground's: ${bt[0]?.result?.replace(/^best pair /, '') ?? '—'}.`,
  );
  const mc = rows.find((r) => r.id === 'montecarlo')?.recs[0];
  console.log(
    `montecarlo: NumPy (its own Philox stream, ziggurat normals) ${py.montecarlo.price.toFixed(4)} ± ${py.montecarlo.se.toFixed(4)}; the playground's ${mc?.result ?? '—'}.`,
  );
}
