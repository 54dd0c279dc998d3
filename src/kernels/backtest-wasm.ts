/**
 * backtest's WebAssembly program: one pair at a time, four days per vector. With the series' prefix
 * sums Q (whole cents, u32: exact, and differences stay exact when the sum wraps), the windows' sums
 * for the decisions of days t … t+3 are three unaligned loads and two subtractions, with no gathers:
 * sumFast = Q[t..t+3] − Q[t−f..], sumSlow = Q[t..t+3] − Q[t−s..]. "Fast mean above slow mean" is
 * sumFast·s > sumSlow·f in 64-bit lanes (i64x2.extmul, i64x2.gt_s), the same exact test as the other
 * targets. A held day adds its float32 return (the days' returns R are computed once per call) to four
 * lanes of sums and multiplies four lanes of wealth; the finish is in float64.
 *
 * Scratch: Q (days + 1 prefix sums, padded) and R (days returns, R[0] = 0, zeros past the end so a
 * last partial vector holds nothing).
 *
 * Entry point (src/wasm/runtime.ts): run(series, pairs, out, size, start, end, first, scratch).
 */
import { Body, EMPTY, F32, F64, I32, moduleBytes, V128 } from '../wasm/encode';
import { IMPORT_FUNCS } from '../wasm/math';
import { perForm, type WasmForm } from '../wasm/runtime';
import { BT, MAX_DAYS } from './backtest';

/** Q's bytes (MAX_DAYS + 1 sums and 3 past the end), 16-byte aligned: R starts there. (Functions, not
 * constants: backtest.ts imports this module before its own constants exist.) */
const qBytes = () => Math.ceil(((MAX_DAYS + 4) * 4) / 16) * 16;
const scratchBytes = () => qBytes() + (MAX_DAYS + 4) * 4;

function emit(form: WasmForm): Uint8Array<ArrayBuffer> {
  const Q_BYTES = qBytes();
  const [SERIES, PAIRS, OUT, , START, END, , SCR] = [0, 1, 2, 3, 4, 5, 6, 7];
  const b = new Body(Array(8).fill(I32));
  const days = b.local(I32);
  const t = b.local(I32);
  const q = b.local(I32);
  const i = b.local(I32);
  const f = b.local(I32);
  const s = b.local(I32);
  const at = b.local(I32);
  const [sv, fv, qt, wealth, sum, sq, rr, m] = Array.from({ length: 8 }, () => b.local(V128));
  const [ws, ss, n, mean, variance] = Array.from({ length: 5 }, () => b.local(F64));
  const cents = b.local(F32);

  // days = series[0]
  b.get(SERIES).scalarMem('f32.load').op('i32.trunc_f32_u').set(days);
  // Q[0] = 0, R[0] = 0; for t in 0..days: Q[t+1] = Q[t] + p_t, R[t] = (p_t − p_{t−1}) / p_{t−1} (t > 0)
  b.get(SCR).i32(0).scalarMem('i32.store');
  b.get(SCR).f32(0).scalarMem('f32.store', Q_BYTES);
  b.i32(0).set(q);
  b.i32(0).set(t);
  b.op('block', EMPTY).op('loop', EMPTY);
  b.get(t).get(days).op('i32.ge_u').op('br_if', 1);
  // at = series + 4 + 4t: p_t
  b.get(SERIES).get(t).i32(2).op('i32.shl').op('i32.add').set(at);
  b.get(at).scalarMem('f32.load', 4).set(cents);
  b.get(q).get(cents).op('i32.trunc_f32_u').op('i32.add').set(q);
  b.get(SCR).get(t).i32(2).op('i32.shl').op('i32.add').get(q).scalarMem('i32.store', 4);
  b.get(t).op('if', EMPTY);
  b.get(SCR).get(t).i32(2).op('i32.shl').op('i32.add');
  b.get(cents).get(at).scalarMem('f32.load').op('f32.sub'); // exact: whole cents below 2^24
  b.get(at).scalarMem('f32.load').op('f32.div');
  b.scalarMem('f32.store', Q_BYTES);
  b.op('end');
  b.get(t).i32(1).op('i32.add').set(t);
  b.op('br', 0).op('end').op('end');
  // zeros past the end: Q[days+1..days+3] (never held) and R[days..days+3] (hold nothing)
  for (let k = 0; k < 4; k++) {
    if (k < 3)
      b.get(SCR)
        .get(days)
        .i32(2)
        .op('i32.shl')
        .op('i32.add')
        .i32(0)
        .scalarMem('i32.store', 4 + 4 * k);
    b.get(SCR)
      .get(days)
      .i32(2)
      .op('i32.shl')
      .op('i32.add')
      .f32(0)
      .scalarMem('f32.store', Q_BYTES + 4 * k);
  }

  b.get(START).set(i);
  b.op('block', EMPTY).op('loop', EMPTY);
  b.get(i).get(END).op('i32.ge_u').op('br_if', 1);
  // f, s = pairs[2i], pairs[2i+1]
  b.get(PAIRS).get(i).i32(3).op('i32.shl').op('i32.add').tee(at).scalarMem('f32.load');
  b.op('i32.trunc_f32_u').tee(f).simd('i32x4.splat').set(fv);
  b.get(at).scalarMem('f32.load', 4).op('i32.trunc_f32_u').tee(s).simd('i32x4.splat').set(sv);
  b.f32x4(1).set(wealth);
  b.f32x4(0).set(sum);
  b.f32x4(0).set(sq);
  b.get(s).set(t);
  b.op('block', EMPTY).op('loop', EMPTY);
  b.get(t).get(days).op('i32.ge_u').op('br_if', 1);
  // at = &Q[t]; qt = Q[t..t+3]
  b.get(SCR).get(t).i32(2).op('i32.shl').op('i32.add').tee(at).mem('v128.load', 0, 2).set(qt);
  // the decisions at the closes of days t−1 … t+2 (Q[t] sums p_0 … p_{t−1}): sumFast·s > sumSlow·f
  const product = (win: number, weight: number, half: 'low' | 'high') => {
    b.get(qt);
    b.get(at).get(win).i32(2).op('i32.shl').op('i32.sub').mem('v128.load', 0, 2);
    b.simd('i32x4.sub');
    b.get(weight);
    b.simd(half === 'low' ? 'i64x2.extmul_low_i32x4_u' : 'i64x2.extmul_high_i32x4_u');
  };
  for (const half of ['low', 'high'] as const) {
    product(f, sv, half);
    product(s, fv, half);
    b.simd('i64x2.gt_s');
  }
  b.shuffle([0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]).set(m);
  // rr = the held days' returns (0 where flat)
  b.get(m).get(at).mem('v128.load', Q_BYTES, 2).simd('v128.and').set(rr);
  b.get(wealth).get(rr).f32x4(1).simd('f32x4.add').simd('f32x4.mul').set(wealth);
  b.get(sum).get(rr).simd('f32x4.add').set(sum);
  b.get(sq).get(rr).get(rr).simd('f32x4.mul').simd('f32x4.add').set(sq);
  b.get(t).i32(4).op('i32.add').set(t);
  b.op('br', 0).op('end').op('end');

  // the lanes folded in float64: wealth = w0·w1·w2·w3, Σr, Σr²
  const fold = (x: number, op: 'f64.add' | 'f64.mul') => {
    for (let k = 0; k < 4; k++) {
      b.get(x).lane('f32x4.extract_lane', k).op('f64.promote_f32');
      if (k > 0) b.op(op);
    }
  };
  // out[2i] = wealth − 1
  b.get(OUT).get(i).i32(3).op('i32.shl').op('i32.add').set(at);
  b.get(at);
  fold(wealth, 'f64.mul');
  b.f64(1).op('f64.sub').op('f32.demote_f64').scalarMem('f32.store');
  // Sharpe = mean / sd · √252 over n = days − s trading days (0 when the variance is not positive)
  fold(sum, 'f64.add');
  b.set(ws);
  fold(sq, 'f64.add');
  b.set(ss);
  b.get(days).get(s).op('i32.sub').op('f64.convert_i32_u').set(n);
  b.get(ws).get(n).op('f64.div').set(mean);
  b.get(ss).get(ws).get(mean).op('f64.mul').op('f64.sub');
  b.get(n).f64(1).op('f64.sub').op('f64.div').set(variance);
  b.get(at);
  b.get(mean).get(variance).op('f64.sqrt').op('f64.div').f64(Math.sqrt(BT.year)).op('f64.mul');
  b.f64(0);
  b.get(variance).f64(0).op('f64.gt');
  b.op('select');
  b.op('f32.demote_f64').scalarMem('f32.store', 4);
  b.get(i).i32(1).op('i32.add').set(i);
  b.op('br', 0).op('end').op('end');
  return moduleBytes({
    shared: form.shared,
    imports: IMPORT_FUNCS,
    funcs: [{ params: b.params, results: [], body: b, export: 'run' }],
  });
}

export const backtestWasm = perForm(emit, scratchBytes);
