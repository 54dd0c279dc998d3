/**
 * The project's own WebGPU backend on a real GPU through Dawn: the four kernels at GPU-sized inputs,
 * each verified against the float64 reference, timed as GPU kernel time (timestamp queries, data on the
 * GPU) and as time to result (upload + dispatch + readback). Prints a Markdown table last.
 *   here (lavapipe, small sizes):  node scripts/run-node.mjs scripts/gpu-entry.ts --small
 *   GPU machine:  bash ../shared/gpu/make-kit.sh scripts/gpu-entry.ts, then in a device run:
 *                 source .gpukit/on-device.sh && "$NODE" .gpukit/gpu-entry.mjs 2>&1 | tee $OUT/log.txt
 */
import { WebGpuBackend } from '../src/backends/webgpu';
import { summarize } from '../src/bench/stats';
import { verify } from '../src/bench/verify';
import { getKernel } from '../src/kernels/registry';
import { nodeRuntime } from '../src/runtime/node';

const small = process.argv.includes('--small');
const reps = small ? 3 : 30;
const cases: [string, number][] = small
  ? [
      ['sq2', 1 << 20],
      ['saxpy', 1 << 20],
      ['sum', 1 << 20],
      ['matmul', 256],
    ]
  : [
      ['sq2', 1 << 26],
      ['saxpy', 1 << 26],
      ['sum', 1 << 26],
      ['matmul', 2048],
      ['matmul', 4096],
      ['matmul', 8192],
    ];

const adapters = await nodeRuntime.probeAdapters();
if (!adapters.length) {
  console.error('no WebGPU adapter found');
  process.exit(3);
}
for (const a of adapters)
  console.error(`adapter: ${a.desc.id} — ${a.desc.label}; features: ${a.desc.features.join(', ')}`);
const gpu = new WebGpuBackend(adapters[0]);
const rows: string[] = [];
for (const [id, size] of cases) {
  const k = getKernel(id);
  const t0 = performance.now();
  const inputs = k.makeInputs(size, 1);
  const ref = k.reference(inputs, size);
  console.error(`${id} ${size}: inputs and reference in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const prep = await gpu.prepare(k, size, inputs);
  const cold = await gpu.run(prep);
  let ok = verify(cold.output, ref, k.tolerance(size)).ok;
  const wall: number[] = [];
  const kern: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await gpu.run(prep);
    if (i === reps - 1) ok &&= verify(r.output, ref, k.tolerance(size)).ok;
    wall.push(r.wallMs);
    if (r.gpuMs !== undefined) kern.push(r.gpuMs);
  }
  prep.release();
  const w = summarize(wall);
  const kt = kern.length ? summarize(kern) : null;
  const work = k.work(size);
  const km = kt?.median;
  const rate = (ms: number | undefined) =>
    ms === undefined
      ? '—'
      : id === 'matmul'
        ? `${(work.flops / ms / 1e9).toFixed(1)} TFLOP/s`
        : `${(work.bytes / ms / 1e6).toFixed(0)} GB/s`;
  const row = `| ${id} | ${size} | ${km?.toFixed(3) ?? '—'} | ${kt ? `${kt.p10.toFixed(3)}–${kt.p90.toFixed(3)}` : '—'} | ${rate(km)} | ${w.median.toFixed(2)} | ${rate(w.median)} | ${ok ? 'yes' : 'NO'} |`;
  console.error(row);
  rows.push(row);
}
gpu.dispose();
console.log(
  `\nWebGPU backend of kernel-playground on ${adapters[0].desc.label} (${reps} reps; kernel = timestamp queries, data on the GPU; time to result = upload + dispatch + readback)\n`,
);
console.log(
  '| kernel | size | kernel median ms | kernel p10–p90 ms | kernel rate | time to result ms | rate | verified |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
process.exit(0);
