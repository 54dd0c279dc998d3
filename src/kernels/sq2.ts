import { namedExpression } from '../expr/kernel';

/** numexpr's own example, `a**2 + b**2`: two reads and one write per element, memory-bound. */
export const sq2 = namedExpression({
  id: 'sq2',
  title: 'a² + b²',
  summary: 'out = a*a + b*b, elementwise (numexpr’s example); memory-bound: 12 bytes per 3 flops',
  expr: 'a**2 + b**2',
  ranges: {
    a: { dist: 'uniform', lo: -1, hi: 1 },
    b: { dist: 'uniform', lo: -1, hi: 1 },
  },
  defaultSize: 1 << 22,
});
