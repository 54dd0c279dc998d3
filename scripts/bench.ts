/**
 * Each built-in kernel on every backend at its default size (or --size N), printed as a Markdown table
 * for BENCHMARKS.md. Each kernel runs in its own CLI process: once Dawn has run on Mesa's lavapipe in a
 * process, that process's CPU loops measured ~1.5x slower (matmul 512 on the main thread: 151 -> 227 ms),
 * which would handicap the CPU backends of every later kernel.
 *   npm run bench -- [--kernels sq2,sum] [--reps R] [--size N] [--backends main,workers]
 * Progress goes to stderr; the table to stdout.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { toMarkdown } from '../src/bench/columns';
import type { RunRecord } from '../src/bench/record';
import { registry } from '../src/kernels/registry';
import { cliRun } from './bench-lib';

const { values } = parseArgs({
  options: {
    kernels: { type: 'string' },
    reps: { type: 'string', default: '9' },
    size: { type: 'string' },
    backends: { type: 'string' },
  },
});
const ids = values.kernels ? values.kernels.split(',') : registry.ids();
const all: RunRecord[] = [];
for (const id of ids) {
  process.stderr.write(`${id}…\n`);
  const args = ['--kernel', id, '--reps', values.reps!, '--warmup', '2'];
  if (values.size) args.push('--size', values.size);
  if (values.backends) args.push('--backends', values.backends);
  all.push(...cliRun(args, id));
}
const env = all[0]?.env;
console.log(
  `${env?.runtime}, ${env?.cores} cores, app ${env?.appVersion}, ${new Date().toISOString().slice(0, 10)}\n`,
);
process.stdout.write(toMarkdown(all)); // the table the page's "Copy as Markdown" gives

// The CPU peer for matmul, same machine, same run: TensorFlow.js's WebAssembly backend (XNNPACK, SIMD),
// against the main thread. (In Node it runs one thread: its threaded build needs a browser's workers.)
for (const n of [...new Set(all.filter((r) => r.kernel === 'matmul').map((r) => r.size))]) {
  const lines: string[] = [];
  for (const threads of [1]) {
    const r = spawnSync(
      process.execPath,
      ['scripts/peer-tfjs.mjs', String(n), values.reps!, String(threads)],
      {
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) {
      lines.push(`TensorFlow.js wasm not measured: ${r.stderr.trim().split('\n').pop()}`);
      break;
    }
    const p = JSON.parse(r.stdout) as { ms: number; gflops: number; threads: number; simd: boolean };
    lines.push(
      `TensorFlow.js ${'wasm'} backend${p.simd ? ' (SIMD)' : ''}, ${p.threads} thread${p.threads === 1 ? '' : 's'}: matmul ${n} ${p.ms.toFixed(1)} ms, ${p.gflops.toFixed(1)} GFLOP/s`,
    );
  }
  console.log(`\n${lines.join('\n')}`);
}
