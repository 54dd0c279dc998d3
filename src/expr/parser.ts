import type { BinaryOp, CompareOp, Node, Script, Step, UnaryOp } from './ast';
import { E } from './errors';
import { lex, type Steps, type Token } from './lexer';

export const MAX_LENGTH = 10_000;
export const MAX_DEPTH = 200;

/**
 * Recursive descent with Python's precedence, lowest first:
 *   comparison  <  |  <  &  <  + -  <  * / %  <  unary - + ~  <  **
 * `**` is right-associative and its exponent may carry a sign (a**-2); -a**2 is -(a**2).
 */
class Parser {
  private i = 0;
  private depth = 0;
  /** Open '(' of groups and calls, to tell an unmatched ')' from a missing operand. */
  private parens = 0;

  constructor(
    private readonly toks: Token[],
    private readonly stats?: Steps,
  ) {}

  private peek(): Token {
    return this.toks[this.i];
  }

  private next(): Token {
    if (this.stats) this.stats.steps++;
    return this.toks[this.i++];
  }

  private isOp(...ops: string[]): boolean {
    const t = this.peek();
    return t.kind === 'op' && ops.includes(t.text);
  }

  private enter(col: number): void {
    if (++this.depth > MAX_DEPTH) throw E.tooDeep(col, MAX_DEPTH);
  }

  /**
   * Steps separated by ';', each `name = expression` but the last, whose value is the output (it may
   * be named too, and a trailing ';' is allowed): `x = a*a + b*b; sqrt(x)`.
   */
  parseScript(): Script {
    if (this.peek().kind === 'end') throw E.empty();
    const steps: Step[] = [];
    const assigned = new Set<string>();
    for (;;) {
      const t = this.peek();
      const after = this.toks[this.i + 1];
      const named = t.kind === 'name' && after?.kind === 'op' && after.text === '=';
      if (named) {
        if (assigned.has(t.text)) throw E.assignedTwice(t.text, t.col);
        assigned.add(t.text);
        this.next();
        this.next();
      }
      const tree = this.comparison();
      const end = this.peek();
      if (end.kind === ')') throw E.unmatched(end.col);
      if (end.kind !== ';' && end.kind !== 'end') throw E.token(end.text, end.col);
      if (end.kind === ';') this.next();
      if (this.peek().kind === 'end')
        return { steps, result: tree, ...(named ? { output: { name: t.text, col: t.col } } : {}) };
      if (!named) throw E.unnamedStep(t.col);
      steps.push({ name: t.text, col: t.col, tree });
    }
  }

  private comparison(): Node {
    const first = this.bitor();
    if (!this.isOp('<', '<=', '>', '>=', '==', '!=')) return first;
    const ops: CompareOp[] = [];
    const args = [first];
    let col = 0;
    while (this.isOp('<', '<=', '>', '>=', '==', '!=')) {
      const t = this.next();
      if (!col) col = t.col;
      ops.push(t.text as CompareOp);
      args.push(this.bitor());
    }
    return { type: 'compare', ops, args, col };
  }

  private binaryLevel(ops: string[], sub: () => Node): Node {
    let left = sub();
    while (this.isOp(...ops)) {
      const t = this.next();
      left = { type: 'binary', op: t.text as BinaryOp, left, right: sub(), col: t.col };
    }
    return left;
  }

  private bitor = (): Node => this.binaryLevel(['|'], this.bitand);
  private bitand = (): Node => this.binaryLevel(['&'], this.sum);
  private sum = (): Node => this.binaryLevel(['+', '-'], this.term);
  private term = (): Node => this.binaryLevel(['*', '/', '%'], this.factor);

  private factor = (): Node => {
    if (this.isOp('-', '+', '~')) {
      const t = this.next();
      this.enter(t.col);
      const arg = this.factor();
      this.depth--;
      return { type: 'unary', op: t.text as UnaryOp, arg, col: t.col };
    }
    return this.power();
  };

  private power(): Node {
    const base = this.primary();
    if (!this.isOp('**')) return base;
    const t = this.next();
    this.enter(t.col);
    const exp = this.factor();
    this.depth--;
    return { type: 'binary', op: '**', left: base, right: exp, col: t.col };
  }

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        return { type: 'num', value: Number(t.text), text: t.text, col: t.col };
      case 'name': {
        if ((t.text === 'True' || t.text === 'False') && this.peek().kind !== '(') {
          // numexpr's boolean literals, written as the comparison that is always true (1 == 1) or
          // always false (1 != 1): boolean-typed, and folded by every compiler.
          const one = { type: 'num' as const, value: 1, text: '1', col: t.col };
          return {
            type: 'compare',
            ops: [t.text === 'True' ? '==' : '!='],
            args: [one, { ...one }],
            col: t.col,
          };
        }
        if (this.peek().kind !== '(') return { type: 'var', name: t.text, col: t.col };
        const open = this.next();
        this.enter(open.col);
        this.parens++;
        const args: Node[] = [];
        if (this.peek().kind !== ')') {
          args.push(this.comparison());
          while (this.peek().kind === ',') {
            this.next();
            args.push(this.comparison());
          }
        }
        if (this.peek().kind !== ')') this.unexpected(open.col);
        this.next();
        this.depth--;
        this.parens--;
        return { type: 'call', fn: t.text, args, col: t.col };
      }
      case '(': {
        this.enter(t.col);
        this.parens++;
        const inner = this.comparison();
        if (this.peek().kind !== ')') this.unexpected(t.col);
        this.next();
        this.depth--;
        this.parens--;
        return inner;
      }
      case 'end':
        throw E.end(t.col);
      case ')':
        throw this.parens > 0 ? E.missingOperand(')', t.col) : E.unmatched(t.col);
      case ',':
        throw E.missingOperand(',', t.col);
      default:
        throw E.token(t.text, t.col);
    }
  }

  /** After an operand where ')' was expected: the input ended, or something else stands there. */
  private unexpected(openCol: number): never {
    const t = this.peek();
    if (t.kind === 'end') throw E.unclosed(openCol);
    throw E.token(t.text, t.col);
  }
}

/**
 * Parses an expression (a chain of steps or a single expression) into trees, or throws ExprError with
 * the column of the first problem.
 */
export function parseScript(src: string, stats?: Steps): Script {
  if (src.length > MAX_LENGTH) throw E.tooLong(src.length, MAX_LENGTH);
  return new Parser(lex(src, stats), stats).parseScript();
}

/** Parses an expression without steps into a tree (a chain's steps are an error here). */
export function parse(src: string, stats?: Steps): Node {
  const s = parseScript(src, stats);
  if (s.steps.length) throw E.stepsNotHere(s.steps[0].col);
  return s.result;
}
