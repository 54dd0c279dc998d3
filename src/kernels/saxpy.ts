import { namedExpression } from '../expr/kernel';

export const SAXPY_ALPHA = 2.5;

/** BLAS level 1: out = alpha*x + y. */
export const saxpy = namedExpression({
  id: 'saxpy',
  title: 'saxpy',
  summary: `out = ${SAXPY_ALPHA}*x + y, elementwise (BLAS level 1); memory-bound: 12 bytes per 2 flops`,
  expr: `${SAXPY_ALPHA}*x + y`,
  ranges: {
    x: { dist: 'uniform', lo: -1, hi: 1 },
    y: { dist: 'uniform', lo: -1, hi: 1 },
  },
  defaultSize: 1 << 22,
});
