/**
 * A hand-written elementwise kernel's WebAssembly module, from its body in the v128 language of
 * vec.ts: four items per iteration, the math library inlined, one or two float32 outputs per item
 * (two are interleaved, out[2i] and out[2i + 1], as the CPU and GPU programs write them). The last
 * group of fewer than four items runs the same vector code and stores only its valid lanes (the arena
 * pads every array by 16 bytes).
 *
 * Entry point (src/wasm/runtime.ts): run(in0, ..., inK-1, out, size, start, end, first, scratch).
 */
import { Body, EMPTY, type FuncDef, I32, pooledModule, V128 } from './encode';
import { IMPORT_FUNCS, MathLib } from './math';
import { perForm, type WasmCode, type WasmForm } from './runtime';
import { Fn, type V } from './vec';

export interface ElementwiseKernel {
  inputs: number;
  outputsPerItem: 1 | 2;
  /** The outputs of four items from their inputs (each a v128 of four float32 lanes). */
  body(fn: Fn, lib: MathLib, x: V[]): V[];
}

function emit(k: ElementwiseKernel, form: WasmForm): Uint8Array<ArrayBuffer> {
  return pooledModule(form.shared, IMPORT_FUNCS, () => emitFuncs(k, form));
}

function emitFuncs(k: ElementwiseKernel, form: WasmForm): readonly FuncDef[] {
  const K = k.inputs;
  const OUT = K;
  const START = K + 2;
  const END = K + 3;
  const b = new Body(Array(K + 6).fill(I32));
  const i = b.local(I32);
  const addr = b.local(I32);
  const xs = Array.from({ length: K }, () => b.local(V128));
  const outs = Array.from({ length: k.outputsPerItem }, () => b.local(V128));
  const lib = new MathLib(form.relaxed, true);
  const fn = new Fn(K, form.relaxed, { body: b, args: xs });
  const per = 4 * k.outputsPerItem; // output bytes per item

  b.get(START).set(i);
  b.op('block', EMPTY).op('loop', EMPTY);
  b.get(i).get(END).op('i32.ge_u').op('br_if', 1);
  b.get(i).i32(2).op('i32.shl').set(addr);
  for (let j = 0; j < K; j++) b.get(j).get(addr).op('i32.add').mem('v128.load', 0, 2).set(xs[j]);
  const results = k.body(
    fn,
    lib,
    xs.map((l) => (bb: Body) => bb.get(l)),
  );
  results.forEach((r, j) => {
    r(b);
    b.set(outs[j]);
  });
  // The vectors to store: one output as is; two interleaved (c0 p0 c1 p1 | c2 p2 c3 p3).
  let store = outs;
  if (k.outputsPerItem === 2) {
    const lo = b.local(V128);
    const hi = b.local(V128);
    b.get(outs[0]).get(outs[1]).shuffle([0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]).set(lo);
    b.get(outs[0])
      .get(outs[1])
      .shuffle([8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31])
      .set(hi);
    store = [lo, hi];
  }
  // base = out + i·per
  const base = b.local(I32);
  b.get(OUT).get(i).i32(per).op('i32.mul').op('i32.add').set(base);
  b.get(END).get(i).op('i32.sub').i32(4).op('i32.ge_u').op('if', EMPTY);
  store.forEach((v, j) => {
    b.get(base)
      .get(v)
      .mem('v128.store', 16 * j, 2);
  });
  b.op('else');
  // valid floats = (end - i)·outputsPerItem, at most 4·outputsPerItem - 1
  for (let f = 0; f < 4 * k.outputsPerItem - 1; f++) {
    b.get(END).get(i).op('i32.sub').i32(k.outputsPerItem).op('i32.mul').i32(f).op('i32.gt_u').op('if', EMPTY);
    b.get(base)
      .get(store[f >> 2])
      .storeLane(f & 3, 4 * f);
    b.op('end');
  }
  b.op('end');
  b.get(i).i32(4).op('i32.add').set(i);
  b.op('br', 0).op('end').op('end');
  lib.add({ params: b.params, results: [], body: b, export: 'run' });
  return lib.funcs;
}

/** The kernel's WebAssembly program, emitted per form on first use. */
export function elementwiseWasm(k: ElementwiseKernel): WasmCode {
  return perForm((form) => emit(k, form));
}
