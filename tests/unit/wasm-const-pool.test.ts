/**
 * The compiled tier keeps a module's v128 constants as immutable globals: V8 builds an inline
 * v128.const from scratch at every use in a loop (three instructions on x64), where an immutable global
 * is a pure load it schedules and shares (sin 48 → 31 ms at 2^24, BENCHMARKS.md).
 */
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/expr/kernel';
import { Body, type FuncDef, I32, moduleBytes, pooledModule, withConstPool } from '../../src/wasm/encode';
import { PrivateWasm } from '../../src/wasm/runtime';

describe('constants as globals', () => {
  const write = (): FuncDef[] => {
    const b = new Body([I32]);
    b.get(0).f32x4(1.5).f32x4(2.5).simd('f32x4.add').f32x4(1.5).simd('f32x4.mul').mem('v128.store');
    b.get(0).i32x4(7, 8, 9, 10).mem('v128.store', 16);
    return [{ params: [I32], results: [], body: b, export: 'run' }];
  };

  it('holds each distinct constant once, lanes as written', () => {
    const { globals } = withConstPool(write);
    expect(globals.map((g) => [...new Float32Array(Uint8Array.from(g).buffer)])).toEqual([
      [1.5, 1.5, 1.5, 1.5],
      [2.5, 2.5, 2.5, 2.5],
      [...new Float32Array(Int32Array.of(7, 8, 9, 10).buffer)],
    ]);
  });

  it('computes what the same code with inline constants computes', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const results = [
      pooledModule(false, [], write),
      moduleBytes({ shared: false, imports: [], funcs: write() }),
    ].map((bytes) => {
      const m = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      new Float32Array(memory.buffer).fill(0);
      (m.exports.run as (at: number) => void)(64);
      return [...new Int32Array(memory.buffer, 64, 8)];
    });
    expect(results[0]).toEqual(results[1]);
    expect(new Float32Array(Int32Array.from(results[0]).buffer).slice(0, 4)).toEqual(
      Float32Array.of(6, 6, 6, 6),
    );
    expect(results[0].slice(4)).toEqual([7, 8, 9, 10]);
  });

  it('keep modules apart: two expressions alternating on one memory both stay right', async () => {
    const own = new PrivateWasm();
    const a = Float32Array.from({ length: 1001 }, (_, i) => (i - 500) / 250);
    const kernels = ['a*3 + 7', 'sin(a)*0.25 - 1.5'].map((e) => compileExpression(e).kernel);
    const want = kernels.map((k) => k.reference([a], a.length).values);
    for (const round of [0, 1, 2]) {
      for (const [j, k] of kernels.entries()) {
        const out = await own.run(k, false, a.length, [a], a.length, a.length, 0);
        const err = Math.max(...out.map((x, i) => Math.abs(x - want[j][i])));
        expect(err, `${k.title}, round ${round}`).toBeLessThan(1e-6);
      }
    }
  });

  it('belong to the module a body was written for, even while another module is being written', () => {
    let inner: Uint8Array<ArrayBuffer> | null = null;
    const outer = pooledModule(false, [], () => {
      const b = new Body([I32]);
      b.get(0).f32x4(1.5);
      // a second module written in the middle of the first (its own pool), then the first goes on
      inner = pooledModule(false, [], write);
      b.f32x4(2.5).simd('f32x4.add').mem('v128.store');
      return [{ params: [I32], results: [], body: b, export: 'run' }];
    });
    const memory = new WebAssembly.Memory({ initial: 1 });
    for (const [bytes, want] of [
      [outer, 4],
      [inner!, 6],
    ] as const) {
      const m = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      (m.exports.run as (at: number) => void)(64);
      expect(new Float32Array(memory.buffer, 64, 1)[0]).toBe(want);
    }
  });

  it('are refused to a module that was not given them, and probes stay inline inside a pool', () => {
    const { result: body } = withConstPool(() => new Body([]).f32x4(1).op('drop'));
    expect(() =>
      moduleBytes({ shared: false, imports: [], funcs: [{ params: [], results: [], body }] }),
    ).toThrow(
      "a function reads the constant globals of another module: write it in this module's withConstPool",
    );
    const { result: probe } = withConstPool(() =>
      new Body([], { inlineConstants: true }).f32x4(1).op('drop'),
    );
    const bytes = moduleBytes({
      shared: false,
      imports: [],
      funcs: [{ params: [], results: [], body: probe }],
    });
    expect(WebAssembly.validate(bytes)).toBe(true);
  });
});
