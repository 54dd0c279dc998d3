import fc from 'fast-check';
import { FUNCTIONS } from '../../src/expr/functions';

/** Random text over the characters expressions are made of, plus some they must reject. */
export const exprText = fc.string({
  unit: fc.constantFrom(
    ...'ab c1.2e+-*/%()<>=!&|~,_xyz9E\t;[]\'"`$\\{}'.split(''),
    'sin',
    'where',
    '**',
    'sum',
    '__',
    'constructor',
  ),
  maxLength: 60,
});

const NAMES = ['a', 'b', 'c', 'x1', 'long_name'];
const FN1 = [...FUNCTIONS.values()].filter((f) => f.arity === 1).map((f) => f.name);
const FN2 = [...FUNCTIONS.values()].filter((f) => f.arity === 2).map((f) => f.name);

/** Well-typed expressions (numbers and conditions) as source text, built like a random AST. */
export const validExpr = fc
  .letrec<{ num: string; bool: string }>((tie) => ({
    num: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...NAMES),
      fc.constantFrom('2', '0.5', '1e-3', '3.25E2', '.5', '7.'),
      fc
        .tuple(tie('num'), fc.constantFrom('+', '-', '*', '/', '%', '**'), tie('num'))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie('num').map((a) => `-${a}`),
      fc.tuple(tie('num'), fc.integer({ min: -5, max: 5 })).map(([a, n]) => `(${a})**${n}`),
      fc.tuple(fc.constantFrom(...FN1), tie('num')).map(([f, a]) => `${f}(${a})`),
      fc.tuple(fc.constantFrom(...FN2), tie('num'), tie('num')).map(([f, a, b]) => `${f}(${a}, ${b})`),
      fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]) => `where(${c}, ${a}, ${b})`),
    ),
    bool: fc.oneof(
      { depthSize: 'small' },
      fc
        .tuple(tie('num'), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('num'))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(tie('bool'), fc.constantFrom('&', '|'), tie('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie('bool').map((b) => `~${b}`),
    ),
  }))
  .num.chain((body) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(`${body} + a`) },
      { weight: 1, arbitrary: fc.constantFrom('sum', 'prod', 'min', 'max').map((r) => `${r}(${body} + a)`) },
    ),
  );
