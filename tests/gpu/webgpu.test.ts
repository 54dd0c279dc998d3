import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { verify } from '../../src/bench/verify';
import type { ProbedAdapter } from '../../src/gpu/adapters';
import { registry } from '../../src/kernels/registry';
import type { KernelSpec } from '../../src/kernels/types';
import { nodeRuntime } from '../../src/runtime/node';

// Dawn on Mesa's lavapipe (a CPU Vulkan driver): correct results, meaningless timings.
let adapters: ProbedAdapter[] = [];
let gpu: WebGpuBackend;

beforeAll(async () => {
  adapters = await nodeRuntime.probeAdapters();
  if (!adapters.length)
    throw new Error('no WebGPU adapter: install Mesa lavapipe >= 23 (scripts/ensure-deps.sh)');
  gpu = new WebGpuBackend(adapters[0]);
});
afterAll(() => {
  expect(gpu.uncapturedErrors).toEqual([]);
  gpu.dispose();
});

async function runOnGpu(k: KernelSpec, size: number, seed = 5) {
  const inputs = k.makeInputs(size, seed);
  const prep = await gpu.prepare(k, size, inputs);
  try {
    const r = await gpu.run(prep);
    return { r, v: verify(r.output, k.reference(inputs, size), k.tolerance(size)) };
  } finally {
    prep.release();
  }
}

describe('WebGPU backend', () => {
  it('lays more than maxComputeWorkgroupsPerDimension workgroups out in 2D', async () => {
    const size = 65535 * 256 + 1000; // one more row of workgroups than one dimension holds
    const { v } = await runOnGpu(registry.get('sq2'), size);
    expect(v.ok).toBe(true);
    const s = await runOnGpu(registry.get('sum'), size);
    expect(s.v.ok).toBe(true);
  });

  it('reports GPU kernel time from timestamp queries', async () => {
    expect(gpu.hasTimestamps).toBe(true);
    const { r } = await runOnGpu(registry.get('matmul'), 65);
    expect(r.gpuMs).toBeGreaterThan(0);
  });

  it('reuses buffers across runs of the same shape', async () => {
    const k = registry.get('saxpy');
    await runOnGpu(k, 4099);
    const before = gpu.counters();
    await runOnGpu(k, 4099);
    await runOnGpu(k, 4099);
    expect(gpu.counters().liveBuffers).toBe(before.liveBuffers);
  });

  it('refuses a size beyond the binding limit, naming the limit', async () => {
    const k = registry.get('sq2');
    const limit = adapters[0].desc.limits.maxStorageBufferBindingSize;
    const size = Math.floor(limit / 4) + 1;
    // Fake inputs: the limit check comes before any allocation or upload.
    await expect(gpu.prepare(k, size, [new Float32Array(1), new Float32Array(1)])).rejects.toThrow(
      /needs a \d+ MiB buffer for sq2's a, but .* allows at most \d+ MiB \(maxStorageBufferBindingSize\); choose a smaller size/,
    );
  });

  it('fails the run in flight when the device is lost, and the next run gets a new device', async () => {
    const lostMessages: string[] = [];
    const b = new WebGpuBackend(adapters[0]);
    b.onDeviceLost = (m) => lostMessages.push(m);
    const k = registry.get('matmul');
    const inputs = k.makeInputs(256, 1);
    const prep = await b.prepare(k, 256, inputs);
    const running = b.run(prep);
    b.loseDeviceForTest();
    await expect(running).rejects.toThrow(/the WebGPU device on .* was lost/);
    prep.release();
    expect(lostMessages.length).toBe(1);
    const prep2 = await b.prepare(k, 64, k.makeInputs(64, 1));
    const r = await b.run(prep2);
    expect(verify(r.output, k.reference(k.makeInputs(64, 1), 64), k.tolerance(64)).ok).toBe(true);
    prep2.release();
    b.dispose();
  });
});

describe('long GPU work is split into short submissions (the watchdog)', () => {
  it.each([
    ['sq2', 100_003],
    ['saxpy', 70_001],
    ['sum', 300_007],
    ['matmul', 200],
  ])('%s at %i with a small budget: several submissions, same verified result', async (id, size) => {
    const b = new WebGpuBackend((await nodeRuntime.probeAdapters())[0]);
    b.submitBudget = { elements: 4096, flops: 2 * 64 * 64 * 200 * 3 }; // a few workgroups or 3 matmul tiles
    try {
      const k = registry.get(id);
      const inputs = k.makeInputs(size, 9);
      const prep = await b.prepare(k, size, inputs);
      const r = await b.run(prep);
      prep.release();
      expect(b.lastSubmissions).toBeGreaterThan(2);
      expect(verify(r.output, k.reference(inputs, size), k.tolerance(size)).firstBad).toBeUndefined();
      expect(r.gpuMs).toBeGreaterThan(0); // timestamps span every submission
      expect(b.uncapturedErrors).toEqual([]);
    } finally {
      b.dispose();
    }
  });

  it('keeps small runs in one submission', async () => {
    const k = registry.get('sum');
    const inputs = k.makeInputs(5000, 1);
    const prep = await gpu.prepare(k, 5000, inputs);
    await gpu.run(prep);
    prep.release();
    expect(gpu.lastSubmissions).toBe(1);
  });
});
