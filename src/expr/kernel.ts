import { InputError } from '../errors';
import { MAX_ELEMENTS, packUniforms } from '../kernels/common';
import { DEFAULT_INPUT, drawInput, type Ranges, type VarInput } from '../kernels/rng';
import type { KernelSpec } from '../kernels/types';
import { Cascade, compileJs } from './compile-js';
import { emitJs } from './emit-js';
import { emitReduceWgsl, emitWgsl } from './emit-wgsl';
import { lower, type Program } from './ir';
import { parse } from './parser';
import { referenceOf } from './reference';

export const EXPR_DEFAULT_SIZE = 1 << 20;
export { DEFAULT_INPUT, type Ranges, type VarInput } from '../kernels/rng';

/**
 * Parses the `ranges` option: "a:0:10" (uniform on [0, 10]) or "a:normal:0:1" (normal, mean 0,
 * standard deviation 1), comma-separated.
 */
export function parseRanges(text: string): Record<string, VarInput> {
  const out: Record<string, VarInput> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*):(?:(uniform|normal):)?([^:]+):([^:]+)$/.exec(part);
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
  wgsl: string;
  /** The passes after the first of a reduction (null for elementwise expressions). */
  reduceWgsl: string | null;
  kernel: KernelSpec;
}

function countOps(p: Program): number {
  return p.ins.filter((s) => s.op !== 'const' && s.op !== 'var').length;
}

/** Compiles an expression into a kernel for every backend; throws ExprError with a column. */
export function compileExpression(source: string, ranges: Ranges = {}): CompiledExpression {
  const program = lower(parse(source), source);
  const js = emitJs(program);
  const wgsl = emitWgsl(program);
  const reduceWgsl = program.reduction ? emitReduceWgsl(program.reduction) : null;
  const cpu = compileJs(js);
  const { vars, reduction } = program;
  for (const name of Object.keys(ranges)) {
    if (!vars.includes(name))
      throw new InputError(`a range is given for '${name}', which the expression does not use`);
  }
  const ops = countOps(program);
  const kernel: KernelSpec = {
    id: 'expr',
    title: source,
    source: { expr: source, ranges },
    summary: `${reduction ? `${reduction} of ` : ''}an expression of ${vars.join(', ')}: ${ops} operation${ops === 1 ? '' : 's'} per element`,
    kind: reduction ? 'reduction' : 'elementwise',
    sizeLabel: 'elements',
    defaultSize: EXPR_DEFAULT_SIZE,
    minSize: 1,
    maxSize: MAX_ELEMENTS,
    inputNames: vars,
    inputLength: (size) => size,
    outputLength: (size) => (reduction ? 1 : size),
    items: (size) => size,
    inputSpan: (_s, _i, start, end) => [start, end],
    outputSpan: (_s, start, end) => (reduction ? [0, 1] : [start, end]),
    makeInputs: (size, seed) => vars.map((v, k) => drawInput(ranges[v] ?? DEFAULT_INPUT, size, seed, k)),
    cpu,
    ...(reduction
      ? {
          combine(partials: Float32Array) {
            const c = new Cascade(reduction);
            for (const x of partials) c.push(x);
            return Float32Array.of(c.result());
          },
        }
      : {}),
    reference: (inputs, size) => referenceOf(program, inputs, size),
    tolerance: () => ({ abs: 0, rel: 0 }),
    work: (size) => ({ flops: ops * size, bytes: 4 * size * vars.length + 4 * (reduction ? 1 : size) }),
    gpu: {
      shader: 'expr',
      code: wgsl,
      entryPoint: 'main',
      ...(reduceWgsl ? { reduce: { code: reduceWgsl, entryPoint: 'main' } } : {}),
      // n, +infinity and NaN for kp_inf() and kp_nan() (WGSL has no literals for them), offset.
      uniforms: (n, offset) =>
        packUniforms([
          ['u32', n],
          ['f32', Number.POSITIVE_INFINITY],
          ['f32', Number.NaN],
          ['u32', offset],
        ]),
    },
  };
  return { program, js, wgsl, reduceWgsl, kernel };
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
