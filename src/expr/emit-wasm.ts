/**
 * The expression's WebAssembly program: the same typed SSA program as the JavaScript and WGSL,
 * four elements at a time in f32x4 lanes, every intermediate rounded to float32 as elsewhere.
 * Arithmetic, comparisons and the native functions give bit-identical results to the JavaScript tier;
 * transcendental functions use the vectorised library in src/wasm/math.ts. The last group of fewer
 * than four elements runs the same vector code and stores only its valid lanes (the arena pads every
 * array by 16 bytes, so reading past an input's end stays inside memory the run owns).
 *
 * Entry point (the compiled tier's convention, src/wasm/runtime.ts):
 *   run(in0, ..., inK-1, out, size, start, end, first, scratch)  — byte addresses and element numbers.
 * Reductions fold blocks of 4096 elements in float64 lanes, then the blocks in float64, and write one
 * float32 partial to out[0].
 */
import { Body, EMPTY, type FuncDef, I32, pooledModule, V128 } from '../wasm/encode';
import { IMPORT_FUNCS, MathLib } from '../wasm/math';
import type { V } from '../wasm/vec';
import type { Program } from './ir';
import { powiPlan } from './powi';

const NATIVE: Record<string, (b: Body) => void> = {
  sqrt: (b) => b.simd('f32x4.sqrt'),
  abs: (b) => b.simd('f32x4.abs'),
  floor: (b) => b.simd('f32x4.floor'),
  ceil: (b) => b.simd('f32x4.ceil'),
  minimum: (b) => b.simd('f32x4.min'),
  maximum: (b) => b.simd('f32x4.max'),
};

const CMP = {
  '==': 'f32x4.eq',
  '!=': 'f32x4.ne',
  '<': 'f32x4.lt',
  '>': 'f32x4.gt',
  '<=': 'f32x4.le',
  '>=': 'f32x4.ge',
} as const;

/** Block length of a reduction's inner float64 fold (elements). */
const REDUCE_BLOCK = 4096;

export interface WasmOptions {
  /** The module imports a shared memory (the pool's, when the page is cross-origin isolated). */
  shared: boolean;
  /** Polynomials use relaxed SIMD's fused multiply-add. */
  relaxed: boolean;
}

export function emitWasm(p: Program, o: WasmOptions): Uint8Array<ArrayBuffer> {
  return pooledModule(o.shared, IMPORT_FUNCS, () => emitFuncs(p, o));
}

function emitFuncs(p: Program, o: WasmOptions): readonly FuncDef[] {
  const lib = new MathLib(o.relaxed, true);
  const K = p.vars.length;
  const params = Array(K + 6).fill(I32);
  const OUT = K;
  const END = K + 3;
  const b = new Body(params);
  const i = b.local(I32);
  const addr = b.local(I32);
  const t = p.ins.map(() => b.local(V128));
  const ref =
    (l: number): V =>
    (bb) =>
      bb.get(l);

  /** Computes every step for the four elements at byte offset `addr`. */
  const steps = () => {
    p.ins.forEach((s, k) => {
      switch (s.op) {
        case 'const':
          b.f32x4(Math.fround(s.value));
          break;
        case 'var':
          b.get(s.index).get(addr).op('i32.add').mem('v128.load', 0, 2);
          break;
        case 'neg':
          b.get(t[s.a]).simd('f32x4.neg');
          break;
        case 'not':
          b.get(t[s.a]).simd('v128.not');
          break;
        case 'tonum':
          b.get(t[s.a]).f32x4(1).simd('v128.and');
          break;
        case 'add':
        case 'sub':
        case 'mul':
        case 'div':
          b.get(t[s.a]).get(t[s.b]).simd(`f32x4.${s.op}`);
          break;
        case 'mod':
        case 'pow':
          lib.call(s.op, ref(t[s.a]), ref(t[s.b]))(b);
          break;
        case 'and':
        case 'or':
          b.get(t[s.a]).get(t[s.b]).simd(`v128.${s.op}`);
          break;
        case 'cmp':
          b.get(t[s.a]).get(t[s.b]).simd(CMP[s.cmp]);
          break;
        case 'where':
          b.get(t[s.a]).get(t[s.b]).get(t[s.c]).simd('v128.bitselect');
          break;
        case 'powi': {
          if (s.n === 0) {
            b.f32x4(1);
            break;
          }
          const names = [t[s.a]];
          for (const [x, y] of powiPlan(s.n)) {
            const l = b.local(V128);
            b.get(names[x]).get(names[y]).simd('f32x4.mul').set(l);
            names.push(l);
          }
          if (s.n < 0) b.f32x4(1);
          b.get(names[names.length - 1]);
          if (s.n < 0) b.simd('f32x4.div');
          break;
        }
        case 'call':
          if (NATIVE[s.fn]) {
            for (const a of s.args) b.get(t[a]);
            NATIVE[s.fn](b);
          } else lib.call(s.fn, ...s.args.map((a) => ref(t[a])))(b);
          break;
      }
      b.set(t[k]);
    });
    b.get(t[p.result]);
    if (p.types[p.result] === 'bool') b.f32x4(1).simd('v128.and');
  };

  const setAddr = () => b.get(i).i32(2).op('i32.shl').set(addr);
  b.get(K + 2).set(i);

  if (!p.reduction) {
    const r = b.local(V128);
    b.op('block', EMPTY).op('loop', EMPTY);
    b.get(i).get(END).op('i32.ge_u').op('br_if', 1);
    setAddr();
    steps();
    b.set(r);
    b.get(END).get(i).op('i32.sub').i32(4).op('i32.ge_u').op('if', EMPTY);
    b.get(OUT).get(addr).op('i32.add').get(r).mem('v128.store', 0, 2);
    b.op('else');
    for (let lane = 0; lane < 3; lane++) {
      b.get(END).get(i).op('i32.sub').i32(lane).op('i32.gt_u').op('if', EMPTY);
      b.get(OUT)
        .get(addr)
        .op('i32.add')
        .get(r)
        .storeLane(lane, 4 * lane);
      b.op('end');
    }
    b.op('end');
    b.get(i).i32(4).op('i32.add').set(i);
    b.op('br', 0).op('end').op('end');
  } else {
    const op = { sum: 'add', prod: 'mul', min: 'min', max: 'max' }[p.reduction] as
      | 'add'
      | 'mul'
      | 'min'
      | 'max';
    const id = { sum: 0, prod: 1, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY }[p.reduction];
    const [a0, a1, b0, b1, r] = [0, 0, 0, 0, 0].map(() => b.local(V128));
    const blockEnd = b.local(I32);
    b.f64x2(id).set(a0).f64x2(id).set(a1);
    b.op('block', EMPTY).op('loop', EMPTY);
    b.get(i).get(END).op('i32.ge_u').op('br_if', 1);
    // blockEnd = min(i + REDUCE_BLOCK, end)
    b.get(i)
      .i32(REDUCE_BLOCK)
      .op('i32.add')
      .get(END)
      .get(i)
      .i32(REDUCE_BLOCK)
      .op('i32.add')
      .get(END)
      .op('i32.lt_u')
      .op('select')
      .set(blockEnd);
    b.f64x2(id).set(b0).f64x2(id).set(b1);
    b.op('loop', EMPTY);
    setAddr();
    steps();
    // lanes past the end hold the identity: bitselect(value, identity, remaining > lane)
    b.f32x4(id);
    b.get(blockEnd).get(i).op('i32.sub').simd('i32x4.splat').i32x4(0, 1, 2, 3).simd('i32x4.gt_s');
    b.simd('v128.bitselect');
    b.set(r);
    b.get(b0).get(r).simd('f64x2.promote_low_f32x4').simd(`f64x2.${op}`).set(b0);
    b.get(b1).get(r).get(r).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]);
    b.simd('f64x2.promote_low_f32x4').simd(`f64x2.${op}`).set(b1);
    b.get(i).i32(4).op('i32.add').tee(i).get(blockEnd).op('i32.lt_u').op('br_if', 0);
    b.op('end');
    b.get(a0).get(b0).simd(`f64x2.${op}`).set(a0);
    b.get(a1).get(b1).simd(`f64x2.${op}`).set(a1);
    b.op('br', 0).op('end').op('end');
    b.get(OUT);
    b.get(a0).get(a1).simd(`f64x2.${op}`).tee(r).lane('f64x2.extract_lane', 0);
    b.get(r).lane('f64x2.extract_lane', 1).op(`f64.${op}`);
    b.op('f32.demote_f64').scalarMem('f32.store');
  }
  lib.add({ params, results: [], body: b, export: 'run' });
  return lib.funcs;
}
