import { InputError } from '../errors';

/**
 * Every error the expression compiler reports: a message from the catalogue below and the 1-based
 * column it points at. `message` ends with "at column N" so it reads well on its own (CLI, records).
 */
export class ExprError extends InputError {
  override name = 'ExprError';
  constructor(
    readonly problem: string,
    readonly column: number,
    readonly hint = '',
  ) {
    super(`${problem} at column ${column}${hint ? `: ${hint}` : ''}`);
  }
}

/** The catalogue: one constructor per kind of mistake, so messages stay consistent and testable. */
export const E = {
  char: (c: string, col: number) =>
    new ExprError(
      `unexpected character '${c}'`,
      col,
      c === "'" || c === '"' ? 'expressions have no strings' : '',
    ),
  number: (text: string, col: number) => new ExprError(`malformed number '${text}'`, col),
  end: (col: number) => new ExprError('unexpected end of expression', col, 'an operand is missing'),
  token: (t: string, col: number) =>
    t === '=' ? E.misplacedAssign(col) : new ExprError(`unexpected '${t}'`, col),
  unclosed: (col: number) => new ExprError("missing ')' for the '(' opened", col),
  unmatched: (col: number) => new ExprError("unmatched ')'", col),
  missingOperand: (t: string, col: number) =>
    new ExprError(`unexpected '${t}'`, col, 'an operand is missing before it'),
  unknownFunction: (name: string, col: number) => new ExprError(`unknown function '${name}'`, col),
  arity: (name: string, want: number, got: number, col: number) =>
    new ExprError(`'${name}' takes ${want} argument${want === 1 ? '' : 's'}, got ${got}`, col),
  notCalled: (name: string, col: number) =>
    new ExprError(`'${name}' is a function`, col, `call it as ${name}(...)`),
  reservedName: (name: string, col: number) =>
    new ExprError(`the name '${name}' is reserved`, col, "names may not start with '__'"),
  chain: (col: number) =>
    new ExprError('comparisons do not chain', col, 'write (a < b) & (b < c) instead of a < b < c'),
  needsBool: (op: string, col: number) =>
    new ExprError(
      `'${op}' needs booleans`,
      col,
      '& | ~ bind tighter than comparisons, as in Python: put comparisons in parentheses, e.g. (a > 0) & (b < 0)',
    ),
  needsNumber: (op: string, col: number) =>
    new ExprError(
      `'${op}' needs numbers, got a boolean`,
      col,
      'use where(cond, x, y) to turn a condition into a number',
    ),
  whereCond: (col: number) => new ExprError("where's first argument must be a condition (a comparison)", col),
  nestedReduction: (name: string, col: number) =>
    new ExprError(
      `'${name}' reduces to one value and is allowed only around the whole expression`,
      col,
      `as in numexpr: ${name}(a*b)`,
    ),
  tooManyVariables: (n: number, max: number) =>
    new ExprError(`too many variables (${n}); at most ${max} are allowed`, 1),
  noVariables: () => new ExprError('the expression uses no variable', 1, 'name at least one input, e.g. a*2'),
  tooLong: (n: number, max: number) =>
    new ExprError(`the expression is too long (${n} characters; at most ${max})`, 1),
  tooDeep: (col: number, max: number) =>
    new ExprError(`the expression nests too deeply (more than ${max} levels)`, col),
  empty: () => new ExprError('the expression is empty', 1),
  // Chains of steps: x = a*a + b*b; sqrt(x)
  assignedTwice: (name: string, col: number) =>
    new ExprError(`'${name}' is assigned twice`, col, 'give each step a name of its own'),
  misplacedAssign: (col: number) =>
    new ExprError(
      "unexpected '='",
      col,
      "a step starts with its name, e.g. x = a*a + b*b; sqrt(x); to compare, write '=='",
    ),
  unnamedStep: (col: number) =>
    new ExprError(
      'only the last step may be a bare expression',
      col,
      'name the value of a step before it, e.g. x = a*a + b*b; sqrt(x)',
    ),
  usedBeforeAssigned: (name: string, col: number, own: boolean) =>
    new ExprError(
      `'${name}' is used before the step that assigns it`,
      col,
      own
        ? "a step cannot read its own value, and a step's name cannot be an input's: name it differently"
        : 'move the step that assigns it before the steps that read it',
    ),
  stepShadowsInput: (name: string, col: number) =>
    new ExprError(`'${name}' is an input here; a step cannot reuse an input's name`, col),
  unusedStep: (name: string, col: number) =>
    new ExprError(`'${name}' is assigned but never used`, col, 'use it in a later step, or remove the step'),
  stepReduction: (name: string, col: number) =>
    new ExprError(
      `'${name}' reduces to one value and is allowed only around the last step's whole expression`,
      col,
      `e.g. x = a*b; ${name}(x)`,
    ),
  booleanStep: (name: string, col: number) =>
    new ExprError(
      `the step '${name}' is a condition; steps hold numbers`,
      col,
      'compare in the step that uses it, or write where(cond, 1, 0)',
    ),
  reservedStep: (name: string, col: number) =>
    new ExprError(`'${name}' cannot name a step`, col, 'it is a function; pick another name'),
  stepsNotHere: (col: number) => new ExprError('a chain of steps is not allowed here', col),
};
