/**
 * GPU program variants through the WebGPU backend and the engine: the tuner's choice is timed once per
 * adapter and size class, remembered, verified like any run, and recorded; a pin that cannot run is
 * refused with why; a device lost while tuning fails that run alone, and the next one works.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { verify } from '../../src/bench/verify';
import { Engine } from '../../src/engine';
import { MemoryTuneStore, Tuner } from '../../src/gpu/tuner';
import { matmul } from '../../src/kernels/matmul';
import { sq2 } from '../../src/kernels/sq2';
import { nodeRuntime } from '../../src/runtime/node';

const [adapter] = await nodeRuntime.probeAdapters();
if (!adapter) throw new Error('no WebGPU adapter: install Mesa lavapipe >= 23 (scripts/ensure-deps.sh)');
const backends: WebGpuBackend[] = [];
function backend(): WebGpuBackend {
  const b = new WebGpuBackend(adapter);
  b.tuner = new Tuner(new MemoryTuneStore());
  backends.push(b);
  return b;
}
const engines: Engine[] = [];
function engine(): Engine {
  const store = new MemoryTuneStore();
  const e = new Engine({ ...nodeRuntime, tuneStore: () => store });
  engines.push(e);
  return e;
}
afterAll(() => {
  for (const b of backends) b.dispose();
  for (const e of engines) e.dispose();
});

describe('GPU variants', () => {
  it('the tuner times every eligible variant once, the run uses its choice and verifies', async () => {
    const b = backend();
    const inputs = matmul.makeInputs(132, 1);
    await b.select(matmul, 132, inputs);
    const first = b.lastSelection!;
    expect(first.how).toBe('tuned');
    expect(Object.keys(first.tune!.ms).sort()).toEqual(['quad128', 'tile128', 'tile64']);
    const fastest = Object.entries(first.tune!.ms).reduce((a, x) => (x[1] < a[1] ? x : a))[0];
    expect(first.program.variant).toBe(fastest);
    const prep = await b.prepare(matmul, 132, inputs);
    try {
      expect(prep.variant).toBe(fastest);
      expect(prep.variantChoice).toBe('tuned');
      const { output } = await b.run(prep);
      expect(verify(output, matmul.reference(inputs, 132), matmul.tolerance(132)).ok).toBe(true);
    } finally {
      prep.release();
    }
    // remembered: selecting again times nothing (the same record, the same moment)
    await b.select(matmul, 132, inputs);
    expect(b.lastSelection!.tune).toEqual(first.tune);
    // a size this variant set cannot share (not a multiple of 4): tile128 is excluded, with why
    await b.select(matmul, 130, matmul.makeInputs(130, 1));
    expect(b.lastSelection!.how).toBe('only');
    expect(b.lastSelection!.skipped.tile128).toBe('needs a size that is a multiple of 4');
  });

  it('a pinned variant runs as pinned; one that cannot run here is refused with why', async () => {
    const b = backend();
    const pinned = b.forRun('tile128', false);
    const prep = await pinned.prepare(matmul, 132, matmul.makeInputs(132, 2));
    expect([prep.variant, prep.variantChoice]).toEqual(['tile128', 'pinned']);
    prep.release();
    await expect(pinned.prepare(matmul, 130, matmul.makeInputs(130, 2))).rejects.toThrow(
      "GPU variant 'tile128' of matmul cannot run on llvmpipe",
    );
    await expect(b.forRun('nope', false).prepare(matmul, 64, matmul.makeInputs(64, 2))).rejects.toThrow(
      "matmul has no GPU variant 'nope': choose one of tile64, tile128, quad128",
    );
    // the shared backend itself is not pinned
    expect(b.variant).toBeNull();
  });

  it('records carry the variant and how it was chosen; pinning through the options', async () => {
    const e = engine();
    const tuned = await e.run({ kernel: 'sq2', size: 4099, backends: ['webgpu'], reps: 2 });
    expect(tuned.records[0].ok).toBe(true);
    expect(['x1', 'vec4']).toContain(tuned.records[0].variant);
    expect(tuned.records[0].variantChoice).toBe('tuned');
    const pinned = await e.run({ kernel: 'sq2', size: 4099, backends: ['webgpu'], reps: 2, variant: 'vec4' });
    expect(pinned.records[0]).toMatchObject({ ok: true, variant: 'vec4', variantChoice: 'pinned' });
    const sum = await e.run({
      kernel: 'sum',
      size: 100_003,
      backends: ['webgpu'],
      reps: 1,
      variant: 'items16',
    });
    expect(sum.records[0]).toMatchObject({ ok: true, variant: 'items16' });
  });

  it('tune reports every variant with its time and the choice, and the next run uses that choice', async () => {
    const e = engine();
    const [r] = await e.tune({ kernel: 'matmul', size: 132, adapter: [adapter.desc.id] });
    expect(r).toMatchObject({
      adapterId: adapter.desc.id,
      kernel: 'matmul',
      size: 132,
      sizeClass: 128,
      how: 'tuned',
    });
    expect(r.variants.map((v) => v.variant)).toEqual(['tile64', 'tile128', 'quad128']);
    for (const v of r.variants) expect(v.ms).toBeGreaterThan(0);
    const run = await e.run({ kernel: 'matmul', size: 132, backends: ['webgpu'], reps: 1 });
    expect(run.records[0]).toMatchObject({ ok: true, variant: r.choice, variantChoice: 'tuned' });
  });

  it('a device lost while tuning fails that selection; the next run tunes on a new device and verifies', async () => {
    const b = backend();
    const inputs = sq2.makeInputs(5000, 3);
    let lose = true;
    b.onPhase = (phase) => {
      if (phase === 'dispatch' && lose) {
        lose = false;
        b.loseDeviceForTest();
      }
    };
    await expect(b.select(sq2, 5000, inputs)).rejects.toThrow(/lost|destroyed/i);
    b.onPhase = null;
    await b.select(sq2, 5000, inputs);
    expect(b.lastSelection!.how).toBe('tuned');
    const prep = await b.prepare(sq2, 5000, inputs);
    try {
      const { output } = await b.run(prep);
      expect(verify(output, sq2.reference(inputs, 5000), sq2.tolerance(5000)).ok).toBe(true);
    } finally {
      prep.release();
    }
  });
});

describe('data on the GPU (residency device)', () => {
  it('uploads once, repeats on resident data, reads back once: the same verified result as host mode', async () => {
    const e = engine();
    const gpu = e.gpuBackend((await e.adapters())[0]);
    const phases: string[] = [];
    gpu.onPhase = (p) => phases.push(p);
    const opts = {
      kernel: 'sq2',
      size: 100_003,
      backends: ['webgpu' as const],
      reps: 4,
      warmup: 1,
      variant: 'x1',
    };
    const device = (await e.run({ ...opts, residency: 'device' })).records[0];
    const counts = (p: string) => phases.filter((x) => x === p).length;
    // the cold run uploads and reads back; warm-up and repetitions only dispatch; one readback at the end
    expect(counts('upload')).toBe(1);
    expect(counts('readback')).toBe(2);
    expect(counts('dispatch')).toBeGreaterThanOrEqual(1 + 1 + 4);
    phases.length = 0;
    const host = (await e.run(opts)).records[0];
    expect(counts('upload')).toBe(counts('readback'));
    gpu.onPhase = null;
    expect(device).toMatchObject({ ok: true, residency: 'device' });
    expect(host.ok).toBe(true);
    expect(host.residency).toBeUndefined();
    expect(device.maxAbsErr).toBe(host.maxAbsErr);
    // the transfers are timed apart from the per-repetition kernel time
    expect(device.phasesMs!.upload).toBeGreaterThan(0);
    expect(device.phasesMs!.readback).toBeGreaterThan(0);
    expect(device.phasesMs!.dispatch).toBe(device.medianMs);
  });

  it('keeps a chain on the device: the steps run one dispatch each on GPU buffers, uploaded and read back once', async () => {
    const e = engine();
    const gpu = e.gpuBackend((await e.adapters())[0]);
    const phases: string[] = [];
    gpu.onPhase = (p) => phases.push(p);
    const size = 50_001;
    const opts = {
      expr: 'x = a*a + b*b; y = sqrt(x); y / (1 + exp(-a)) + x',
      size,
      backends: ['webgpu' as const],
      reps: 3,
      warmup: 1,
      residency: 'device' as const,
    };
    const steps = (await e.run({ ...opts, variant: 'steps' })).records[0];
    gpu.onPhase = null;
    expect(steps).toMatchObject({ ok: true, residency: 'device', variant: 'steps' });
    expect(phases.filter((x) => x === 'upload')).toHaveLength(1);
    expect(phases.filter((x) => x === 'readback')).toHaveLength(2); // the cold run's and the final one
    // the two steps' buffers were on the GPU beside the inputs and the output
    expect(steps.memory!.gpuPeakBytes).toBeGreaterThanOrEqual(5 * 4 * size);
    e.releaseGpuMemory(); // so the next run's peak starts from nothing held
    const fused = (await e.run({ ...opts, variant: 'x1' })).records[0];
    expect(fused).toMatchObject({ ok: true, variant: 'x1' });
    expect(fused.memory!.gpuPeakBytes).toBeLessThan(steps.memory!.gpuPeakBytes!);
  });
});
