import { afterAll, describe, expect, it } from 'vitest';
import { runCpu } from '../../src/backends/main-thread';
import { WorkerPool } from '../../src/backends/pool';
import { WorkerPoolBackend } from '../../src/backends/worker-pool';
import { verify } from '../../src/bench/verify';
import { splitRange } from '../../src/kernels/common';
import { getKernel, registry } from '../../src/kernels/registry';
import { nodeWorkerFactory } from '../../src/runtime/node';

const pools: WorkerPool[] = [];
function pool(n: number): WorkerPool {
  const p = new WorkerPool(nodeWorkerFactory, n);
  pools.push(p);
  return p;
}
afterAll(() => {
  for (const p of pools) p.dispose();
});

async function runOnPool(p: WorkerPool, shared: boolean, id: string, size: number) {
  const k = getKernel(id);
  const backend = new WorkerPoolBackend(p, { shared });
  const inputs = k.makeInputs(size, 3);
  const prep = await backend.prepare(k, size, inputs);
  const { output } = await backend.run(prep);
  return { k, inputs, output: Float32Array.from(output) };
}

describe('splitRange', () => {
  it('covers [0, items) with contiguous aligned chunks', () => {
    for (const [items, parts, align] of [
      [1, 3, 64],
      [1000, 3, 64],
      [129, 3, 1],
      [2 ** 20 + 7, 7, 64],
    ]) {
      const r = splitRange(items, parts, align);
      expect(r[0][0]).toBe(0);
      expect(r.at(-1)![1]).toBe(items);
      for (let i = 1; i < r.length; i++) expect(r[i][0]).toBe(r[i - 1][1]);
      for (const [a, b] of r) expect(b).toBeGreaterThan(a);
      expect(r.length).toBeLessThanOrEqual(parts);
    }
  });
});

describe('faults', () => {
  it('a kernel that throws in a worker rejects the run with its message, and the pool still works', async () => {
    const p = pool(2);
    await expect(runOnPool(p, true, 'fault-throw', 1000)).rejects.toThrow('injected fault: the kernel threw');
    await expect(runOnPool(p, false, 'fault-throw', 1000)).rejects.toThrow(
      'injected fault: the kernel threw',
    );
    const { output } = await runOnPool(p, true, 'sq2', 1000);
    expect(output[0]).toBeGreaterThanOrEqual(0);
  });

  it('a worker that dies mid-call rejects the run instead of hanging, and is replaced', async () => {
    const p = pool(2);
    const before = p.counters().started;
    await expect(runOnPool(p, true, 'fault-crash', 1000)).rejects.toThrow(/a worker exited \(code 70\)/);
    const { k, inputs, output } = await runOnPool(p, true, 'sq2', 4096);
    expect(output).toEqual(runCpu(k, 4096, inputs));
    expect(p.counters().started).toBeGreaterThan(before);
    expect(p.counters().pending).toBe(0);
  });

  it('an aborted run rejects promptly, terminates busy workers, and the pool works afterwards', async () => {
    const p = pool(2);
    const k = registry.get('matmul');
    const backend = new WorkerPoolBackend(p, { shared: true });
    const n = 1400; // several seconds of work on two cores
    const prep = await backend.prepare(k, n, k.makeInputs(n, 1));
    const ctl = new AbortController();
    const running = backend.run(prep, ctl.signal);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    ctl.abort();
    await expect(running).rejects.toThrow('the run was cancelled');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(p.counters().pending).toBe(0);
    const { k: k2, inputs, output } = await runOnPool(p, true, 'saxpy', 5000);
    expect(output).toEqual(runCpu(k2, 5000, inputs));
  });

  it('a call that outlives its timeout rejects and restarts the worker', async () => {
    const p = new WorkerPool(nodeWorkerFactory, 1, 300);
    pools.push(p);
    const k = registry.get('matmul');
    const backend = new WorkerPoolBackend(p, { shared: true });
    const prep = await backend.prepare(k, 1400, k.makeInputs(1400, 1));
    await expect(backend.run(prep)).rejects.toThrow('a worker did not answer within 0.3 s; it was restarted');
    expect(p.counters().pending).toBe(0);
  });

  it('refuses worker counts out of range', () => {
    expect(() => new WorkerPool(nodeWorkerFactory, 0)).toThrow(
      'workers must be an integer from 1 to 64, got 0',
    );
    expect(() => new WorkerPool(nodeWorkerFactory, 65)).toThrow(
      'workers must be an integer from 1 to 64, got 65',
    );
    expect(() => new WorkerPool(nodeWorkerFactory, 1.5)).toThrow('workers must be an integer from 1 to 64');
  });
});

describe('WebAssembly in a shared pool', () => {
  it.each(['matmul', 'sum'])(
    '%s stays right when the pool is resized between prepare and run (one scratch and partial slot per prepared worker)',
    async (id) => {
      const p = pool(2);
      const k = getKernel(id);
      const size = id === 'matmul' ? 67 : 100_003;
      const backend = new WorkerPoolBackend(p, { shared: true, code: 'wasm', relaxed: false });
      const inputs = k.makeInputs(size, 5);
      const prep = await backend.prepare(k, size, inputs);
      p.resize(3); // another widget on the page asked for more workers
      const { output } = await backend.run(prep);
      const v = verify(output, k.reference(inputs, size), k.tolerance(size));
      expect(v.firstBad).toBeUndefined();
      p.resize(1);
      const again = await backend.run(prep);
      expect(verify(again.output, k.reference(inputs, size), k.tolerance(size)).ok).toBe(true);
    },
  );
});
