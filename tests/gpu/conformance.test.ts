/**
 * The conformance suite, written once: every registered kernel and every expression case, on every
 * backend and code (the main thread in JavaScript and in WebAssembly, with and without relaxed SIMD; pools
 * of 1 and 3 workers, with shared memory and with copied slices, in both codes; WebGPU
 * on each adapter this machine has, and once more with a submission budget so small that every pass
 * is split), at the kernel's own awkward sizes. Adding a kernel to the registry adds its cases here.
 * Each case verifies against the float64 reference; CPU outputs of non-reducing programs must also be
 * bit-identical to the main thread's (the same code on the same floats).
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MainThreadBackend, runCpu } from '../../src/backends/main-thread';
import { WorkerPool } from '../../src/backends/pool';
import type { Backend } from '../../src/backends/types';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { WorkerPoolBackend } from '../../src/backends/worker-pool';
import { verify } from '../../src/bench/verify';
import { compileExpression, formatRanges, parseRanges } from '../../src/expr/kernel';
import { deviceTraits } from '../../src/gpu/pipelines';
import { gpuPrograms, ineligible } from '../../src/kernels/gpu-program';
import { registry } from '../../src/kernels/registry';
import type { KernelSpec } from '../../src/kernels/types';
import { nodeRuntime, nodeWorkerFactory } from '../../src/runtime/node';
import { hasRelaxedSimd } from '../../src/wasm/runtime';
import { EXPR_CASES, EXPR_SIZES } from '../shared/expr-cases';

interface Subject {
  name: string;
  kernel: KernelSpec;
  sizes: readonly number[];
}
const subjects: Subject[] = [
  ...registry.list().map((k) => ({ name: k.id, kernel: k, sizes: k.testSizes })),
  ...EXPR_CASES.map(([expr, ranges]) => {
    const { kernel } = compileExpression(expr, parseRanges(ranges ?? ''));
    return {
      name: `${expr}${ranges ? ` [${formatRanges(kernel.source!.ranges)}]` : ''}`,
      kernel,
      sizes: EXPR_SIZES,
    };
  }),
];

// Every Vulkan driver this machine has (lavapipe, and SwiftShader when Chromium ships it), so WebGPU runs
// on each adapter; read by Dawn when it first starts, below.
const ICDS = ['/usr/share/vulkan/icd.d/lvp_icd.json', '/usr/lib/chromium/vk_swiftshader_icd.json'].filter(
  (f) => existsSync(f),
);
if (!process.env.VK_ICD_FILENAMES && ICDS.length > 1) process.env.VK_ICD_FILENAMES = ICDS.join(':');
const adapters = await nodeRuntime.probeAdapters();
if (!adapters.length)
  throw new Error('no WebGPU adapter: install Mesa lavapipe >= 23 (scripts/ensure-deps.sh)');
const pools = [1, 3].map((n) => new WorkerPool(nodeWorkerFactory, n));
const gpus = adapters.map((a) => new WebGpuBackend(a));
const split = new WebGpuBackend(adapters[0]);
// 2^16 elements or one matmul tile per submission: the largest test size of every kernel is split.
split.submitBudget = { elements: 2 ** 16, flops: 2 ** 16 };

interface Target {
  name: string;
  backend: Backend;
  cpu: boolean;
  /** CPU targets: outputs of elementwise programs equal this main-thread baseline's bit for bit. */
  same?: string;
  /** Splits every pass of the largest test size into several submissions. */
  splits?: boolean;
}
const wasmForms = hasRelaxedSimd() ? [false, true] : [false];
const formName = (relaxed: boolean) => (relaxed ? 'WebAssembly, relaxed SIMD' : 'WebAssembly');
const targets: Target[] = [
  { name: 'main thread', backend: new MainThreadBackend(), cpu: true, same: 'js' },
  ...wasmForms.map((relaxed) => ({
    name: `main thread, ${formName(relaxed)}`,
    backend: new MainThreadBackend(undefined, 'wasm', { relaxed }),
    cpu: true,
    same: formName(relaxed),
  })),
  ...pools.flatMap((p) =>
    [true, false].flatMap((shared) =>
      (['js', 'wasm'] as const).map((code) => ({
        name: `${p.size} worker${p.size > 1 ? 's' : ''} (${shared ? 'shared' : 'copy'}${code === 'wasm' ? ', WebAssembly' : ''})`,
        backend: new WorkerPoolBackend(p, { shared, code, relaxed: false }),
        cpu: true,
        same: code === 'js' ? 'js' : formName(false),
      })),
    ),
  ),
  ...gpus.map((g) => ({ name: `WebGPU ${g.desc.id}`, backend: g, cpu: false })),
  { name: `WebGPU ${adapters[0].desc.id}, split submissions`, backend: split, cpu: false, splits: true },
];
const baselines = new Map(
  targets.filter((t) => t.cpu && t.backend.kind === 'main').map((t) => [t.same!, t.backend] as const),
);

let cases = 0;
const skippedVariants: string[] = [];
afterAll(() => {
  if (skippedVariants.length)
    console.log(
      `GPU variants skipped where a device or size excludes them:\n  ${skippedVariants.join('\n  ')}`,
    );
  for (const g of [...gpus, split]) {
    expect(g.uncapturedErrors).toEqual([]);
    g.dispose();
  }
  for (const p of pools) p.dispose();
  console.log(
    `conformance: ${cases} (kernel, backend, size) cases ran: ${subjects.length} kernels and expressions × ${targets.length} backends (${targets.map((t) => t.name).join('; ')})`,
  );
});

/** Inputs, once per (kernel, size); main-thread outputs per code, once each. */
const memo = new Map<string, { inputs: Float32Array[]; main: Map<string, Promise<Float32Array>> }>();
function baseline(s: Subject, size: number) {
  const key = `${s.name}@${size}`;
  let m = memo.get(key);
  if (!m) {
    const inputs = s.kernel.makeInputs(size, 11);
    m = { inputs, main: new Map([['js', Promise.resolve(runCpu(s.kernel, size, inputs))]]) };
    memo.set(key, m);
  }
  return m;
}
async function mainOutput(s: Subject, size: number, same: string): Promise<Float32Array> {
  const m = baseline(s, size);
  let p = m.main.get(same);
  if (!p) {
    const backend = baselines.get(same)!;
    p = backend.prepare(s.kernel, size, m.inputs).then(async (prep) => {
      const { output } = await backend.run(prep);
      prep.release();
      return Float32Array.from(output);
    });
    m.main.set(same, p);
  }
  return p;
}

describe.each(subjects.map((s) => [s.name, s] as const))('%s', (_name, s) => {
  const ref = new Map<number, ReturnType<KernelSpec['reference']>>();
  describe.each(targets.map((t) => [t.name, t] as const))('on %s', (_t, t) => {
    const runs = t.backend.code !== 'wasm' || s.kernel.wasm !== undefined;
    it.runIf(runs).each([...s.sizes])('size %i verifies against the float64 reference', async (size) => {
      const { inputs } = baseline(s, size);
      if (!ref.has(size)) ref.set(size, s.kernel.reference(inputs, size));
      const prep = await t.backend.prepare(s.kernel, size, inputs);
      try {
        const { output } = await t.backend.run(prep);
        expect(output.length).toBe(s.kernel.outputLength(size));
        const v = verify(output, ref.get(size)!, s.kernel.tolerance(size));
        expect(v.firstBad).toBeUndefined();
        expect(v.ok).toBe(true);
        if (t.cpu && !s.kernel.cpu.reduce)
          expect(Float32Array.from(output)).toEqual(await mainOutput(s, size, t.same!));
        if (t.splits && size === Math.max(...s.sizes)) {
          expect(t.backend instanceof WebGpuBackend && t.backend.lastSubmissions).toBeGreaterThan(1);
        }
        cases++;
      } finally {
        prep.release();
      }
    });
  });
});

// Every GPU program variant of every kernel that has more than one, pinned, on every adapter at the
// kernel's sizes; a variant a device's limits or features (or the size) exclude is skipped and listed.
const variantSubjects = subjects.filter((s) => gpuPrograms(s.kernel).length > 1);
describe.each(variantSubjects.map((s) => [s.name, s] as const))('%s, every GPU variant', (_name, s) => {
  const refs = new Map<number, ReturnType<KernelSpec['reference']>>();
  describe.each(
    gpuPrograms(s.kernel).flatMap((p) => gpus.map((g) => [`${p.variant} on ${g.desc.id}`, p, g] as const)),
  )('%s', (_label, program, g) => {
    it.for([...s.sizes])('size %i verifies against the float64 reference', async (size, ctx) => {
      const device = await g.getDevice();
      const why = ineligible(program, deviceTraits(device), size);
      if (why) {
        skippedVariants.push(`${s.name} ${program.variant} on ${g.desc.id} at size ${size}: ${why}`);
        ctx.skip();
        return;
      }
      const { inputs } = baseline(s, size);
      if (!refs.has(size)) refs.set(size, s.kernel.reference(inputs, size));
      const view = g.forRun(program.variant, false);
      const prep = await view.prepare(s.kernel, size, inputs);
      try {
        expect(prep.variant).toBe(program.variant);
        expect(prep.variantChoice).toBe('pinned');
        const { output } = await view.run(prep);
        const v = verify(output, refs.get(size)!, s.kernel.tolerance(size));
        expect(v.firstBad).toBeUndefined();
        expect(v.ok).toBe(true);
        cases++;
      } finally {
        prep.release();
      }
    });
  });
});
