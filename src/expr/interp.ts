/**
 * The JavaScript tier without generated code: numexpr's own design, a block interpreter. The typed
 * program runs over blocks of BLOCK elements; each step is one call of an ordinary loop over the block
 * (add, sin, where, ...), with every result rounded to float32, exactly as the generated JavaScript did
 * element by element, so results are bit-identical to it. Nothing is evaluated: the page needs no
 * 'unsafe-eval' in its Content-Security-Policy.
 */
import type { CpuProgram } from '../kernels/types';
import { Cascade, HELPERS } from './compile-js';
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

/** o[oo + i] for i < n from a[ao + i] (and b[bo + i]): one loop over a block. */
type Loop2 = (
  o: Float32Array,
  oo: number,
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  n: number,
) => void;
type Loop1 = (o: Float32Array, oo: number, a: Float32Array, ao: number, n: number) => void;

// Every loop is its own function literal, so each call inside it (Math.sin, ...) has one target and is
// inlined: loops made by one factory would share their call-site feedback and call megamorphically.
const add: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = f(a[ao + i] + b[bo + i]);
};
const sub: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = f(a[ao + i] - b[bo + i]);
};
const mul: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = f(a[ao + i] * b[bo + i]);
};
const div: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = f(a[ao + i] / b[bo + i]);
};
const mod: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = f(HELPERS.mod(a[ao + i], b[bo + i]));
};
const pow: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = f(HELPERS.pow(a[ao + i], b[bo + i]));
};
const and: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== 0 && b[bo + i] !== 0 ? 1 : 0;
};
const or: Loop2 = (o, oo, a, ao, b, bo, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== 0 || b[bo + i] !== 0 ? 1 : 0;
};
const neg: Loop1 = (o, oo, a, ao, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = -a[ao + i];
};
const not: Loop1 = (o, oo, a, ao, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === 0 ? 1 : 0;
};
const copy: Loop1 = (o, oo, a, ao, n) => {
  for (let i = 0; i < n; i++) o[oo + i] = a[ao + i];
};
const CMP: Record<string, Loop2> = {
  '==': (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === b[bo + i] ? 1 : 0;
  },
  '!=': (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== b[bo + i] ? 1 : 0;
  },
  '<': (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1 : 0;
  },
  '>': (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1 : 0;
  },
  '<=': (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1 : 0;
  },
  '>=': (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1 : 0;
  },
};
const where = (
  o: Float32Array,
  oo: number,
  c: Float32Array,
  co: number,
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  n: number,
) => {
  for (let i = 0; i < n; i++) o[oo + i] = c[co + i] !== 0 ? a[ao + i] : b[bo + i];
};
/** The function table's loops: JavaScript's float64 Math, rounded to float32, as the generated code had it. */
const LOOP1: Record<string, Loop1> = {
  sin: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.sin(a[ao + i]));
  },
  cos: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.cos(a[ao + i]));
  },
  tan: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.tan(a[ao + i]));
  },
  arcsin: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.asin(a[ao + i]));
  },
  arccos: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.acos(a[ao + i]));
  },
  arctan: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.atan(a[ao + i]));
  },
  sinh: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.sinh(a[ao + i]));
  },
  cosh: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.cosh(a[ao + i]));
  },
  tanh: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.tanh(a[ao + i]));
  },
  arcsinh: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.asinh(a[ao + i]));
  },
  arccosh: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.acosh(a[ao + i]));
  },
  arctanh: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.atanh(a[ao + i]));
  },
  exp: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.exp(a[ao + i]));
  },
  expm1: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.expm1(a[ao + i]));
  },
  log: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.log(a[ao + i]));
  },
  log10: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.log10(a[ao + i]));
  },
  log1p: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.log1p(a[ao + i]));
  },
  sqrt: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.sqrt(a[ao + i]));
  },
  abs: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.abs(a[ao + i]));
  },
  floor: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.floor(a[ao + i]));
  },
  ceil: (o, oo, a, ao, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.ceil(a[ao + i]));
  },
};
const LOOP2: Record<string, Loop2> = {
  arctan2: (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.atan2(a[ao + i], b[bo + i]));
  },
  minimum: (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.min(a[ao + i], b[bo + i]));
  },
  maximum: (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = f(Math.max(a[ao + i], b[bo + i]));
  },
};

/** The program as a list of block steps over registers; returns the CpuProgram's run function. */
export function interpret(p: Program): CpuProgram['run'] {
  type Step = (inputs: readonly Float32Array[], at: number, n: number) => void;
  const regs: Operand[] = [];
  const steps: Step[] = [];
  const reg = (): Operand => ({ arr: new Float32Array(BLOCK), input: false });
  const off = (o: Operand, at: number) => (o.input ? at : 0);
  // An elementwise program's last step writes straight into the output (no copy pass): its operand is
  // pointed at `out` on each call.
  const last = p.ins.length - 1;
  const direct = !p.reduction && p.result === last && p.ins[last].op !== 'const' && p.ins[last].op !== 'var';
  const output: Operand = { arr: new Float32Array(0), input: true };
  p.ins.forEach((s, k) => {
    if (s.op === 'const') {
      regs.push({ arr: new Float32Array(BLOCK).fill(f(s.value)), input: false });
      return;
    }
    if (s.op === 'var') {
      // read in place: the operand's array is set per call (inputs differ between calls)
      const v = s.index;
      const o: Operand = { arr: new Float32Array(0), input: true };
      steps.push((inputs) => {
        o.arr = inputs[v];
      });
      regs.push(o);
      return;
    }
    const D = direct && k === last ? output : reg();
    const A = 'a' in s ? regs[s.a] : null;
    const B = 'b' in s ? regs[s.b] : null;
    const bin =
      (loop: Loop2): Step =>
      (_in, at, n) =>
        loop(D.arr, off(D, at), A!.arr, off(A!, at), B!.arr, off(B!, at), n);
    const un =
      (loop: Loop1, X: Operand): Step =>
      (_in, at, n) =>
        loop(D.arr, off(D, at), X.arr, off(X, at), n);
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
        steps.push(bin(mod));
        break;
      case 'pow':
        steps.push(bin(pow));
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
        steps.push(un(neg, A!));
        break;
      case 'not':
        steps.push(un(not, A!));
        break;
      case 'tonum':
        steps.push(un(copy, A!));
        break;
      case 'where': {
        const C = regs[s.c];
        steps.push((_in, at, n) =>
          where(D.arr, off(D, at), C.arr, off(C, at), A!.arr, off(A!, at), B!.arr, off(B!, at), n),
        );
        break;
      }
      case 'powi': {
        if (s.n === 0) {
          const one = new Float32Array(BLOCK).fill(1);
          steps.push(un(copy, { arr: one, input: false }));
          break;
        }
        // the same products in the same order as the generated code (powiPlan); the last one lands in D
        const plan = powiPlan(s.n);
        const names: Operand[] = [A!];
        plan.forEach(([x, y], j) => {
          const t = j === plan.length - 1 && s.n > 0 ? D : reg();
          const X = names[x];
          const Y = names[y];
          steps.push((_in, at, n) => mul(t.arr, off(t, at), X.arr, off(X, at), Y.arr, off(Y, at), n));
          names.push(t);
        });
        const top = names[names.length - 1];
        if (s.n < 0) {
          const one: Operand = { arr: new Float32Array(BLOCK).fill(1), input: false };
          steps.push((_in, at, n) => div(D.arr, off(D, at), one.arr, 0, top.arr, off(top, at), n));
        } else if (!plan.length) steps.push(un(copy, A!)); // x**1
        break;
      }
      case 'call': {
        const [a, b] = s.args.map((x) => regs[x]);
        if (b) {
          const loop = LOOP2[s.fn];
          steps.push((_in, at, n) => loop(D.arr, off(D, at), a.arr, off(a, at), b.arr, off(b, at), n));
        } else steps.push(un(LOOP1[s.fn], a));
        break;
      }
    }
    regs.push(D);
  });
  const result = regs[p.result];
  const runSteps = (inputs: readonly Float32Array[], at: number, n: number) => {
    for (const st of steps) st(inputs, at, n);
  };

  if (!p.reduction) {
    return (inputs, out, _size, start, end) => {
      output.arr = out;
      for (let at = start; at < end; at += BLOCK) {
        const n = Math.min(BLOCK, end - at);
        runSteps(inputs, at, n);
        if (!direct) copy(out, at, result.arr, off(result, at), n);
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
