/**
 * matmul's WebAssembly program, written by hand (through the binary writer) in the GotoBLAS shape:
 * for each k-block of KC rows of B, B's slab is packed into panels of 8 columns (8 floats per k,
 * contiguous), and each block of MC rows of A into panels of 4 rows (4 floats per k); a register
 * micro-kernel then keeps a 4×8 tile of C in eight f32x4 accumulators over the k-block: per k, two
 * vector loads of B, four broadcast loads of A (each into a local, used for both columns) and eight
 * multiply-adds. The micro-kernel loop runs over A's row panels inside each B column panel, so the
 * B panel (KC × 8 floats, 8 KiB) stays in L1 while A's block streams from L2.
 * What V8's x64 code (node --print-wasm-code) showed: a broadcast emitted once per column is loaded
 * twice, and a 5×8 tile (10 accumulators + 2 B + 5 broadcasts V8 hoists ahead of the multiply-adds) does
 * not fit the 15 vector registers V8 allocates, so two accumulators went to the stack and back on every
 * k; the 4×8 tile with one broadcast per row has no spills and runs at 2.3× the 5×8 one (back-to-back runs,
 * 1024²: 43.7 against 18.9 GFLOP/s with relaxed-SIMD FMA; BENCHMARKS.md). KC 128/256/512 were within
 * noise. Edges (n not a multiple of 8, a band not a multiple of 4 rows) are padded with zeros in the
 * panels and written through a small tile buffer. C accumulates in float32 across k-blocks, as the GPU
 * does (the tolerance is the GPU's).
 *
 * Entry point (src/wasm/runtime.ts): run(A, B, C, n, start, end, first, scratch) computes rows
 * [start, end) of C; scratch holds the packed panels and the tile buffer (scratchBytes).
 */
import { Body, EMPTY, I32, moduleBytes, V128 } from '../wasm/encode';
import { IMPORT_FUNCS } from '../wasm/math';
import { perForm, type WasmCode, type WasmForm } from '../wasm/runtime';

/** Rows of B per packed slab (k-block) and rows of A per packed block. */
const KC = 256;
/** A multiple of MR: the packed A block holds exactly MC rows. */
const MC = 60;
const MR = 4;
const NR = 8;

/** Packed B (KC × n rounded up to NR), packed A (MC × KC) and an MR×NR tile, in bytes. */
function scratchBytes(n: number): number {
  return 4 * (KC * Math.ceil(n / NR) * NR + MC * KC + MR * NR) + 64;
}

function emit(form: WasmForm): Uint8Array<ArrayBuffer> {
  const [A, B, C, N, START, END] = [0, 1, 2, 3, 4, 5];
  const SCRATCH = 7;
  const b = new Body(Array(8).fill(I32));
  const L = () => b.local(I32);
  const [k0, kc, i0, mc, ip, jp, k, ap, bp, cp, rows, cols, r, c, panels, bpack, apack, tile, x] = Array.from(
    { length: 19 },
    L,
  );
  const acc = Array.from({ length: MR * 2 }, () => b.local(V128));
  const bv = [b.local(V128), b.local(V128)];
  const av = b.local(V128);

  /** for (v = from; v < to; v += step) body — `to` is re-read each iteration. */
  const forRange = (v: number, from: () => void, to: () => void, step: number, body: () => void) => {
    from();
    b.set(v);
    b.op('block', EMPTY).op('loop', EMPTY);
    b.get(v);
    to();
    b.op('i32.ge_s').op('br_if', 1);
    body();
    b.get(v).i32(step).op('i32.add').set(v);
    b.op('br', 0).op('end').op('end');
  };
  /** min(x, y) of two i32 pushers. */
  const minI = (p: () => void, q: () => void) => {
    p();
    q();
    p();
    q();
    b.op('i32.lt_s').op('select');
  };
  /** acc += a·b, with a and b pushed by the caller (fused where relaxed SIMD is used). */
  const fmadd = (relaxed: boolean, accLocal: number) => {
    // relaxed_madd(a, b, c) = a·b + c with a, b, c pushed in that order
    if (relaxed) b.get(accLocal).simd('f32x4.relaxed_madd');
    else b.simd('f32x4.mul').get(accLocal).simd('f32x4.add');
  };

  // scratch layout: packed B, then packed A, then the tile
  b.get(SCRATCH).set(bpack);
  b.get(N)
    .i32(NR - 1)
    .op('i32.add')
    .i32(3)
    .op('i32.shr_u')
    .set(panels);
  b.get(bpack)
    .get(panels)
    .i32(4 * NR * KC)
    .op('i32.mul')
    .op('i32.add')
    .set(apack);
  b.get(apack)
    .i32(4 * MC * KC)
    .op('i32.add')
    .set(tile);

  forRange(
    k0,
    () => b.i32(0),
    () => b.get(N),
    KC,
    () => {
      minI(
        () => b.i32(KC),
        () => b.get(N).get(k0).op('i32.sub'),
      );
      b.set(kc);
      // Pack B[k0 + k][jp*8 .. jp*8+8) to bpack + (jp*KC*8 + k*8)*4, zero past column n.
      forRange(
        jp,
        () => b.i32(0),
        () => b.get(panels),
        1,
        () => {
          forRange(
            k,
            () => b.i32(0),
            () => b.get(kc),
            1,
            () => {
              // x = address of B[(k0+k)*n + jp*8]; cp = destination
              b.get(B)
                .get(k0)
                .get(k)
                .op('i32.add')
                .get(N)
                .op('i32.mul')
                .get(jp)
                .i32(3)
                .op('i32.shl')
                .op('i32.add');
              b.i32(2).op('i32.shl').op('i32.add').set(x);
              b.get(bpack)
                .get(jp)
                .i32(KC * NR)
                .op('i32.mul')
                .get(k)
                .i32(3)
                .op('i32.shl')
                .op('i32.add');
              b.i32(2).op('i32.shl').op('i32.add').set(cp);
              // full panel: two vector copies; else element by element with zeros
              b.get(jp).i32(3).op('i32.shl').i32(NR).op('i32.add').get(N).op('i32.le_u').op('if', EMPTY);
              b.get(cp).get(x).mem('v128.load', 0, 2).mem('v128.store', 0, 2);
              b.get(cp).get(x).mem('v128.load', 16, 2).mem('v128.store', 16, 2);
              b.op('else');
              forRange(
                c,
                () => b.i32(0),
                () => b.i32(NR),
                1,
                () => {
                  b.get(cp).get(c).i32(2).op('i32.shl').op('i32.add');
                  b.get(jp).i32(3).op('i32.shl').get(c).op('i32.add').get(N).op('i32.lt_u').op('if', 0x7d);
                  b.get(x).get(c).i32(2).op('i32.shl').op('i32.add').scalarMem('f32.load');
                  b.op('else').f32(0).op('end');
                  b.scalarMem('f32.store');
                },
              );
              b.op('end');
            },
          );
        },
      );
      forRange(
        i0,
        () => b.get(START),
        () => b.get(END),
        MC,
        () => {
          minI(
            () => b.i32(MC),
            () => b.get(END).get(i0).op('i32.sub'),
          );
          b.set(mc);
          // Pack A[i0 + ip*4 + r][k0 + k] to apack + (ip*KC*4 + k*4 + r)*4, zero past row `end`.
          forRange(
            ip,
            () => b.i32(0),
            () => b.get(mc),
            MR,
            () => {
              forRange(
                r,
                () => b.i32(0),
                () => b.i32(MR),
                1,
                () => {
                  forRange(
                    k,
                    () => b.i32(0),
                    () => b.get(kc),
                    1,
                    () => {
                      b.get(apack).get(ip).i32(KC).op('i32.mul').get(k).i32(MR).op('i32.mul').op('i32.add');
                      b.get(r).op('i32.add').i32(2).op('i32.shl').op('i32.add');
                      b.get(ip).get(r).op('i32.add').get(mc).op('i32.lt_u').op('if', 0x7d);
                      b.get(A).get(i0).get(ip).op('i32.add').get(r).op('i32.add').get(N).op('i32.mul');
                      b.get(k0).op('i32.add').get(k).op('i32.add').i32(2).op('i32.shl').op('i32.add');
                      b.scalarMem('f32.load');
                      b.op('else').f32(0).op('end');
                      b.scalarMem('f32.store');
                    },
                  );
                },
              );
            },
          );
          // The micro-kernel over every (row panel, column panel).
          forRange(
            jp,
            () => b.i32(0),
            () => b.get(panels),
            1,
            () => {
              forRange(
                ip,
                () => b.i32(0),
                () => b.get(mc),
                MR,
                () => {
                  for (const a of acc) b.f32x4(0).set(a);
                  b.get(apack)
                    .get(ip)
                    .i32(4 * KC)
                    .op('i32.mul')
                    .op('i32.add')
                    .set(ap);
                  b.get(bpack)
                    .get(jp)
                    .i32(4 * KC * NR)
                    .op('i32.mul')
                    .op('i32.add')
                    .set(bp);
                  forRange(
                    k,
                    () => b.i32(0),
                    () => b.get(kc),
                    1,
                    () => {
                      b.get(bp).mem('v128.load', 0, 2).set(bv[0]);
                      b.get(bp).mem('v128.load', 16, 2).set(bv[1]);
                      for (let rr = 0; rr < MR; rr++) {
                        // one broadcast per row, kept in a local: emitted per column, V8 loads it twice
                        // and spills accumulators to make room (seen in its x64 code)
                        b.get(ap)
                          .splat32(4 * rr)
                          .set(av);
                        for (let cc = 0; cc < 2; cc++) {
                          const t = acc[rr * 2 + cc];
                          b.get(av);
                          b.get(bv[cc]);
                          fmadd(form.relaxed, t);
                          b.set(t);
                        }
                      }
                      b.get(ap)
                        .i32(4 * MR)
                        .op('i32.add')
                        .set(ap);
                      b.get(bp)
                        .i32(4 * NR)
                        .op('i32.add')
                        .set(bp);
                    },
                  );
                  // rows = min(MR, mc - ip), cols = min(8, n - jp*8)
                  minI(
                    () => b.i32(MR),
                    () => b.get(mc).get(ip).op('i32.sub'),
                  );
                  b.set(rows);
                  minI(
                    () => b.i32(NR),
                    () => b.get(N).get(jp).i32(3).op('i32.shl').op('i32.sub'),
                  );
                  b.set(cols);
                  // cp = &C[(i0 + ip)*n + jp*8]
                  b.get(C)
                    .get(i0)
                    .get(ip)
                    .op('i32.add')
                    .get(N)
                    .op('i32.mul')
                    .get(jp)
                    .i32(3)
                    .op('i32.shl')
                    .op('i32.add');
                  b.i32(2).op('i32.shl').op('i32.add').set(cp);
                  b.get(rows)
                    .i32(MR)
                    .op('i32.eq')
                    .get(cols)
                    .i32(NR)
                    .op('i32.eq')
                    .op('i32.and')
                    .op('if', EMPTY);
                  for (let rr = 0; rr < MR; rr++) {
                    for (let cc = 0; cc < 2; cc++) {
                      // C[row rr] (+)= acc, at cp + rr*n*4 + cc*16
                      b.get(cp)
                        .get(N)
                        .i32(4 * rr)
                        .op('i32.mul')
                        .op('i32.add')
                        .set(x);
                      b.get(x);
                      b.get(acc[rr * 2 + cc]);
                      b.get(k0).op('i32.eqz').op('if', V128);
                      b.f32x4(0);
                      b.op('else');
                      b.get(x).mem('v128.load', 16 * cc, 2);
                      b.op('end');
                      b.simd('f32x4.add');
                      b.mem('v128.store', 16 * cc, 2);
                    }
                  }
                  b.op('else');
                  for (let t = 0; t < acc.length; t++)
                    b.get(tile)
                      .get(acc[t])
                      .mem('v128.store', 16 * t, 2);
                  forRange(
                    r,
                    () => b.i32(0),
                    () => b.get(rows),
                    1,
                    () => {
                      forRange(
                        c,
                        () => b.i32(0),
                        () => b.get(cols),
                        1,
                        () => {
                          b.get(cp)
                            .get(r)
                            .get(N)
                            .op('i32.mul')
                            .get(c)
                            .op('i32.add')
                            .i32(2)
                            .op('i32.shl')
                            .op('i32.add');
                          b.tee(x);
                          b.get(tile)
                            .get(r)
                            .i32(3)
                            .op('i32.shl')
                            .get(c)
                            .op('i32.add')
                            .i32(2)
                            .op('i32.shl')
                            .op('i32.add');
                          b.scalarMem('f32.load');
                          b.get(k0).op('i32.eqz').op('if', 0x7d);
                          b.f32(0);
                          b.op('else');
                          b.get(x).scalarMem('f32.load');
                          b.op('end');
                          b.op('f32.add');
                          b.scalarMem('f32.store');
                        },
                      );
                    },
                  );
                  b.op('end');
                },
              );
            },
          );
        },
      );
    },
  );
  return moduleBytes({
    shared: form.shared,
    imports: IMPORT_FUNCS,
    funcs: [{ params: b.params, results: [], body: b, export: 'run' }],
  });
}

export const matmulWasm: WasmCode = perForm(emit, scratchBytes);
