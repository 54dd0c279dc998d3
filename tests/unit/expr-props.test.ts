import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCpu } from '../../src/backends/main-thread';
import { ExprError } from '../../src/expr/errors';
import { compileExpression } from '../../src/expr/kernel';
import { parse } from '../../src/expr/parser';
import { exprText, validExpr } from '../shared/expr-arbitraries';

// Property-based tests of the expression compiler (fast-check). Case counts add up to >10,000 per run.

describe('the parser on arbitrary text', () => {
  it('never throws anything but its own ExprError (6,000 cases)', () => {
    fc.assert(
      fc.property(exprText, (src) => {
        try {
          compileExpression(src);
        } catch (e) {
          if (!(e instanceof ExprError))
            throw new Error(`'${src}' threw ${(e as Error).name}: ${(e as Error).message}`);
          expect(e.column).toBeGreaterThanOrEqual(1);
          expect(e.column).toBeLessThanOrEqual(src.length + 1);
        }
      }),
      { numRuns: 6000 },
    );
  });

  it('does work linear in the length of its input (2,000 cases, steps counted, not timed)', () => {
    fc.assert(
      fc.property(exprText, fc.integer({ min: 1, max: 40 }), (src, copies) => {
        const text = Array.from({ length: copies }, () => src).join('+');
        const stats = { steps: 0 };
        try {
          parse(text, stats);
        } catch {
          // errors stop early: still bounded
        }
        expect(stats.steps).toBeLessThanOrEqual(2 * text.length + 2);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('random well-typed expressions', () => {
  it('compile to JavaScript that runs on the main thread (3,000 cases)', () => {
    fc.assert(
      fc.property(validExpr, (src) => {
        const c = compileExpression(src);
        const n = 5;
        const out = runCpu(c.kernel, n, c.kernel.makeInputs(n, 3));
        expect(out.length).toBe(c.program.reduction ? 1 : n);
        expect(c.wgsl).toContain('fn main(');
      }),
      { numRuns: 3000 },
    );
  });
});
