import { InputError } from '../errors';
import {
  ELEMENT_TEST_SIZES,
  elementSweep,
  elementwiseCpu,
  MAX_ELEMENTS,
  reductionCpu,
} from '../kernels/common';
import { DEFAULT_INPUT, drawInput, type Ranges, type VarInput } from '../kernels/rng';
import type { KernelSpec } from '../kernels/types';
import { perForm, type WasmCode } from '../wasm/runtime';
import { Cascade } from './compile-js';
import { emitJs } from './emit-js';
import { emitWasm } from './emit-wasm';
import { stepsMissing, wgslPrograms, wgslText } from './emit-wgsl';
import { interpret } from './interp';
import { lower, type Program } from './ir';
import { IDENT } from './lexer';
import { parseScript } from './parser';
import { referenceOf } from './reference';

export const EXPR_DEFAULT_SIZE = 1 << 20;
export { DEFAULT_INPUT, type Ranges, type VarInput } from '../kernels/rng';

/**
 * Parses the `ranges` option: "a:0:10" (uniform on [0, 10]) or "a:normal:0:1" (normal, mean 0,
 * standard deviation 1), comma-separated.
 */
const RANGE = new RegExp(`^(${IDENT}):(?:(uniform|normal):)?([^:]+):([^:]+)$`, 'u');

export function parseRanges(text: string): Record<string, VarInput> {
  const out: Record<string, VarInput> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = RANGE.exec(part);
    if (m && m[1] in out) throw new InputError(`the range of '${m[1]}' is given twice`);
    const a = m ? Number(m[3]) : Number.NaN;
    const b = m ? Number(m[4]) : Number.NaN;
    if (m && m[2] === 'normal') {
      if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > 0)) {
        throw new InputError(`bad range '${part}': write NAME:normal:MEAN:SD with SD > 0, e.g. a:normal:0:1`);
      }
      out[m[1]] = { dist: 'normal', mean: a, sd: b };
      continue;
    }
    if (!m || !Number.isFinite(a) || !Number.isFinite(b) || !(a <= b)) {
      throw new InputError(`bad range '${part}': write NAME:LOW:HIGH with LOW <= HIGH, e.g. a:0:10`);
    }
    out[m[1]] = { dist: 'uniform', lo: a, hi: b };
  }
  return out;
}

export function formatRanges(r: Ranges): string {
  return Object.entries(r)
    .map(([k, v]) => (v.dist === 'normal' ? `${k}:normal:${v.mean}:${v.sd}` : `${k}:${v.lo}:${v.hi}`))
    .join(',');
}

export interface CompiledExpression {
  program: Program;
  js: string;
  /** Every shader of the GPU program as compiled (a reduction's first pass, then its fold pass). */
  wgsl: string;
  kernel: KernelSpec;
}

function countOps(p: Program): number {
  return p.ins.filter((s) => s.op !== 'const' && s.op !== 'var').length;
}

/** The expression's WebAssembly module in each form, emitted when first asked for. */
function wasmCode(program: Program): WasmCode {
  return perForm((form) => emitWasm(program, form));
}

/** Compiles an expression into a kernel for every backend; throws ExprError with a column. */
export function compileExpression(source: string, ranges: Ranges = {}): CompiledExpression {
  const program = lower(parseScript(source), source);
  const js = emitJs(program);
  const [gpu, ...gpuVariants] = wgslPrograms(program);
  const run = interpret(program);
  const { vars, reduction } = program;
  for (const name of Object.keys(ranges)) {
    if (program.stepNames?.includes(name))
      throw new InputError(`a range is given for '${name}', which is a step of the chain, not an input`);
    if (!vars.includes(name))
      throw new InputError(`a range is given for '${name}', which the expression does not use`);
  }
  const ops = countOps(program);
  const missingSteps =
    stepsMissing(program) ??
    (program.stages
      ? undefined
      : 'it is a single expression; steps are for chains such as x = a*a + b*b; sqrt(x)');
  const cpu = reduction
    ? reductionCpu(run, (partials) => {
        const c = new Cascade(reduction);
        for (const x of partials) c.push(x);
        return Float32Array.of(c.result());
      })
    : elementwiseCpu(run);
  const kernel: KernelSpec = {
    id: 'expr',
    title: source,
    source: { expr: source, ranges },
    summary: `${reduction ? `${reduction} of ` : ''}an expression of ${vars.join(', ')}: ${ops} operation${ops === 1 ? '' : 's'} per element`,
    bound: 'memory',
    sizeLabel: 'elements',
    describeSize: (size) => `${size} elements`,
    defaultSize: EXPR_DEFAULT_SIZE,
    minSize: 1,
    maxSize: MAX_ELEMENTS,
    sweepSizes: elementSweep(MAX_ELEMENTS),
    testSizes: ELEMENT_TEST_SIZES,
    inputNames: vars,
    inputLength: (size) => size,
    outputLength: (size) => (reduction ? 1 : size),
    makeInputs: (size, seed) => vars.map((v, k) => drawInput(ranges[v] ?? DEFAULT_INPUT, size, seed, k)),
    reference: (inputs, size) => referenceOf(program, inputs, size),
    tolerance: () => ({ abs: 0, rel: 0 }),
    work: (size) => ({ flops: ops * size, bytes: 4 * size * vars.length + 4 * (reduction ? 1 : size) }),
    cpu,
    wasm: wasmCode(program),
    gpu,
    gpuVariants,
    ...(missingSteps ? { gpuVariantsMissing: { steps: missingSteps } } : {}),
  };
  return { program, js, wgsl: wgslText(gpu), kernel };
}

/** What a named expression (a built-in kernel written as an expression) says about itself. */
export interface NamedExpression {
  id: string;
  title: string;
  summary: string;
  expr: string;
  ranges: Ranges;
  defaultSize: number;
  /** Overrides the expression's own count where the kernel has always been described otherwise. */
  work?: KernelSpec['work'];
}

/**
 * A built-in kernel that is an expression: compiled by the one expression compiler for every target,
 * with its own id (records and URLs say `kernel: "sq2"`, not `"expr"`), inputs and reference.
 */
export function namedExpression(n: NamedExpression): KernelSpec {
  const { kernel } = compileExpression(n.expr, n.ranges);
  const { source: _source, ...rest } = kernel;
  return {
    ...rest,
    id: n.id,
    title: n.title,
    summary: n.summary,
    defaultSize: n.defaultSize,
    work: n.work ?? kernel.work,
  };
}

const cache = new Map<string, CompiledExpression>();
/** Compiled expressions by source and ranges, for the pool's workers and repeated runs (at most 32 kept). */
export function cachedExpression(source: string, ranges: Ranges = {}): CompiledExpression {
  const key = `${source}\u0000${formatRanges(ranges)}`;
  let c = cache.get(key);
  if (!c) {
    c = compileExpression(source, ranges);
    if (cache.size >= 32) cache.delete(cache.keys().next().value as string);
    cache.set(key, c);
  }
  return c;
}
