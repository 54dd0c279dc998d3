/**
 * montecarlo's WebAssembly program: four paths per vector, each lane drawing its path's own Philox
 * stream (counter = (path, j, 0, 0), key = (seed, 0)), so it simulates the same paths as the
 * JavaScript and the WGSL. The 32×32→64-bit products are i64x2.extmul of the lanes (WebAssembly has
 * them; WGSL builds them from 16-bit halves); the key schedule is the same for every lane, so each
 * round's key is a constant added to the seed. Box–Muller and the final exp use the vectorised float32
 * library; the payoffs' sums and sums of squares are kept in float64 lanes, and the chunk writes its two
 * sums as the JavaScript program does.
 *
 * Entry point (src/wasm/runtime.ts): run(key, out, paths, start, end, first, scratch).
 */
import { Body, EMPTY, type FuncDef, I32, pooledModule, V128 } from '../wasm/encode';
import { IMPORT_FUNCS, MathLib } from '../wasm/math';
import { perForm, type WasmCode, type WasmForm } from '../wasm/runtime';
import * as v from '../wasm/vec';
import { cf, ci, Fn, type V } from '../wasm/vec';
import { MC } from './montecarlo';

const M0 = 0xd2511f53 | 0;
const M1 = 0xcd9e8d57 | 0;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** The high 32 bits of the lanes' 64-bit products c·x (c a constant). */
const mulhi =
  (c: number, x: V): V =>
  (bb) => {
    x(bb);
    bb.i32x4(c);
    bb.simd('i64x2.extmul_low_i32x4_u');
    x(bb);
    bb.i32x4(c);
    bb.simd('i64x2.extmul_high_i32x4_u');
    bb.shuffle([4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31]);
  };
const imul =
  (c: number, x: V): V =>
  (bb) => {
    x(bb);
    bb.i32x4(c);
    bb.simd('i32x4.mul');
  };
/**
 * Ten Philox rounds on four lanes of counters under per-lane keys (the same arithmetic as philox.ts):
 * the key schedule adds the Weyl constants, the products are i64x2.extmul's.
 */
function philox(fn: Fn, counter: V[], key0: V, key1: V): V[] {
  let [x0, x1, x2, x3] = counter;
  for (let round = 0; round < 10; round++) {
    const k0 = fn.let(v.iadd(key0, ci((W0 * round) | 0)));
    const k1 = fn.let(v.iadd(key1, ci((W1 * round) | 0)));
    const hi0 = fn.let(mulhi(M0, x0));
    const lo0 = fn.let(imul(M0, x0));
    const hi1 = fn.let(mulhi(M1, x2));
    const lo1 = fn.let(imul(M1, x2));
    const n0 = fn.let(v.xor(v.xor(hi1, x1), k0));
    const n2 = fn.let(v.xor(v.xor(hi0, x3), k1));
    x0 = n0;
    x1 = lo1;
    x2 = n2;
    x3 = lo0;
  }
  return [x0, x1, x2, x3];
}

/**
 * A second export for the known-answer test: philox(at) reads six i32x4 vectors at `at` (counter words
 * 0–3, key words 0–1; lane k is the k-th test vector) and writes the four output words after them.
 */
function philoxExport(): FuncDef {
  const b = new Body([I32]);
  const fn = new Fn(0, false, { body: b, args: [] });
  const load =
    (k: number): V =>
    (bb) =>
      bb.get(0).mem('v128.load', 16 * k, 2);
  const out = philox(
    fn,
    [0, 1, 2, 3].map((k) => fn.let(load(k))),
    fn.let(load(4)),
    fn.let(load(5)),
  );
  out.forEach((w, k) => {
    b.get(0);
    w(b);
    b.mem('v128.store', 96 + 16 * k, 2);
  });
  return { params: [I32], results: [], body: b, export: 'philox' };
}

function emit(form: WasmForm): Uint8Array<ArrayBuffer> {
  return pooledModule(form.shared, IMPORT_FUNCS, () => emitFuncs(form));
}

function emitFuncs(form: WasmForm): readonly FuncDef[] {
  const [KEY, OUT, , START, END, FIRST] = [0, 1, 2, 3, 4, 5];
  const b = new Body(Array(7).fill(I32));
  const lib = new MathLib(form.relaxed, true);
  const fn = new Fn(0, form.relaxed, { body: b, args: [] });
  const seed = b.local(I32);
  const p = b.local(I32);
  const j = b.local(I32);
  const [seedv, path, w, s0, s1, q0, q1, pay] = Array.from({ length: 8 }, () => b.local(V128));
  const get =
    (l: number): V =>
    (bb) =>
      bb.get(l);

  // seed = key[0] | key[1] << 16 (two exact 16-bit halves in float32)
  b.get(KEY).scalarMem('f32.load').op('i32.trunc_f32_u');
  b.get(KEY).scalarMem('f32.load', 4).op('i32.trunc_f32_u').i32(16).op('i32.shl');
  b.op('i32.or').set(seed);
  b.get(seed).simd('i32x4.splat').set(seedv);
  for (const acc of [s0, s1, q0, q1]) b.f64x2(0).set(acc);

  /** ((x >>> 8) + 0.5)·2^-24: a uniform in (0, 1) from the top 24 bits, as every backend makes it. */
  const u01 = (x: V): V =>
    v.mul(
      v.add(
        v.toFloat((bb) => {
          x(bb);
          bb.i32(8);
          bb.simd('i32x4.shr_u');
        }),
        cf(0.5),
      ),
      cf(2 ** -24),
    );

  b.get(START).set(p);
  b.op('block', EMPTY).op('loop', EMPTY);
  b.get(p).get(END).op('i32.ge_u').op('br_if', 1);
  // the four paths' own numbers: first + p + lane
  b.get(FIRST).get(p).op('i32.add').simd('i32x4.splat').i32x4(0, 1, 2, 3).simd('i32x4.add').set(path);
  b.f32x4(0).set(w);
  b.i32(0).set(j);
  b.op('loop', EMPTY);
  {
    // Philox4x32-10 of counter (path, j, 0, 0) under key (seed, 0)
    const words = philox(
      fn,
      [get(path), fn.let((bb) => bb.get(j).simd('i32x4.splat')), ci(0), ci(0)],
      get(seedv),
      ci(0),
    );
    for (let h = 0; h < 4; h += 2) {
      const r = fn.let(v.sqrt(v.mul(cf(-2), lib.call('log', u01(words[h])))));
      const theta = fn.let(v.mul(cf(2 * Math.PI), v.sub(u01(words[h + 1]), cf(0.5))));
      const nr = fn.let(v.neg(r));
      const t = v.add(v.mul(nr, lib.call('cos', theta)), v.mul(nr, lib.call('sin', theta)));
      v.add(get(w), t)(b);
      b.set(w);
    }
  }
  b.get(j)
    .i32(1)
    .op('i32.add')
    .tee(j)
    .i32(MC.steps / 4)
    .op('i32.lt_u')
    .op('br_if', 0);
  b.op('end');
  // payoff max(S_T - K, 0), S_T = S0·exp((r - σ²/2)T + σ√dt·w); lanes past the end count 0
  const dt = MC.t / MC.steps;
  const st = v.mul(
    cf(MC.s0),
    lib.call(
      'exp',
      fn.madd(cf(MC.sigma * Math.sqrt(dt)), get(w), cf((MC.r - 0.5 * MC.sigma * MC.sigma) * MC.t)),
    ),
  );
  v.clampLo(v.sub(st, cf(MC.k)), 0)(b);
  b.get(END).get(p).op('i32.sub').simd('i32x4.splat').i32x4(0, 1, 2, 3).simd('i32x4.gt_s');
  b.simd('v128.and').set(pay);
  const fold = (lo: number, hi: number, x: V) => {
    b.get(lo);
    x(b);
    b.simd('f64x2.promote_low_f32x4').simd('f64x2.add').set(lo);
    b.get(hi);
    x(b);
    x(b);
    b.shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]);
    b.simd('f64x2.promote_low_f32x4').simd('f64x2.add').set(hi);
  };
  fold(s0, s1, get(pay));
  const sq = fn.let(v.mul(get(pay), get(pay)));
  fold(q0, q1, sq);
  b.get(p).i32(4).op('i32.add').set(p);
  b.op('br', 0).op('end').op('end');
  // out[0] = Σ payoff, out[1] = Σ payoff² (float32, as the JavaScript program stores them)
  const total = b.local(V128);
  b.get(OUT).get(s0).get(s1).simd('f64x2.add').tee(total).lane('f64x2.extract_lane', 0);
  b.get(total).lane('f64x2.extract_lane', 1).op('f64.add').op('f32.demote_f64').scalarMem('f32.store');
  b.get(OUT).get(q0).get(q1).simd('f64x2.add').tee(total).lane('f64x2.extract_lane', 0);
  b.get(total).lane('f64x2.extract_lane', 1).op('f64.add').op('f32.demote_f64').scalarMem('f32.store', 4);
  lib.add({ params: b.params, results: [], body: b, export: 'run' });
  lib.add(philoxExport());
  return lib.funcs;
}

export const montecarloWasm: WasmCode = perForm(emit);
