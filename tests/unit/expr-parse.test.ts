import { describe, expect, it } from 'vitest';
import { runCpu } from '../../src/backends/main-thread';
import { show } from '../../src/expr/ast';
import { ExprError } from '../../src/expr/errors';
import { compileExpression, parseRanges } from '../../src/expr/kernel';
import { parse } from '../../src/expr/parser';
import { noSuchVariant } from '../../src/kernels/gpu-program';

const ast = (s: string) => show(parse(s));

function errorOf(src: string): string {
  try {
    compileExpression(src);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprError);
    return (e as Error).message;
  }
  throw new Error(`'${src}' compiled`);
}

describe('parser: exact trees', () => {
  it.each([
    ['a**2 + b**2', '(+ (** a 2) (** b 2))'],
    ['-a**2', '(neg (** a 2))'],
    ['a**-2', '(** a (neg 2))'],
    ['a**b**c', '(** a (** b c))'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b * c % d', '(% (* (/ a b) c) d)'],
    ['-a * b', '(* (neg a) b)'],
    ['+a', '(pos a)'],
    ['~(a > b)', '(~ (> a b))'],
    ['(a > 0) & (b < 0) | (c == 1)', '(| (& (> a 0) (< b 0)) (== c 1))'],
    ['a > 0 & b < 0', '(> < a (& 0 b) 0)'],
    ['a < b < c', '(< < a b c)'],
    ['where(a > b, a*b, a - b)', '(where (> a b) (* a b) (- a b))'],
    ['arctan2(a, 1.5e-3)', '(arctan2 a 1.5e-3)'],
    ['sum(a*b)', '(sum (* a b))'],
    ['2.5E2 + .5 + 7.', '(+ (+ 2.5E2 .5) 7.)'],
    ['  a\t+\nb ', '(+ a b)'],
  ])('%s', (src, tree) => {
    expect(ast(src)).toBe(tree);
  });
});

describe('errors: exact messages with 1-based columns', () => {
  it.each([
    ['foo(a)', "unknown function 'foo' at column 1"],
    ['a +* b', "unexpected '*' at column 4"],
    ['a +', 'unexpected end of expression at column 4: an operand is missing'],
    ['', 'the expression is empty at column 1'],
    ['(a + b', "missing ')' for the '(' opened at column 1"],
    ['a + b)', "unmatched ')' at column 6"],
    ['sin(a, b)', "'sin' takes 1 argument, got 2 at column 1"],
    ['arctan2(a)', "'arctan2' takes 2 arguments, got 1 at column 1"],
    ['where(a, b, c)', "where's first argument must be a condition (a comparison) at column 7"],
    ['a < b < c', 'comparisons do not chain at column 3: write (a < b) & (b < c) instead of a < b < c'],
    [
      'a > 0 & b < 0',
      "'&' needs booleans at column 7: & | ~ bind tighter than comparisons, as in Python: put comparisons in parentheses, e.g. (a > 0) & (b < 0)",
    ],
    [
      '~a',
      "'~' needs booleans at column 1: & | ~ bind tighter than comparisons, as in Python: put comparisons in parentheses, e.g. (a > 0) & (b < 0)",
    ],
    [
      '(a > b) + 1',
      "'+' needs numbers, got a boolean at column 9: use where(cond, x, y) to turn a condition into a number",
    ],
    [
      'a + sum(b)',
      "'sum' reduces to one value and is allowed only around the whole expression at column 5: as in numexpr: sum(a*b)",
    ],
    ['sin + a', "'sin' is a function at column 1: call it as sin(...)"],
    ['2 * 3', 'the expression uses no variable at column 1: name at least one input, e.g. a*2'],
    ['1.5.2 + a', "malformed number '1.5.' at column 1"],
    ['2a', "malformed number '2a' at column 1"],
    ['a + b + c + d + e + f + g + h', 'too many variables (8); at most 7 are allowed at column 1'],
    // attempts to reach JavaScript
    ['constructor(a)', "unknown function 'constructor' at column 1"],
    ['__proto__ + a', "the name '__proto__' is reserved at column 1: names may not start with '__'"],
    [
      'a; b',
      'only the last step may be a bare expression at column 1: name the value of a step before it, e.g. x = a*a + b*b; sqrt(x)',
    ],
    ['a.b', "unexpected character '.' at column 2"],
    ["a + 'x'", "unexpected character ''' at column 5: expressions have no strings"],
    ['a + "x"', "unexpected character '\"' at column 5: expressions have no strings"],
    ['a[0]', "unexpected character '[' at column 2"],
    ['a => b', "unexpected '>' at column 4"],
    ['this.a', "unexpected character '.' at column 5"],
    ['f(a,)', "unexpected ')' at column 5: an operand is missing before it"],
    ['a + (b * )', "unexpected ')' at column 10: an operand is missing before it"],
    ['a = 1', 'the expression uses no variable at column 1: name at least one input, e.g. a*2'],
    // chains of steps
    ['x = a; x = b; x', "'x' is assigned twice at column 8: give each step a name of its own"],
    [
      'a + b = c',
      "unexpected '=' at column 7: a step starts with its name, e.g. x = a*a + b*b; sqrt(x); to compare, write '=='",
    ],
    [
      'y = x + 1; x = a; y',
      "'x' is used before the step that assigns it at column 5: move the step that assigns it before the steps that read it",
    ],
    [
      'a = a*2; a + b',
      "'a' is used before the step that assigns it at column 5: a step cannot read its own value, and a step's name cannot be an input's: name it differently",
    ],
    ['a = 2*a', "'a' is an input here; a step cannot reuse an input's name at column 1"],
    ['sin = a*2', "'sin' cannot name a step at column 1: it is a function; pick another name"],
    ['__q = a*2', "the name '__q' is reserved at column 1: names may not start with '__'"],
    [
      '= a',
      "unexpected '=' at column 1: a step starts with its name, e.g. x = a*a + b*b; sqrt(x); to compare, write '=='",
    ],
    [
      'where(a = b, 1, 2)',
      "unexpected '=' at column 9: a step starts with its name, e.g. x = a*a + b*b; sqrt(x); to compare, write '=='",
    ],
    ['x = a*2; b', "'x' is assigned but never used at column 1: use it in a later step, or remove the step"],
    [
      'x = sum(a); x + b',
      "'sum' reduces to one value and is allowed only around the last step's whole expression at column 5: e.g. x = a*b; sum(x)",
    ],
    [
      'm = a > b; where(m, a, b)',
      "the step 'm' is a condition; steps hold numbers at column 1: compare in the step that uses it, or write where(cond, 1, 0)",
    ],
    ['sin = a; sin(sin)', "'sin' cannot name a step at column 1: it is a function; pick another name"],
    ['__x = a; __x', "the name '__x' is reserved at column 1: names may not start with '__'"],
    ['x = ; a', "unexpected ';' at column 5"],
    [';', "unexpected ';' at column 1"],
    ['`a`', "unexpected character '`' at column 1"],
  ])('%j', (src, message) => {
    expect(errorOf(src)).toBe(message);
  });

  it('keeps the column for the UI caret', () => {
    expect(() => parse('a + (b * )')).toThrow(ExprError);
    try {
      parse('a + (b * )');
    } catch (e) {
      expect((e as ExprError).column).toBe(10);
      expect((e as ExprError).problem).toBe("unexpected ')'");
    }
  });

  it('refuses very long and very deep expressions with a message, not a stack overflow', () => {
    expect(errorOf(`a${'+a'.repeat(6000)}`)).toBe(
      'the expression is too long (12001 characters; at most 10000) at column 1',
    );
    expect(errorOf(`${'('.repeat(300)}a${')'.repeat(300)}`)).toBe(
      'the expression nests too deeply (more than 200 levels) at column 201',
    );
    expect(errorOf(`${'-'.repeat(300)}a`)).toBe(
      'the expression nests too deeply (more than 200 levels) at column 201',
    );
  });
});

describe('variables', () => {
  it('are the free names in alphabetical order, bound to inputs in that order', () => {
    const c = compileExpression('z*2 + a - m');
    expect(c.program.vars).toEqual(['a', 'm', 'z']);
    expect(c.kernel.inputNames).toEqual(['a', 'm', 'z']);
  });
  it('may be named in any script, as Python and numexpr allow (α, σ_1), with ranges and inputs', () => {
    const c = compileExpression('α**2 + σ_1 * 2', parseRanges('α:0:1'));
    expect(c.program.vars).toEqual(['α', 'σ_1']);
    const [alpha] = c.kernel.makeInputs(100, 1);
    expect(Math.min(...alpha)).toBeGreaterThanOrEqual(0);
    expect(() => parse('2α')).toThrow("malformed number '2α' at column 1");
  });
  it('reads True and False as booleans, as numexpr does, not as variables', () => {
    const c = compileExpression('where(True, a, b) + where(False, b, a * 0)');
    expect(c.program.vars).toEqual(['a', 'b']);
    const out = runCpu(c.kernel, 3, [Float32Array.of(1, -2, 3), Float32Array.of(9, 9, 9)]);
    expect([...out]).toEqual([1, -2, 3]);
    expect(() => compileExpression('True + 1')).toThrow(ExprError);
  });
  it('may be named like JavaScript properties without reaching them', () => {
    const c = compileExpression('constructor + toString * hasOwnProperty');
    expect(c.program.vars).toEqual(['constructor', 'hasOwnProperty', 'toString']);
    expect(c.js).not.toContain('constructor');
    // WGSL names them only in comments
    expect(c.wgsl.replace(/\/\/.*$/gm, '')).not.toContain('constructor');
  });
  it('share identical subexpressions', () => {
    const c = compileExpression('sin(a)*sin(a) + sin(a)');
    expect(c.program.ins.filter((s) => s.op === 'call')).toHaveLength(1);
  });
});

describe('chains of steps (x = a*a + b*b; sqrt(x))', () => {
  const inputs = [Float32Array.of(3, -1, 0.5, 1e20), Float32Array.of(4, 2, -0.25, 1e20)];

  it('read earlier steps by name: the inputs are the names no step assigns', () => {
    const c = compileExpression('x = a*a + b*b; y = sqrt(x); y / (1 + exp(-a)) + x');
    expect(c.program.vars).toEqual(['a', 'b']);
    expect(c.program.stages?.map((s) => [s.name, s.program.vars])).toEqual([
      ['x', ['a', 'b']],
      ['y', ['x']],
      ['', ['a', 'x', 'y']],
    ]);
  });

  it('fuse on the CPU into the same program as the expression written out, so every result is the same', () => {
    const chain = compileExpression('x = a*a + b*b; y = sqrt(x); y / (1 + exp(-a)) + x');
    const flat = compileExpression('sqrt(a*a + b*b) / (1 + exp(-a)) + (a*a + b*b)');
    expect(chain.program.ins).toEqual(flat.program.ins);
    expect([...runCpu(chain.kernel, 4, inputs)]).toEqual([...runCpu(flat.kernel, 4, inputs)]);
  });

  it('allow a trailing semicolon and a named last step (its value is the output)', () => {
    const a = compileExpression('x = a - b; y = x * x;');
    expect([...runCpu(a.kernel, 4, inputs)]).toEqual(
      [...inputs[0]].map((v, i) => Math.fround((v - inputs[1][i]) ** 2)),
    );
  });

  it('run on the GPU as one dispatch per step, each step in a buffer of its own the next pass reads', () => {
    const c = compileExpression('x = a*a + b*b; y = sqrt(x); y / (1 + exp(-a)) + x');
    expect(c.kernel.gpuVariants?.map((v) => v.variant)).toEqual(['vec4', 'steps']);
    const steps = c.kernel.gpuVariants!.find((v) => v.variant === 'steps')!;
    const plan = steps.plan(1000, {
      wg: 64,
      maxWorkgroupsPerDimension: 65535,
      budget: { elements: 1 << 20, flops: 1 << 20 },
    });
    expect(plan.scratch).toEqual([
      { name: 'step0', length: 1000 },
      { name: 'step1', length: 1000 },
    ]);
    expect(plan.passes.map((p) => [p.shader, p.buffers])).toEqual([
      ['s0.main', ['in0', 'in1', 'step0']],
      ['s1.main', ['step0', 'step1']],
      ['s2.main', ['in0', 'step0', 'step1', 'out']],
    ]);
  });

  it('end in a reduction as a tree of passes over the last step', () => {
    const c = compileExpression('d = a - b; sum(d * d)');
    const steps = c.kernel.gpuVariants!.find((v) => v.variant === 'steps')!;
    const plan = steps.plan(5000, {
      wg: 64,
      maxWorkgroupsPerDimension: 65535,
      budget: { elements: 1 << 20, flops: 1 << 20 },
    });
    expect(plan.passes.map((p) => p.shader)).toEqual(['s0.main', 's1.main', 's1.fold']);
    expect(plan.passes[1].buffers).toEqual(['step0', 's1.partials0']);
    expect(plan.passes.at(-1)!.buffers.at(-1)).toBe('out');
  });

  it('reuse a step buffer once no later step reads it: a straight chain needs two, however long', () => {
    const chain = Array.from({ length: 12 }, (_, k) => `s${k + 1} = s${k} * 0.5 + a`).join('; ');
    const c = compileExpression(`s0 = a + 1; ${chain}; s12 + s11`);
    const steps = c.kernel.gpuVariants!.find((v) => v.variant === 'steps')!;
    const plan = steps.plan(100, {
      wg: 64,
      maxWorkgroupsPerDimension: 65535,
      budget: { elements: 1 << 20, flops: 1 << 20 },
    });
    // thirteen steps, two buffers: each step's buffer is taken over once the step after next has run
    expect(plan.scratch.map((x) => x.name)).toEqual(['step0', 'step1']);
    expect(plan.passes.at(-1)!.buffers).toEqual(['step1', 'step0', 'out']); // s11, s12, then the output
    for (const p of plan.passes) expect(new Set(p.buffers).size).toBe(p.buffers.length); // never read and written at once
    expect(steps.summary).toContain('s0, s1, s2, … 13 steps');
  });

  it('offer one dispatch per step up to 64 steps, and say why not beyond', () => {
    const long = Array.from({ length: 70 }, (_, k) => `s${k + 1} = s${k} + a`).join('; ');
    const c = compileExpression(`s0 = a * 2; ${long}; s70`);
    expect(c.kernel.gpuVariants?.map((v) => v.variant)).toEqual(['vec4']);
    expect(noSuchVariant(c.kernel, 'steps')).toBe(
      "the expression has no GPU variant 'steps' (the chain has 71 steps; one dispatch per step is offered up to 64): choose one of x1, vec4",
    );
  });

  it('run fused only when a step cannot stand alone (it uses no variable), and say so', () => {
    const c = compileExpression('k = 2; a * k');
    expect(c.program.stages).toBeUndefined();
    expect(noSuchVariant(c.kernel, 'steps')).toBe(
      "the expression has no GPU variant 'steps' (the step 'k' uses no variable, so it cannot be a dispatch of its own): choose one of x1, vec4",
    );
    const wide = compileExpression(
      'p = a+1; q = a+2; r = a+3; s = a+4; t = a+5; u = a+6; v = a+7; w = a+8; p+q+r+s+t+u+v+w',
    );
    expect(wide.kernel.gpuVariantsMissing?.steps).toBe(
      'the last step reads more than 7 inputs and steps, more than one dispatch can bind',
    );
    expect(c.kernel.gpuVariants?.map((v) => v.variant)).toEqual(['vec4']);
    expect([...runCpu(c.kernel, 4, inputs)]).toEqual([...inputs[0]].map((v) => Math.fround(v * 2)));
  });

  it('name what is wrong with a range given for a step, and with pinning steps on a single expression', () => {
    expect(() => compileExpression('x = a*a + b*b; sqrt(x)', parseRanges('x:0:1'))).toThrow(
      "a range is given for 'x', which is a step of the chain, not an input",
    );
    expect(noSuchVariant(compileExpression('a*a + b*b').kernel, 'steps')).toBe(
      "the expression has no GPU variant 'steps' (it is a single expression; steps are for chains such as x = a*a + b*b; sqrt(x)): choose one of x1, vec4",
    );
    expect(compileExpression('x = a*a + b*b; sqrt(x)').kernel.gpuVariantsMissing).toBeUndefined();
  });

  it('are refused where a single expression is expected', () => {
    expect(() => parse('x = a; x')).toThrow('a chain of steps is not allowed here at column 1');
  });
});
