/**
 * The project's own WebGPU backend on a real GPU through Dawn: the built-in kernels and a few
 * memory-bound expressions at GPU-sized inputs, every GPU program variant of each (those the device or
 * size excludes are listed), and the tuner's choice among them. Each is verified against the float64
 * reference, timed as
 * GPU kernel time (timestamp queries, data on the GPU) and as time to result (upload + dispatch +
 * readback) and as *resident* kernel time (the passes repeated back to back on data already on the GPU,
 * timestamps around all of them ÷ repetitions: the GPU kept busy, as CuPy's timings are), next to the
 * bandwidth ceiling measured in the same run: the expression `a` (a WGSL copy
 * kernel, timestamps) and copyBufferToBuffer of the same bytes (wall clock over 20 back-to-back copies).
 * Prints a Markdown table last.
 *   here (lavapipe, small sizes):  node scripts/run-node.mjs scripts/gpu-entry.ts --small
 *   GPU machine:  bash ../shared/gpu/make-kit.sh scripts/gpu-entry.ts, then in a device run:
 *                 source .gpukit/on-device.sh && "$NODE" .gpukit/gpu-entry.mjs 2>&1 | tee $OUT/log.txt
 */
import { WebGpuBackend } from '../src/backends/webgpu';
import { summarize } from '../src/bench/stats';
import { verify } from '../src/bench/verify';
import { compileExpression } from '../src/expr/kernel';
import { deviceTraits } from '../src/gpu/pipelines';
import { MemoryTuneStore, Tuner } from '../src/gpu/tuner';
import { gpuPrograms, ineligible } from '../src/kernels/gpu-program';
import { registry } from '../src/kernels/registry';
import type { KernelSpec } from '../src/kernels/types';
import { nodeRuntime } from '../src/runtime/node';

const small = process.argv.includes('--small');
const reps = small ? 3 : 30;
const N = small ? 1 << 20 : 1 << 26;
const expr = (e: string) => compileExpression(e).kernel;
const cases: [string, KernelSpec, number][] = [
  ['copy: `a`', expr('a'), N],
  ...registry
    .list()
    .filter((k) => k.bound === 'memory')
    .map((k): [string, KernelSpec, number] => [k.id, k, N]),
  ['`a*b + c`', expr('a*b + c'), N],
  ['`sqrt(a*a + b*b)`', expr('sqrt(a*a + b*b)'), N],
  ['`where(a > 0, a, 0.1*a)`', expr('where(a > 0, a, 0.1*a)'), N],
  // a chain: fused (x1, vec4) against one dispatch per step with the intermediate on the GPU (steps);
  // its GB/s counts the fused traffic (inputs and output once), so `steps` shows what the extra costs
  ['chain `x = a*a + b*b; sqrt(x) / (1 + exp(-a))`', expr('x = a*a + b*b; sqrt(x) / (1 + exp(-a))'), N],
  ...registry
    .list()
    .filter((k) => k.bound === 'compute')
    .flatMap((k) => {
      // matmul at the sizes of the reference numbers; the finance kernels at GPU-sized sweeps
      const sizes: Record<string, number[]> = small
        ? { matmul: [256], montecarlo: [1 << 14], backtest: [256] }
        : { matmul: [2048, 4096, 8192], montecarlo: [1 << 20], backtest: [4096, 1 << 16] };
      return (sizes[k.id] ?? [k.defaultSize]).map((n): [string, KernelSpec, number] => [k.id, k, n]);
    }),
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
const rate = (k: KernelSpec, size: number, ms: number | undefined) => {
  if (ms === undefined) return '—';
  const w = k.work(size);
  return k.bound === 'compute'
    ? `${(w.flops / ms / 1e9).toFixed(1)} TFLOP/s`
    : `${(w.bytes / ms / 1e6).toFixed(0)} GB/s`;
};
const traits = deviceTraits(await gpu.getDevice());
const skipped: string[] = [];
gpu.tuner = new Tuner(new MemoryTuneStore());
for (const [name, k, size] of cases) {
  const t0 = performance.now();
  const inputs = k.makeInputs(size, 1);
  const ref = k.reference(inputs, size);
  console.error(`${name} ${size}: inputs and reference in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let choice = '—';
  try {
    await gpu.select(k, size, inputs); // the tuner's own brief timing of every eligible variant
    choice = gpu.lastSelection?.program.variant ?? '—';
  } catch (e) {
    console.error(`${name} ${size}: tuning failed: ${e instanceof Error ? e.message : e}`);
  }
  for (const program of gpuPrograms(k)) {
    const why = ineligible(program, traits, size);
    if (why) {
      skipped.push(`${name} ${size} ${program.variant}: ${why}`);
      continue;
    }
    const view = gpu.forRun(program.variant, false);
    try {
      const prep = await view.prepare(k, size, inputs);
      const cold = await view.run(prep);
      let ok = verify(cold.output, ref, k.tolerance(size)).ok;
      const wall: number[] = [];
      const kern: number[] = [];
      for (let i = 0; i < reps; i++) {
        const r = await view.run(prep);
        if (i === reps - 1) ok &&= verify(r.output, ref, k.tolerance(size)).ok;
        wall.push(r.wallMs);
        if (r.gpuMs !== undefined) kern.push(r.gpuMs);
      }
      const kt = kern.length ? summarize(kern) : null;
      // Back to back: enough repetitions per sample for ~50 ms of work, 5 samples.
      const times = Math.max(1, Math.min(500, Math.ceil(50 / Math.max(kt?.median ?? 1, 0.01))));
      const resident: number[] = [];
      for (let s = 0; s < 5; s++) {
        const r = await view.kernelOnly(prep, times);
        resident.push(r.gpuMs ?? r.wallMs);
      }
      prep.release();
      const w = summarize(wall);
      const rm = summarize(resident).median;
      const row = `| ${name} | ${size} | ${program.variant}${program.variant === choice ? ' ← tuner' : ''} | ${kt?.median.toFixed(3) ?? '—'} | ${rm.toFixed(3)} (×${times}) | ${rate(k, size, rm)} | ${w.median.toFixed(2)} | ${rate(k, size, w.median)} | ${ok ? 'yes' : 'NO'} |`;
      console.error(row);
      rows.push(row);
    } catch (e) {
      const row = `| ${name} | ${size} | ${program.variant} | failed: ${e instanceof Error ? e.message : e} | | | | | NO |`;
      console.error(row);
      rows.push(row);
    }
  }
}

// copyBufferToBuffer of N floats: the same bytes as the copy kernel (read N*4, write N*4).
{
  const device = await gpu.getDevice();
  const bytes = 4 * N;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const src = device.createBuffer({ size: bytes, usage, label: 'copy.src' });
  const dst = device.createBuffer({ size: bytes, usage, label: 'copy.dst' });
  const copies = 20;
  const samples: number[] = [];
  for (let r = 0; r < 1 + Math.min(reps, 10); r++) {
    const enc = device.createCommandEncoder();
    for (let c = 0; c < copies; c++) enc.copyBufferToBuffer(src, 0, dst, 0, bytes);
    const t = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    if (r > 0) samples.push((performance.now() - t) / copies);
  }
  src.destroy();
  dst.destroy();
  const m = summarize(samples).median;
  rows.push(
    `| copyBufferToBuffer (wall ÷ 20 copies per submit) | ${N} | — | — | ${m.toFixed(3)} | ${((2 * bytes) / m / 1e6).toFixed(0)} GB/s | — | — | — |`,
  );
}
gpu.dispose();
console.log(
  `\nWebGPU backend of kernel-playground on ${adapters[0].desc.label} (${reps} reps; kernel = timestamps around one run's passes; resident = the passes repeated back to back on GPU-resident data, timestamps ÷ repetitions; time to result = upload + dispatch + readback)\n`,
);
console.log(
  '| kernel | size | variant | kernel median ms (one run) | resident ms per rep | resident rate | time to result ms | rate | verified |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (skipped.length)
  console.log(`\nVariants this device or size excludes:\n${skipped.map((x) => `- ${x}`).join('\n')}`);
process.exit(0);
