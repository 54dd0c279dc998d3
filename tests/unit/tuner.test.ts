/**
 * The tuner with a fake clock: it picks the fastest variant, remembers the choice per adapter, driver
 * and size class, re-tunes on request, and ignores a choice made on another adapter or driver.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTuneStore, sizeClass, Tuner, tuneKey, type VariantTime } from '../../src/gpu/tuner';
import { FileTuneStore, tuneFile } from '../../src/runtime/tune-file';

const H100 = {
  id: 'nvidia-h100-80gb-hbm3',
  vendor: 'nvidia',
  architecture: 'hopper',
  device: '',
  description: 'NVIDIA H100 80GB HBM3 (driver 580.159.04)',
};

/** A fake clock: each variant "takes" the time the table says; calls are counted. */
function fakeTimes(table: Record<string, number>) {
  const calls: string[] = [];
  const time = async (v: string): Promise<VariantTime> => {
    calls.push(v);
    if (!(v in table)) throw new Error(`${v} failed to compile`);
    return { ms: table[v], clock: 'gpu' };
  };
  return { calls, time };
}

describe('tuner', () => {
  it('times each candidate once and picks the fastest', async () => {
    const t = new Tuner(new MemoryTuneStore(), () => 1234);
    const f = fakeTimes({ tile64: 5, tile128: 2, subgroup: 3 });
    const { record, fresh } = await t.choose('k', ['tile64', 'tile128', 'subgroup'], f.time);
    expect(fresh).toBe(true);
    expect(record).toEqual({
      variant: 'tile128',
      ms: { tile64: 5, tile128: 2, subgroup: 3 },
      clock: 'gpu',
      at: 1234,
    });
    expect(f.calls).toEqual(['tile64', 'tile128', 'subgroup']);
  });

  it('remembers the choice: the next run of the key times nothing', async () => {
    const store = new MemoryTuneStore();
    const t = new Tuner(store);
    const f = fakeTimes({ a: 5, b: 2 });
    await t.choose('k', ['a', 'b'], f.time);
    const again = await t.choose('k', ['a', 'b'], f.time);
    expect(again.fresh).toBe(false);
    expect(again.record.variant).toBe('b');
    expect(f.calls).toEqual(['a', 'b']);
    // a new Tuner over the same store (a new page, a new process) remembers it too
    const later = await new Tuner(store).choose('k', ['a', 'b'], f.time);
    expect(later.fresh).toBe(false);
  });

  it('re-tunes on request and may change its mind', async () => {
    const t = new Tuner(new MemoryTuneStore());
    await t.choose('k', ['a', 'b'], fakeTimes({ a: 5, b: 2 }).time);
    const f = fakeTimes({ a: 1, b: 2 });
    const r = await t.choose('k', ['a', 'b'], f.time, { retune: true });
    expect(r.fresh).toBe(true);
    expect(r.record.variant).toBe('a');
    expect(f.calls).toEqual(['a', 'b']);
    expect((await t.choose('k', ['a', 'b'], f.time)).record.variant).toBe('a');
  });

  it('ignores a choice made on another adapter, another driver or another size class', async () => {
    const store = new MemoryTuneStore();
    const t = new Tuner(store);
    await t.choose(tuneKey(H100, 'matmul', 4096), ['a', 'b'], fakeTimes({ a: 5, b: 2 }).time);
    const newDriver = { ...H100, description: 'NVIDIA H100 80GB HBM3 (driver 590.10)' };
    const other = { ...H100, id: 'llvmpipe', description: 'llvmpipe' };
    for (const key of [
      tuneKey(newDriver, 'matmul', 4096),
      tuneKey(other, 'matmul', 4096),
      tuneKey(H100, 'matmul', 1024),
      tuneKey(H100, 'sq2', 4096),
    ]) {
      const f = fakeTimes({ a: 1, b: 2 });
      const r = await t.choose(key, ['a', 'b'], f.time);
      expect(r.fresh).toBe(true);
      expect(f.calls).toEqual(['a', 'b']);
    }
    // the same class: 4096 and 5000 share the power of two below them
    expect(sizeClass(5000)).toBe(4096);
    expect((await t.choose(tuneKey(H100, 'matmul', 5000), ['a', 'b'], fakeTimes({}).time)).fresh).toBe(false);
  });

  it('a remembered variant that is no longer a candidate (this device cannot run it) is not used', async () => {
    const t = new Tuner(new MemoryTuneStore());
    await t.choose('k', ['a', 'subgroup'], fakeTimes({ a: 5, subgroup: 1 }).time);
    const f = fakeTimes({ a: 5, b: 7 });
    const r = await t.choose('k', ['a', 'b'], f.time);
    expect(r.fresh).toBe(true);
    expect(r.record.variant).toBe('a');
  });

  it('a variant that fails to run is left out with its message; if all fail, the first error is raised', async () => {
    const t = new Tuner(new MemoryTuneStore());
    const r = await t.choose('k', ['a', 'broken'], fakeTimes({ a: 5 }).time);
    expect(r.record.variant).toBe('a');
    expect(r.record.skipped).toEqual({ broken: 'broken failed to compile' });
    await expect(t.choose('k2', ['x', 'y'], fakeTimes({}).time)).rejects.toThrow('x failed to compile');
  });

  it('one candidate is chosen without timing and not remembered', async () => {
    const store = new MemoryTuneStore();
    const f = fakeTimes({ a: 5 });
    const r = await new Tuner(store).choose('k', ['a'], f.time);
    expect(r.record.variant).toBe('a');
    expect(f.calls).toEqual([]);
    expect(store.load()).toEqual({});
  });

  it('forgets the choices of one adapter, or all', async () => {
    const store = new MemoryTuneStore();
    const t = new Tuner(store);
    const other = { ...H100, id: 'llvmpipe' };
    await t.choose(tuneKey(H100, 'matmul', 64), ['a', 'b'], fakeTimes({ a: 1, b: 2 }).time);
    await t.choose(tuneKey(other, 'matmul', 64), ['a', 'b'], fakeTimes({ a: 1, b: 2 }).time);
    t.forget('llvmpipe');
    expect(Object.keys(store.load())).toEqual([tuneKey(H100, 'matmul', 64)]);
    t.forget();
    expect(store.load()).toEqual({});
  });
});

describe('the file store (Node)', () => {
  it('keeps choices across processes in one JSON file; a damaged file reads as empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-tune-'));
    const path = join(dir, 'sub', 'tune.json');
    await new Tuner(new FileTuneStore(path)).choose('k', ['a', 'b'], fakeTimes({ a: 3, b: 1 }).time);
    expect(JSON.parse(readFileSync(path, 'utf8')).k.variant).toBe('b');
    expect(new FileTuneStore(path).load().k.ms).toEqual({ a: 3, b: 1 });
    writeFileSync(path, '{ not json');
    expect(new FileTuneStore(path).load()).toEqual({});
  });

  it('lives in KERNEL_PLAYGROUND_CACHE, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(tuneFile({ KERNEL_PLAYGROUND_CACHE: '/x' })).toBe('/x/tune.json');
    expect(tuneFile({ XDG_CACHE_HOME: '/c' })).toBe('/c/kernel-playground/tune.json');
    expect(tuneFile({})).toMatch(/\.cache\/kernel-playground\/tune\.json$/);
  });
});

describe('tuning and failures', () => {
  it('a lost device or a cancel ends the tuning at once and remembers nothing', async () => {
    const { DeviceLostError, CancelledError } = await import('../../src/errors');
    const store = new MemoryTuneStore();
    const t = new Tuner(store);
    for (const err of [new DeviceLostError('the GPU device was lost'), new CancelledError()]) {
      const calls: string[] = [];
      await expect(
        t.choose('k', ['a', 'b'], async (v) => {
          calls.push(v);
          throw err;
        }),
      ).rejects.toBe(err);
      expect(calls).toEqual(['a']);
    }
    expect(store.load()).toEqual({});
  });
});
