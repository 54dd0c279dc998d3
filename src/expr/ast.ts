/** The parse tree. Every node keeps the 1-based column of the token that made it, for messages. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '**' | '&' | '|';
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type UnaryOp = '-' | '+' | '~';

export type Node =
  | { type: 'num'; value: number; text: string; col: number }
  | { type: 'var'; name: string; col: number }
  | { type: 'unary'; op: UnaryOp; arg: Node; col: number }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node; col: number }
  /** Comparisons parse as a chain (as in Python) so the checker can say they do not chain here. */
  | { type: 'compare'; ops: CompareOp[]; args: Node[]; col: number }
  | { type: 'call'; fn: string; args: Node[]; col: number };

/** A step of a chain: `name = tree;` (its value is an array the later steps read by name). */
export interface Step {
  name: string;
  /** Column of the name. */
  col: number;
  tree: Node;
}

/**
 * What an expression parses to: the steps of a chain (none for a plain expression), then the output.
 * `x = a*a + b*b; sqrt(x)` has one step, x, and the output sqrt(x).
 */
export interface Script {
  steps: Step[];
  result: Node;
  /** The last step's name when it has one (`x = a*2; y = x + 1`: y), checked like any step's. */
  output?: { name: string; col: number };
}

/** A compact text form of a tree, for tests and debugging: (+ a (* b 2)). */
export function show(n: Node): string {
  switch (n.type) {
    case 'num':
      return n.text;
    case 'var':
      return n.name;
    case 'unary':
      return `(${n.op === '-' ? 'neg' : n.op === '+' ? 'pos' : '~'} ${show(n.arg)})`;
    case 'binary':
      return `(${n.op} ${show(n.left)} ${show(n.right)})`;
    case 'compare':
      return `(${n.ops.join(' ')} ${n.args.map(show).join(' ')})`;
    case 'call':
      return `(${n.fn} ${n.args.map(show).join(' ')})`;
  }
}
