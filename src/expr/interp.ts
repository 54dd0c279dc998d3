/**
 * The JavaScript tier without generated code: numexpr's own design, a block interpreter. The typed
 * program runs over blocks of BLOCK elements; each step is one call of an ordinary loop over the block
 * (add, sin, where, ...), with every result rounded to float32, exactly as the generated JavaScript did
 * element by element, so results are bit-identical to it. Nothing is evaluated: the page needs no
 * 'unsafe-eval' in its Content-Security-Policy.
 */
import type { CpuProgram } from '../kernels/types';
import { Cascade, HELPERS } from './compile-js';
import { FUNCTIONS } from './functions';
import type { Program } from './ir';
import { powiPlan } from './powi';

/** Elements per block: the registers of a program of 100 steps stay within a few hundred KiB. */
export const BLOCK = 1024;
const f = Math.fround;

/** An operand: an array and the offset of this block's first element in it. */
interface Operand {
  arr: Float32Array;
  /** Inputs are read in place (offset = block start); registers and constants at 0. */
  input: boolean;
}

type Loop2 = (o: Float32Array, a: Float32Array, ao: number, b: Float32Array, bo: number, n: number) => void;
type Loop1 = (o: Float32Array, a: Float32Array, ao: number, n: number) => void;

const add: Loop2 = (o, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[i] = f(a[ao + i] + b[bo + i]);
};
const sub: Loop2 = (o, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[i] = f(a[ao + i] - b[bo + i]);
};
const mul: Loop2 = (o, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[i] = f(a[ao + i] * b[bo + i]);
};
const div: Loop2 = (o, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[i] = f(a[ao + i] / b[bo + i]);
};
const map2 =
  (g: (x: number, y: number) => number): Loop2 =>
  (o, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[i] = f(g(a[ao + i], b[bo + i]));
  };
const map1 =
  (g: (x: number) => number): Loop1 =>
  (o, a, ao, n) => {
    for (let i = 0; i < n; i++) o[i] = f(g(a[ao + i]));
  };
const CMP: Record<string, Loop2> = {
  '==': (o, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[i] = a[ao + i] === b[bo + i] ? 1 : 0;
  },
  '!=': (o, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[i] = a[ao + i] !== b[bo + i] ? 1 : 0;
  },
  '<': (o, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[i] = a[ao + i] < b[bo + i] ? 1 : 0;
  },
  '>': (o, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[i] = a[ao + i] > b[bo + i] ? 1 : 0;
  },
  '<=': (o, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[i] = a[ao + i] <= b[bo + i] ? 1 : 0;
  },
  '>=': (o, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[i] = a[ao + i] >= b[bo + i] ? 1 : 0;
  },
};
const and: Loop2 = (o, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[i] = a[ao + i] !== 0 && b[bo + i] !== 0 ? 1 : 0;
};
const or: Loop2 = (o, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[i] = a[ao + i] !== 0 || b[bo + i] !== 0 ? 1 : 0;
};
const neg: Loop1 = (o, a, ao, n) => {
  for (let i = 0; i < n; i++) o[i] = -a[ao + i];
};
const not: Loop1 = (o, a, ao, n) => {
  for (let i = 0; i < n; i++) o[i] = a[ao + i] === 0 ? 1 : 0;
};
const copy: Loop1 = (o, a, ao, n) => {
  for (let i = 0; i < n; i++) o[i] = a[ao + i];
};
const where = (
  o: Float32Array,
  c: Float32Array,
  co: number,
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  n: number,
) => {
  for (let i = 0; i < n; i++) o[i] = c[co + i] !== 0 ? a[ao + i] : b[bo + i];
};
const LOOP1 = new Map([...FUNCTIONS.values()].filter((d) => d.arity === 1).map((d) => [d.name, map1(d.f64)]));
const LOOP2 = new Map([...FUNCTIONS.values()].filter((d) => d.arity === 2).map((d) => [d.name, map2(d.f64)]));
const MOD = map2(HELPERS.mod);
const POW = map2(HELPERS.pow);

/** The program as a list of block steps over registers; returns the CpuProgram's run function. */
export function interpret(p: Program): CpuProgram['run'] {
  const regs: Operand[] = [];
  type Step = (inputs: readonly Float32Array[], at: number, n: number) => void;
  const steps: Step[] = [];
  const reg = () => ({ arr: new Float32Array(BLOCK), input: false });
  const off = (o: Operand, at: number) => (o.input ? at : 0);
  for (const s of p.ins) {
    if (s.op === 'const') {
      regs.push({ arr: new Float32Array(BLOCK).fill(f(s.value)), input: false });
      continue;
    }
    if (s.op === 'var') {
      // read in place: the operand's array is looked up per block (inputs differ between calls)
      const k = s.index;
      const o: Operand = { arr: new Float32Array(0), input: true };
      steps.push((inputs) => {
        o.arr = inputs[k];
      });
      regs.push(o);
      continue;
    }
    const out = reg();
    const r = out.arr;
    const A = 'a' in s ? regs[s.a] : null;
    const B = 'b' in s ? regs[s.b] : null;
    const bin =
      (loop: Loop2): Step =>
      (_in, at, n) =>
        loop(r, A!.arr, off(A!, at), B!.arr, off(B!, at), n);
    const un =
      (loop: Loop1): Step =>
      (_in, at, n) =>
        loop(r, A!.arr, off(A!, at), n);
    switch (s.op) {
      case 'add':
        steps.push(bin(add));
        break;
      case 'sub':
        steps.push(bin(sub));
        break;
      case 'mul':
        steps.push(bin(mul));
        break;
      case 'div':
        steps.push(bin(div));
        break;
      case 'mod':
        steps.push(bin(MOD));
        break;
      case 'pow':
        steps.push(bin(POW));
        break;
      case 'and':
        steps.push(bin(and));
        break;
      case 'or':
        steps.push(bin(or));
        break;
      case 'cmp':
        steps.push(bin(CMP[s.cmp]));
        break;
      case 'neg':
        steps.push(un(neg));
        break;
      case 'not':
        steps.push(un(not));
        break;
      case 'tonum':
        steps.push(un(copy));
        break;
      case 'where': {
        const C = regs[s.c];
        steps.push((_in, at, n) => where(r, C.arr, off(C, at), A!.arr, off(A!, at), B!.arr, off(B!, at), n));
        break;
      }
      case 'powi': {
        if (s.n === 0) {
          r.fill(1);
          break;
        }
        // the same products in the same order as the generated code (powiPlan), in scratch registers
        const names: Operand[] = [A!];
        for (const [x, y] of powiPlan(s.n)) {
          const t = reg();
          const X = names[x];
          const Y = names[y];
          steps.push((_in, at, n) => mul(t.arr, X.arr, off(X, at), Y.arr, off(Y, at), n));
          names.push(t);
        }
        const last = names[names.length - 1];
        if (s.n < 0) {
          const one = new Float32Array(BLOCK).fill(1);
          steps.push((_in, at, n) => div(r, one, 0, last.arr, off(last, at), n));
        } else steps.push((_in, at, n) => copy(r, last.arr, off(last, at), n));
        break;
      }
      case 'call': {
        const [a, b] = s.args.map((x) => regs[x]);
        if (b) {
          const loop = LOOP2.get(s.fn)!;
          steps.push((_in, at, n) => loop(r, a.arr, off(a, at), b.arr, off(b, at), n));
        } else {
          const loop = LOOP1.get(s.fn)!;
          steps.push((_in, at, n) => loop(r, a.arr, off(a, at), n));
        }
        break;
      }
    }
    regs.push(out);
  }
  const result = regs[p.result];
  const runSteps = (inputs: readonly Float32Array[], at: number, n: number) => {
    for (const st of steps) st(inputs, at, n);
  };

  if (!p.reduction) {
    return (inputs, out, _size, start, end) => {
      for (let at = start; at < end; at += BLOCK) {
        const n = Math.min(BLOCK, end - at);
        runSteps(inputs, at, n);
        const src = result.arr;
        const so = off(result, at);
        for (let i = 0; i < n; i++) out[at + i] = src[so + i];
      }
    };
  }
  const op = p.reduction;
  const identity = { sum: 0, prod: 1, min: Infinity, max: -Infinity }[op];
  // Leaves of 128 elements folded in float64, then pairwise: the generated code's order exactly.
  return (inputs, out, _size, start, end) => {
    const cascade = new Cascade(op);
    for (let at = start; at < end; at += BLOCK) {
      const n = Math.min(BLOCK, end - at);
      runSteps(inputs, at, n);
      const src = result.arr;
      const so = off(result, at);
      for (let b = 0; b < n; b += 128) {
        const e = Math.min(n, b + 128);
        let acc = identity;
        if (op === 'sum') for (let i = b; i < e; i++) acc += src[so + i];
        else if (op === 'prod') for (let i = b; i < e; i++) acc *= src[so + i];
        else if (op === 'min') for (let i = b; i < e; i++) acc = Math.min(acc, src[so + i]);
        else for (let i = b; i < e; i++) acc = Math.max(acc, src[so + i]);
        cascade.push(acc);
      }
    }
    out[0] = cascade.result();
  };
}
