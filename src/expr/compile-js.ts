/**
 * Helpers of the JavaScript tier (the pairwise cascade, NumPy's `%` and `**`), and `compileJs`, which
 * turns the JavaScript emit-js.ts prints into a function. The app no longer calls it: expressions run
 * through the block interpreter (interp.ts), which needs no 'unsafe-eval'. Tests use it as an oracle
 * (the interpreter must agree with the element loop `--print js` shows, bit for bit).
 */
import type { CpuProgram } from '../kernels/types';
import { floorMod, numpyPow } from './reference';

/**
 * Pairwise folding of leaf results: a binary counter of partials, so the tree has depth log2(leaves).
 * The stack lives in two typed arrays (no allocation per leaf: a sum of 2^28 elements pushes 2^21 leaves).
 */
export class Cascade {
  private readonly values = new Float64Array(64);
  private readonly levels = new Int32Array(64);
  private top = 0;
  constructor(private readonly op: 'sum' | 'prod' | 'min' | 'max') {}

  private combine(a: number, b: number): number {
    switch (this.op) {
      case 'sum':
        return a + b;
      case 'prod':
        return a * b;
      case 'min':
        return Math.min(a, b);
      case 'max':
        return Math.max(a, b);
    }
  }

  push(value: number): void {
    let v = value;
    let level = 0;
    while (this.top > 0 && this.levels[this.top - 1] === level) {
      this.top--;
      v = this.combine(this.values[this.top], v);
      level++;
    }
    this.values[this.top] = v;
    this.levels[this.top] = level;
    this.top++;
  }

  /** The fold of everything pushed, rounded to float32 (the identity when nothing was pushed). */
  result(): number {
    let acc: number | null = null;
    for (let k = this.top - 1; k >= 0; k--) {
      acc = acc === null ? this.values[k] : this.combine(this.values[k], acc);
    }
    const id = { sum: 0, prod: 1, min: Infinity, max: -Infinity }[this.op];
    return Math.fround(acc ?? id);
  }
}

export const HELPERS = {
  mod: (a: number, b: number): number => Math.fround(floorMod(a, b)),
  pow: (x: number, y: number): number => Math.fround(numpyPow(x, y)),
  Cascade,
};

export type CpuFunction = CpuProgram['run'];

export function compileJs(source: string): CpuFunction {
  const make = new Function('H', source) as (h: typeof HELPERS) => CpuFunction;
  return make(HELPERS);
}
