import type { CompareOp, Node, Script } from './ast';
import { E, ExprError } from './errors';
import { FUNCTIONS, REDUCTIONS, type ReductionName } from './functions';

export type Ty = 'num' | 'bool';

/** One step of the typed program; operands are indices of earlier steps (SSA). */
export type Ins =
  | { op: 'const'; value: number }
  | { op: 'var'; index: number }
  | { op: 'neg' | 'not' | 'tonum'; a: number }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'pow' | 'and' | 'or'; a: number; b: number }
  | { op: 'powi'; a: number; n: number }
  | { op: 'cmp'; cmp: CompareOp; a: number; b: number }
  | { op: 'where'; c: number; a: number; b: number }
  | { op: 'call'; fn: string; args: number[] };

export interface Program {
  source: string;
  /** Free names, alphabetical: input k is variable vars[k]. */
  vars: string[];
  ins: Ins[];
  types: Ty[];
  /** Index of the step whose value is written (as a number: booleans become 1 or 0). */
  result: number;
  reduction: ReductionName | null;
  /**
   * A chain's steps, each lowered on its own (its free names are inputs or earlier steps), then the
   * output: what a GPU program runs as one dispatch per step. Absent for a plain expression, and for
   * a chain with a step that cannot stand alone (no variable, or more than MAX_VARIABLES).
   */
  stages?: { name: string; program: Program }[];
  /** Why a chain has no `stages` (a step that cannot stand alone), in words. */
  stagesMissing?: string;
  /** The names a chain's steps assign (not inputs). */
  stepNames?: string[];
}

/** Integer exponents up to this size are computed by repeated multiplication, as NumPy does. */
export const MAX_INT_EXPONENT = 32;
/** One input per storage binding: WebGPU's default limit is 8 storage buffers per stage, one is the output. */
export const MAX_VARIABLES = 7;

const ARITH: Record<string, 'add' | 'sub' | 'mul' | 'div' | 'mod'> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'mod',
};

/**
 * The free names, left to right; a loop with its own stack (a chain of 5,000 terms is 5,000 levels
 * deep). `bound` says which names a chain's earlier steps define (those are not free).
 */
function collectVars(tree: Node, into: Set<string>, bound?: (name: string, col: number) => boolean): void {
  const stack: Node[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'var':
        if (n.name.startsWith('__')) throw E.reservedName(n.name, n.col);
        if (FUNCTIONS.has(n.name) || REDUCTIONS.has(n.name) || n.name === 'where')
          throw E.notCalled(n.name, n.col);
        if (!bound?.(n.name, n.col)) into.add(n.name);
        break;
      case 'num':
        break;
      case 'unary':
        stack.push(n.arg);
        break;
      case 'binary':
        stack.push(n.right, n.left);
        break;
      case 'compare':
      case 'call':
        for (let k = n.args.length - 1; k >= 0; k--) stack.push(n.args[k]);
    }
  }
}

/** An integer literal exponent (possibly signed), or null. */
function intExponent(n: Node): number | null {
  let sign = 1;
  let m = n;
  while (m.type === 'unary' && (m.op === '-' || m.op === '+')) {
    if (m.op === '-') sign = -sign;
    m = m.arg;
  }
  if (m.type !== 'num' || !Number.isInteger(m.value) || Math.abs(m.value) > MAX_INT_EXPONENT) return null;
  return sign * m.value;
}

/**
 * Type-checks a tree, or a chain of steps and its output, and lowers it to a program of SSA steps,
 * sharing identical subexpressions: a chain is fused (each step's value is an SSA value that later
 * steps read), and every intermediate is float32 either way, so fusing changes no result.
 * Children are checked before their parent, so the first error reported is the innermost one.
 */
export function lower(input: Node | Script, source: string): Program {
  const script: Script = 'result' in input ? input : { steps: [], result: input };
  const { steps } = script;
  const stepIndex = new Map(steps.map((s, k) => [s.name, k]));
  const names = new Set<string>();
  const used = new Set<string>();
  /** A name a step assigns may not be reserved or a function's. */
  const checkStepName = ({ name, col }: { name: string; col: number }) => {
    if (name.startsWith('__')) throw E.reservedName(name, col);
    if (FUNCTIONS.has(name) || REDUCTIONS.has(name) || name === 'where') throw E.reservedStep(name, col);
  };
  [...steps.map((s) => s.tree), script.result].forEach((tree, k) => {
    if (steps[k]) checkStepName(steps[k]);
    collectVars(tree, names, (name, col) => {
      const j = stepIndex.get(name);
      if (j === undefined) return false;
      if (j >= k) throw E.usedBeforeAssigned(name, col, j === k);
      used.add(name);
      return true;
    });
  });
  for (const s of steps) if (!used.has(s.name)) throw E.unusedStep(s.name, s.col);
  const out = script.output;
  if (out) {
    checkStepName(out);
    if (names.has(out.name)) throw E.stepShadowsInput(out.name, out.col);
  }
  const vars = [...names].sort();
  if (!vars.length) throw E.noVariables();
  if (vars.length > MAX_VARIABLES) throw E.tooManyVariables(vars.length, MAX_VARIABLES);
  const stepValue = new Map<string, number>();
  let inStep = false;
  const ins: Ins[] = [];
  const types: Ty[] = [];
  const memo = new Map<string, number>();
  const emit = (i: Ins, t: Ty): number => {
    const key = JSON.stringify(i);
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    ins.push(i);
    types.push(t);
    memo.set(key, ins.length - 1);
    return ins.length - 1;
  };
  const num = (i: number, op: string, col: number) => {
    if (types[i] !== 'num') throw E.needsNumber(op, col);
    return i;
  };
  const bool = (i: number, op: string, col: number) => {
    if (types[i] !== 'bool') throw E.needsBool(op, col);
    return i;
  };

  const binary = (n: Extract<Node, { type: 'binary' }>, a: number, b: number): number => {
    if (n.op === '&' || n.op === '|') {
      bool(a, n.op, n.col);
      bool(b, n.op, n.col);
      return emit({ op: n.op === '&' ? 'and' : 'or', a, b }, 'bool');
    }
    return emit({ op: ARITH[n.op], a: num(a, n.op, n.col), b: num(b, n.op, n.col) }, 'num');
  };

  const walk = (n: Node, top: boolean): number => {
    switch (n.type) {
      case 'num':
        return emit({ op: 'const', value: n.value }, 'num');
      case 'var':
        return stepValue.get(n.name) ?? emit({ op: 'var', index: vars.indexOf(n.name) }, 'num');
      case 'unary': {
        const a = walk(n.arg, false);
        if (n.op === '~') return emit({ op: 'not', a: bool(a, '~', n.col) }, 'bool');
        num(a, n.op, n.col);
        return n.op === '-' ? emit({ op: 'neg', a }, 'num') : a;
      }
      case 'binary': {
        if (n.op === '**') {
          const a = num(walk(n.left, false), '**', n.col);
          const k = intExponent(n.right);
          if (k !== null) return emit({ op: 'powi', a, n: k }, 'num');
          // numexpr computes x**0.5 as sqrt(x): (-inf)**0.5 is NaN, (-0)**0.5 is -0.
          if (n.right.type === 'num' && n.right.value === 0.5)
            return emit({ op: 'call', fn: 'sqrt', args: [a] }, 'num');
          const b = num(walk(n.right, false), '**', n.col);
          return emit({ op: 'pow', a, b }, 'num');
        }
        // A left-deep chain (a + b + c + …, as long as the length limit allows) is folded in a loop, in
        // the order recursion would take (left, right, then the node), with no depth growing with it.
        const spine: Extract<Node, { type: 'binary' }>[] = [];
        let m: Node = n;
        while (m.type === 'binary' && m.op !== '**') {
          spine.push(m);
          m = m.left;
        }
        let a = walk(m, false);
        for (let k = spine.length - 1; k >= 0; k--) a = binary(spine[k], a, walk(spine[k].right, false));
        return a;
      }
      case 'compare': {
        const args = n.args.map((x) => walk(x, false));
        for (const a of args) num(a, n.ops[0], n.col);
        if (n.ops.length > 1) throw E.chain(n.col);
        return emit({ op: 'cmp', cmp: n.ops[0], a: args[0], b: args[1] }, 'bool');
      }
      case 'call': {
        if (REDUCTIONS.has(n.fn)) {
          if (inStep) throw E.stepReduction(n.fn, n.col);
          if (!top) throw E.nestedReduction(n.fn, n.col);
          if (n.args.length !== 1) throw E.arity(n.fn, 1, n.args.length, n.col);
          const a = walk(n.args[0], false);
          return types[a] === 'bool' ? emit({ op: 'tonum', a }, 'num') : a;
        }
        if (n.fn === 'where') {
          if (n.args.length !== 3) throw E.arity('where', 3, n.args.length, n.col);
          const [c, a, b] = n.args.map((x) => walk(x, false));
          if (types[c] !== 'bool') throw E.whereCond(n.args[0].col);
          return emit({ op: 'where', c, a: num(a, 'where', n.col), b: num(b, 'where', n.col) }, 'num');
        }
        const f = FUNCTIONS.get(n.fn);
        if (!f) throw E.unknownFunction(n.fn, n.col);
        if (n.args.length !== f.arity) throw E.arity(n.fn, f.arity, n.args.length, n.col);
        const args = n.args.map((x) => num(walk(x, false), n.fn, n.col));
        return emit({ op: 'call', fn: n.fn, args }, 'num');
      }
    }
  };
  inStep = true;
  for (const s of steps) {
    const v = walk(s.tree, false);
    if (types[v] !== 'num') throw E.booleanStep(s.name, s.col);
    stepValue.set(s.name, v);
  }
  inStep = false;
  const tree = script.result;
  const reduction = tree.type === 'call' && REDUCTIONS.has(tree.fn) ? (tree.fn as ReductionName) : null;
  const result = walk(tree, true);
  const program: Program = { source, vars, ins, types, result, reduction };
  if (steps.length) {
    program.stepNames = steps.map((s) => s.name);
    const stages: { name: string; program: Program }[] = [];
    for (const s of [...steps, { name: '', tree }]) {
      const what = s.name ? `the step '${s.name}'` : 'the last step';
      try {
        stages.push({ name: s.name, program: lower(s.tree, s.name ? `${s.name} = …` : source) });
      } catch (e) {
        // A step that cannot stand alone as one dispatch: the chain runs fused only, and says why.
        if (!(e instanceof ExprError)) throw e;
        program.stagesMissing =
          e.problem === E.noVariables().problem
            ? `${what} uses no variable, so it cannot be a dispatch of its own`
            : `${what} reads more than ${MAX_VARIABLES} inputs and steps, more than one dispatch can bind`;
        break;
      }
    }
    if (!program.stagesMissing) program.stages = stages;
  }
  return program;
}
