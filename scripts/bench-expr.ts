/**
 * numexpr's territory: the same expressions at 2^24 float32 elements on the main thread, the worker
 * pool and WebGPU (each expression in its own CLI process), and — when /usr/bin/python3 has NumPy and
 * numexpr (Debian: python3-numexpr) — through NumPy and numexpr on the same machine in the same run.
 *   npm run bench:expr [-- --size N --reps R]
 * Table on stdout (Markdown), progress on stderr. Times are warm medians of time to result.
 */

import { parseArgs } from 'node:util';
import type { RunRecord } from '../src/bench/record';
import { cliRun, pythonJson } from './bench-lib';

const { values } = parseArgs({
  options: { size: { type: 'string', default: String(2 ** 24) }, reps: { type: 'string', default: '5' } },
});
const size = Number(values.size);
const reps = Number(values.reps);
const EXPRS = [
  'a**2 + b**2',
  '2*a + 3*b',
  'sin(a)**2 + cos(b)**2',
  'where(a > b, a*b, a - b)',
  'sqrt(a*a + b*b) / (1 + exp(-a))',
];

// NumPy spelling of the same expressions (numexpr takes the text as it is).
const NUMPY: Record<string, string> = {
  'a**2 + b**2': 'a**2 + b**2',
  '2*a + 3*b': '2*a + 3*b',
  'sin(a)**2 + cos(b)**2': 'np.sin(a)**2 + np.cos(b)**2',
  'where(a > b, a*b, a - b)': 'np.where(a > b, a*b, a - b)',
  'sqrt(a*a + b*b) / (1 + exp(-a))': 'np.sqrt(a*a + b*b) / (1 + np.exp(-a))',
};

const PY = `
import json, sys, time
import numpy as np, numexpr as ne
n, reps, cases = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
rng = np.random.default_rng(1)
a = rng.uniform(-1, 1, n).astype(np.float32); b = rng.uniform(-1, 1, n).astype(np.float32)
def med(f):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000)
    return sorted(ts)[len(ts) // 2]
out = {"numpy": np.__version__, "numexpr": ne.__version__, "threads": ne.get_num_threads(), "rows": {}}
for text, np_text in cases:
    out["rows"][text] = {"numpy": med(lambda: eval(np_text)), "numexpr": med(lambda: ne.evaluate(text))}
print(json.dumps(out))
`;

interface Py {
  numpy: string;
  numexpr: string;
  threads: number;
  rows: Record<string, { numpy: number; numexpr: number }>;
}
const python = (): Py | null =>
  pythonJson<Py>(
    PY,
    [String(size), String(reps), JSON.stringify(EXPRS.map((e) => [e, NUMPY[e]]))],
    'NumPy/numexpr',
  );

const rows: { expr: string; recs: RunRecord[] }[] = [];
for (const expr of EXPRS) {
  process.stderr.write(`${expr}…\n`);
  rows.push({
    expr,
    recs: cliRun(['--expr', expr, '--size', String(size), '--reps', String(reps), '--warmup', '1'], expr),
  });
}
process.stderr.write('NumPy and numexpr…\n');
const py = python();

/** One thread's copy bandwidth here (read + write, GB/s): what a memory-bound row can approach. */
function copyGbps(): number {
  const src = new Float32Array(size * 2).fill(1);
  const dst = new Float32Array(size * 2);
  const t: number[] = [];
  for (let k = 0; k < reps + 1; k++) {
    const t0 = performance.now();
    dst.set(src);
    t.push(performance.now() - t0);
  }
  t.shift();
  t.sort((x, y) => x - y);
  return (2 * src.byteLength) / (t[t.length >> 1] * 1e6);
}
const copy = copyGbps();

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1));
const env = rows[0]?.recs[0]?.env;
console.log(
  `${size} float32 elements, ${reps} reps (median ms, time to result); ${env?.runtime}, ${env?.cores} cores${py ? `; NumPy ${py.numpy}, numexpr ${py.numexpr} (${py.threads} threads)` : ''}`,
);
console.log(
  `One-thread copy bandwidth in the same run (TypedArray.set, read + write): ${copy.toFixed(1)} GB/s\n`,
);
const first = rows[0]?.recs ?? [];
const label = (b: string, code: string) =>
  first.find((r) => r.backend === b && r.code === code)?.device ?? `${b} ${code}`;
const gpuLabel = first.find((r) => r.backend === 'webgpu')?.device ?? 'WebGPU';
console.log(
  `| expression | ${label('main', 'js')} | ${label('main', 'wasm')} | ${label('workers', 'js')} | ${label('workers', 'wasm')} | ${gpuLabel} (kernel) | NumPy | numexpr | WASM main GB/s (% of copy) | verified |`,
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const { expr, recs } of rows) {
  const by = (b: string, code?: string) => recs.find((r) => r.backend === b && (!code || r.code === code));
  const g = by('webgpu');
  const w = by('main', 'wasm');
  const bw = w?.gbps ? `${w.gbps.toFixed(1)} (${Math.round((100 * w.gbps) / copy)}%)` : '—';
  console.log(
    `| \`${expr}\` | ${ms(by('main', 'js')?.medianMs)} | ${ms(w?.medianMs)} | ${ms(by('workers', 'js')?.medianMs)} | ${ms(by('workers', 'wasm')?.medianMs)} | ${ms(g?.medianMs)} (${ms(g?.kernelMedianMs)}) | ${ms(py?.rows[expr]?.numpy)} | ${ms(py?.rows[expr]?.numexpr)} | ${bw} | ${recs.every((r) => r.ok) ? 'yes' : 'NO'} |`,
  );
}
