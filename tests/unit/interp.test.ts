/**
 * The block interpreter (the JavaScript tier without generated code) against the element loop that
 * `--print js` shows, compiled with new Function here only: bit for bit, for every expression case, at
 * sizes around the block and leaf lengths, from offsets that are not block-aligned.
 */
import { describe, expect, it } from 'vitest';
import { compileJs } from '../../src/expr/compile-js';
import { emitJs } from '../../src/expr/emit-js';
import { BLOCK, interpret } from '../../src/expr/interp';
import { compileExpression, parseRanges } from '../../src/expr/kernel';
import { EXPR_CASES } from '../shared/expr-cases';

const SIZES = [1, 5, 127, 128, BLOCK - 1, BLOCK + 1, 3 * BLOCK + 200];

describe.each(EXPR_CASES.map(([e, r]) => [e, r ?? ''] as const))('%s %s', (expr, ranges) => {
  it('interprets bit-identically to the generated element loop', () => {
    const { program, kernel } = compileExpression(expr, parseRanges(ranges));
    const oracle = compileJs(emitJs(program));
    const run = interpret(program);
    for (const size of SIZES) {
      const inputs = kernel.makeInputs(size, 5);
      const width = program.reduction ? 1 : size;
      for (const [start, end] of [
        [0, size],
        [Math.min(size, 64), size],
      ]) {
        const want = new Float32Array(width);
        const got = new Float32Array(width);
        oracle(inputs, want, size, start, end);
        run(inputs, got, size, start, end);
        expect(got, `size ${size}, items ${start}..${end}`).toEqual(want);
      }
    }
  });
});
