/**
 * The memory report: what a run holds on the GPU and the host is in its record; the buffer pool keeps
 * at most its cap of free buffers; "release" returns the GPU counters to their baseline.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine';
import { BufferPool } from '../../src/gpu/buffer-pool';
import { MemoryTuneStore } from '../../src/gpu/tuner';
import { nodeRuntime } from '../../src/runtime/node';

const store = new MemoryTuneStore();
const engine = new Engine({ ...nodeRuntime, tuneStore: () => store });
afterAll(() => engine.dispose());

describe('memory report', () => {
  it('records GPU bytes in use, held and peak, and host bytes; release returns to the baseline', async () => {
    expect(engine.memoryReport()).toEqual([]); // no device yet: nothing held
    const size = 1 << 18;
    const { records } = await engine.run({ kernel: 'sq2', size, reps: 2, variant: 'x1' });
    const bytes = 4 * size;
    const by = (b: string, code?: string) =>
      records.find((r) => r.backend === b && (!code || r.code === code))!;
    const gpu = by('webgpu').memory!;
    // inputs a and b and the output on the GPU, plus the readback buffer and small uniforms
    expect(gpu.gpuBytesInUse).toBeGreaterThanOrEqual(4 * bytes);
    expect(gpu.gpuBytesInUse).toBeLessThan(4 * bytes + 2 ** 16);
    expect(gpu.gpuBytesHeld).toBeGreaterThanOrEqual(gpu.gpuBytesInUse!);
    expect(gpu.gpuPeakBytes).toBeGreaterThanOrEqual(gpu.gpuBytesInUse!);
    expect(gpu.gpuPoolCapBytes).toBe(256 * 2 ** 20);
    expect(gpu.hostBytes).toBe(3 * bytes);
    expect(by('main', 'js').memory).toEqual({ hostBytes: 3 * bytes });
    // WebAssembly: the inputs, and the module's memory holding their copies and the output
    expect(by('main', 'wasm').memory!.hostBytes).toBeGreaterThanOrEqual(2 * bytes + 3 * bytes);
    expect(by('workers', 'js').memory!.hostBytes).toBeGreaterThanOrEqual(3 * bytes);
    // after the run nothing is in use; the pool keeps the buffers for the next run
    const [after] = engine.memoryReport();
    expect(after.inUse).toBe(0);
    expect(after.held).toBeGreaterThanOrEqual(4 * bytes);
    // a second run of the same shape reuses them: the peak does not grow
    const again = await engine.run({ kernel: 'sq2', size, reps: 1, backends: ['webgpu'], variant: 'x1' });
    expect(again.records[0].memory!.gpuBytesHeld).toBe(after.held);
    // release: every free buffer destroyed, the counters back at zero
    expect(engine.releaseGpuMemory()).toBe(after.held);
    expect(engine.memoryReport()[0]).toMatchObject({ inUse: 0, held: 0, peak: 0 });
    expect(engine.counters().gpuBuffers).toBe(0);
    // and the next run works from nothing
    const fresh = await engine.run({ kernel: 'sq2', size, reps: 1, backends: ['webgpu'] });
    expect(fresh.records[0].ok).toBe(true);
  });

  it('the pool never keeps more than its cap of free buffers, whatever sizes come and go', async () => {
    const [probed] = await nodeRuntime.probeAdapters();
    const adapter = await probed.gpu.requestAdapter(probed.options); // a fresh one: the engine's is in use
    const device = await adapter!.requestDevice();
    try {
      const cap = 2 ** 20;
      const pool = new BufferPool(device, cap);
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
      for (let i = 0; i < 200; i++) {
        const held = [1, 3, 7].map((k) => pool.acquire(((i * k) % 97) * 4096 + 16, usage, `soak ${i}`));
        for (const b of held) pool.release(b);
        expect(pool.stats().freeBytes).toBeLessThanOrEqual(cap);
        expect(pool.stats().inUseBytes).toBe(0);
      }
      pool.clear();
      expect(pool.stats()).toMatchObject({ liveBuffers: 0, liveBytes: 0, freeBytes: 0, inUseBytes: 0 });
    } finally {
      device.destroy();
    }
  });
});
