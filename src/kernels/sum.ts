import { namedExpression } from '../expr/kernel';

/**
 * One float32 total of `size` values in [0, 1). Every backend sums pairwise (a tree), so the error grows
 * with log2(size), not size: CPU leaves of 128 in float64, GPU workgroup trees in float32.
 */
export const sum = namedExpression({
  id: 'sum',
  title: 'sum',
  summary: 'one float32 total of all values, pairwise (tree) on every backend; memory-bound reduction',
  expr: 'sum(x)',
  ranges: { x: { dist: 'uniform', lo: 0, hi: 1 } },
  defaultSize: 1 << 22,
  work: (size) => ({ flops: size, bytes: 4 * size + 4 }),
});
