import { afterAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { verify } from '../../src/bench/verify';
import { Engine } from '../../src/engine';
import { cachedExpression } from '../../src/expr/kernel';
import { gpuPrograms } from '../../src/kernels/gpu-program';
import { registry } from '../../src/kernels/registry';
import { nodeRuntime } from '../../src/runtime/node';

const engine = new Engine(nodeRuntime);
afterAll(() => engine.dispose());

describe('Cancel during each phase of a GPU run', () => {
  it.each(['compile', 'upload', 'dispatch', 'readback'] as const)(
    'cancel at %s rejects promptly; the next run works and nothing is left behind',
    async (target) => {
      const [first] = await nodeRuntime.probeAdapters();
      const gpu = new WebGpuBackend(first);
      try {
        const k = registry.get('matmul');
        const inputs = k.makeInputs(100, 2);
        const ctl = new AbortController();
        gpu.onPhase = (phase) => {
          if (phase === target) ctl.abort();
        };
        const attempt = async () => {
          const prep = await gpu.prepare(k, 100, inputs, ctl.signal);
          try {
            return await gpu.run(prep, ctl.signal);
          } finally {
            prep.release();
          }
        };
        await expect(attempt()).rejects.toThrow('the run was cancelled');
        gpu.onPhase = null;
        const buffersAfterCancel = gpu.counters().liveBuffers;
        const prep = await gpu.prepare(k, 100, inputs);
        const r = await gpu.run(prep);
        prep.release();
        expect(verify(r.output, k.reference(inputs, 100), k.tolerance(100)).ok).toBe(true);
        // the cancelled run's buffers went back to the pool and were reused
        expect(gpu.counters().liveBuffers).toBeLessThanOrEqual(Math.max(buffersAfterCancel, 8));
        expect(gpu.uncapturedErrors).toEqual([]);
      } finally {
        gpu.dispose();
      }
    },
  );
});

describe('two runs on one engine at once', () => {
  it('both finish with their own, verified records (runs do not share mutable state)', async () => {
    const [a, b] = await Promise.all([
      engine.run({ kernel: 'sq2', size: 30011, reps: 3 }),
      engine.run({ kernel: 'matmul', size: 70, reps: 3 }),
    ]);
    expect(a.records.every((r) => r.kernel === 'sq2' && r.ok)).toBe(true);
    expect(b.records.every((r) => r.kernel === 'matmul' && r.ok)).toBe(true);
  });
});

describe('200 consecutive runs alternating kernels and backends', () => {
  it('keep workers, pending calls, GPU buffers, pipelines and memory bounded', async () => {
    const plans: { kernel?: string; expr?: string; size: number }[] = [
      { kernel: 'sq2', size: 5003 },
      { kernel: 'saxpy', size: 4099 },
      { kernel: 'sum', size: 9001 },
      { kernel: 'matmul', size: 33 },
      { expr: 'where(a > b, a*b, a - b)', size: 3001 },
      { expr: 'sum(sin(a) * b)', size: 2999 },
    ];
    const backends = [['main'], ['workers'], ['webgpu'], ['main', 'workers', 'webgpu']] as const;
    const samples: { run: number; arrayBuffers: number; heap: number }[] = [];
    let failures = 0;
    for (let i = 0; i < 200; i++) {
      const { records } = await engine.run({
        ...plans[i % plans.length],
        backends: [...backends[i % backends.length]],
        reps: 1,
        warmup: 0,
      });
      failures += records.filter((r) => !r.ok).length;
      if (i === 49 || i === 199) {
        const m = process.memoryUsage();
        samples.push({ run: i + 1, arrayBuffers: m.arrayBuffers, heap: m.heapUsed });
      }
    }
    expect(failures).toBe(0);
    const c = engine.counters();
    expect(c.pendingCalls).toBe(0);
    expect(c.workersLive).toBeLessThanOrEqual(nodeRuntime.defaultWorkers);
    expect(c.workersStarted).toBeLessThanOrEqual(nodeRuntime.defaultWorkers); // created once, reused
    expect(c.gpuBackends).toBe(1);
    expect(c.gpuBuffers).toBeLessThanOrEqual(64);
    // at most every shader of every GPU variant of the plans' kernels (the tuner compiles each once)
    const shaders = plans
      .map((p) => (p.kernel ? registry.get(p.kernel) : cachedExpression(p.expr!).kernel))
      .reduce((n, k) => n + gpuPrograms(k).reduce((m, g) => m + Object.keys(g.shaders).length, 0), 0);
    expect(c.pipelines).toBeLessThanOrEqual(shaders + 2);
    // Between run 50 and run 200 memory may move with the garbage collector, not grow with the runs.
    const [at50, at200] = samples;
    expect(at200.arrayBuffers - at50.arrayBuffers).toBeLessThan(64 * 2 ** 20);
    expect(at200.heap - at50.heap).toBeLessThan(64 * 2 ** 20);
    console.log(`soak: 200 runs, counters ${JSON.stringify(c)}, memory ${JSON.stringify(samples)}`);
  });
});
