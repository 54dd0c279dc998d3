/**
 * The CPU peer for matmul: TensorFlow.js's WebAssembly backend (XNNPACK, SIMD) in Node, n×n float32
 * matmul, median of R runs after a warm-up. A dev dependency of the bench only, never in the page.
 *   node scripts/peer-tfjs.mjs N [R] [THREADS]  ->  one JSON line {n, ms, gflops, threads, simd}
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const n = Number(process.argv[2] ?? 1024);
const reps = Number(process.argv[3] ?? 9);
const threads = Number(process.argv[4] ?? 1);
wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '')}/`);
wasm.setThreadsCount(threads);
await tf.setBackend('wasm');
await tf.ready();
const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
const run = () => {
  const c = tf.matMul(a, b);
  c.dataSync();
  c.dispose();
};
run();
const t = [];
for (let i = 0; i < reps; i++) {
  const t0 = performance.now();
  run();
  t.push(performance.now() - t0);
}
t.sort((x, y) => x - y);
const ms = t[t.length >> 1];
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
console.log(
  JSON.stringify({
    n,
    ms,
    gflops: (2 * n ** 3) / (ms * 1e6),
    threads: wasm.getThreadsCount?.() ?? threads,
    simd,
  }),
);
