/**
 * Vectorised float32 math for the compiled tier: every function of the expression language as a
 * WebAssembly function (v128 -> v128), four lanes at a time, in float32 throughout.
 *
 * The algorithms are the classic Cephes single-precision ones (Moshier): Cody–Waite range reduction
 * with constants split so the products are exact, then short minimax polynomials; the others are built
 * from exp, expm1, log and log1p with care for cancellation. Where a reduction loses accuracy (sin, cos
 * and tan beyond |x| = 8192, where Payne–Hanek would be needed) or the rules are intricate (`**`,
 * `%`), the lanes concerned take a slow path: the module imports JavaScript's float64 function and
 * rounds its result to float32, which is what the JavaScript tier computes. Special values (NaN, ±Inf,
 * ±0, subnormals) follow NumPy's float32 semantics; tests/unit/wasm-math.test.ts measures every
 * function against float64 over dense samples and prints the table the README quotes.
 */
import type { FuncDef } from './encode';
import { DEFS } from './math-functions';
import { IMPORT_FUNCS } from './math-imports';
import { Fn, type V } from './vec';

export { IMPORT_FUNCS, importObject, SCALAR_IMPORTS } from './math-imports';

/** The functions of one module, defined on first use; indices follow the imports. */
export class MathLib {
  readonly funcs: FuncDef[] = [];
  private readonly index = new Map<string, number>();

  /**
   * `inline`: calls emit the function's code in place (arguments in fresh locals) instead of a call,
   * which lets the engine schedule a whole expression's math together (measured: sin and exp ~25%
   * faster in V8 than through calls).
   */
  constructor(
    readonly relaxed: boolean,
    readonly inline = false,
  ) {}

  /** Index of the named function (arity 1 or 2, v128 lanes), defining it and what it calls. */
  fn(name: string): number {
    const known = this.index.get(name);
    if (known !== undefined) return known;
    const def = DEFS[name];
    if (!def) throw new Error(`no WebAssembly function '${name}'`);
    const fn = new Fn(def.arity, this.relaxed);
    const result = def.build(fn, this);
    result(fn.body);
    const i = IMPORT_FUNCS.length + this.funcs.length;
    this.funcs.push({ params: fn.body.params, results: [0x7b], body: fn.body });
    this.index.set(name, i);
    return i;
  }

  /** A call of the named function on v128 arguments (or its code in place, when inlining). */
  call(name: string, ...args: V[]): V {
    const def = DEFS[name];
    if (this.inline && def && !name.startsWith('slow.') && name !== 'pow' && name !== 'mod') {
      return (b) => {
        const locals = args.map((a) => {
          const l = b.local(0x7b);
          a(b);
          b.set(l);
          return l;
        });
        def.build(new Fn(def.arity, this.relaxed, { body: b, args: locals }), this)(b);
      };
    }
    return (b) => {
      for (const a of args) a(b);
      b.call(this.fn(name));
    };
  }

  /** Adds a function defined elsewhere (the kernel's exported entry point); returns its index. */
  add(def: FuncDef): number {
    this.funcs.push(def);
    return IMPORT_FUNCS.length + this.funcs.length - 1;
  }
}
