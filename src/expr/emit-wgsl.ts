import { elementwisePlan, REDUCE_ITEMS, shaderCode, treeReductionPlan } from '../kernels/gpu-program';
import type { GpuProgram, GpuShader } from '../kernels/types';
import { FUNCTIONS, type ReductionName } from './functions';
import type { Program } from './ir';
import { powiPlan } from './powi';
import { HELPER_DEPS, WGSL_HELPERS } from './wgsl-helpers';

/** A float32 constant as WGSL source (infinities and NaN through bit patterns: WGSL has no literal). */
function wgslConst(v: number, need: Set<string>): string {
  const f = Math.fround(v);
  if (Number.isNaN(f)) {
    need.add('kp_nan');
    return 'kp_nan()';
  }
  if (!Number.isFinite(f)) {
    need.add('kp_inf');
    return f > 0 ? 'kp_inf()' : '(-kp_inf())';
  }
  const s = String(Math.abs(f));
  return f < 0 || Object.is(f, -0) ? `(-${s}f)` : `${s}f`;
}

function use(name: string, need: Set<string>): void {
  for (const d of HELPER_DEPS[name] ?? []) use(d, need);
  need.add(name);
}

/** The numeric operands whose NaN makes the step's result NaN (pow has its own rules in kp_pow). */
function nanOperands(s: Program['ins'][number]): number[] {
  switch (s.op) {
    case 'neg':
    case 'powi':
      return [s.a];
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'mod':
      return [s.a, s.b];
    case 'call':
      return s.args;
    default:
      return [];
  }
}

/** `fn value(i: u32) -> f32`, computing one element in SSA `let`s (no deep nesting for the compiler). */
function valueFn(p: Program, need: Set<string>): string {
  const L: string[] = ['fn value(i: u32) -> f32 {'];
  p.ins.forEach((s, k) => {
    const t = `t${k}`;
    let e: string;
    switch (s.op) {
      case 'const':
        e = wgslConst(s.value, need);
        break;
      case 'var':
        e = `in${s.index}[i]`;
        break;
      case 'neg':
        e = `-t${s.a}`;
        break;
      case 'not':
        e = `!t${s.a}`;
        break;
      case 'tonum':
        e = `select(0.0, 1.0, t${s.a})`;
        break;
      case 'add':
      case 'sub':
      case 'mul':
        e = `t${s.a} ${{ add: '+', sub: '-', mul: '*' }[s.op]} t${s.b}`;
        break;
      case 'div':
        use('kp_div', need);
        e = `kp_div(t${s.a}, t${s.b})`;
        break;
      case 'mod':
        use('kp_mod', need);
        e = `kp_mod(t${s.a}, t${s.b})`;
        break;
      case 'pow':
        use('kp_pow', need);
        e = `kp_pow(t${s.a}, t${s.b})`;
        break;
      case 'and':
        e = `t${s.a} && t${s.b}`;
        break;
      case 'or':
        e = `t${s.a} || t${s.b}`;
        break;
      case 'cmp':
        // With a NaN operand every comparison is false but != (true), whatever the compiler assumes.
        use('kp_isnan', need);
        e = `select(t${s.a} ${s.cmp} t${s.b}, ${s.cmp === '!=' ? 'true' : 'false'}, kp_isnan(t${s.a}) || kp_isnan(t${s.b}))`;
        break;
      case 'where':
        e = `select(t${s.b}, t${s.a}, t${s.c})`;
        break;
      case 'powi': {
        if (s.n === 0) {
          e = '1.0';
          break;
        }
        const names = [`t${s.a}`];
        for (const [x, y] of powiPlan(s.n)) {
          const name = `${t}_${names.length}`;
          L.push(`  let ${name} = ${names[x]} * ${names[y]};`);
          names.push(name);
        }
        const last = names[names.length - 1];
        e = s.n < 0 ? `1.0 / ${last}` : last;
        break;
      }
      case 'call': {
        const f = FUNCTIONS.get(s.fn)!;
        for (const h of f.helpers ?? []) use(h, need);
        e = f.wgsl(...s.args.map((a) => `t${a}`));
        break;
      }
    }
    // NaN in, NaN out (NumPy's rule for every arithmetic operation and function), by bit tests: WGSL
    // lets implementations assume no NaN, and some return a number (tanh(NaN) = -1 on lavapipe).
    const operands = nanOperands(s);
    if (operands.length && !(s.op === 'powi' && s.n === 0)) {
      use('kp_nan', need);
      use('kp_isnan', need);
      e = `select(${e}, kp_nan(), ${operands.map((o) => `kp_isnan(t${o})`).join(' || ')})`;
    }
    L.push(`  let ${t} = ${e};`);
  });
  const r = `t${p.result}`;
  L.push(`  return ${p.types[p.result] === 'bool' ? `select(0.0, 1.0, ${r})` : r};`, '}');
  return L.join('\n');
}

const IDENTITY: Record<ReductionName, string> = {
  sum: '0.0',
  prod: '1.0',
  min: 'kp_inf()',
  max: '-kp_inf()',
};
const COMBINE: Record<ReductionName, string> = {
  sum: 'a + b',
  prod: 'a * b',
  // NaN wins, as in NumPy's min and max (WGSL's min and max may drop it).
  min: 'select(min(a, b), kp_nan(), kp_isnan(a) || kp_isnan(b))',
  max: 'select(max(a, b), kp_nan(), kp_isnan(a) || kp_isnan(b))',
};

function reducerParts(op: ReductionName, need: Set<string>): string {
  if (op === 'min' || op === 'max') {
    need.add('kp_inf');
    need.add('kp_nan');
    need.add('kp_isnan');
  }
  return `fn combine(a: f32, b: f32) -> f32 { return ${COMBINE[op]}; }
const ITEMS: u32 = ${REDUCE_ITEMS}u;
var<workgroup> scratch: array<f32, WG>;`;
}

/** One workgroup folds ITEMS*WG elements into dst[group]: per-invocation, then a tree in workgroup memory. */
function reduceMain(op: ReductionName, load: string, dst: string): string {
  return `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let group = params.offset + wid.y * nwg.x + wid.x;
  let base = group * WG * ITEMS;
  if (base >= params.n) {
    return;
  }
  var s = ${IDENTITY[op]};
  for (var j = 0u; j < ITEMS; j++) {
    let i = base + j * WG + lid;
    if (i < params.n) {
      s = combine(s, ${load});
    }
  }
  scratch[lid] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      scratch[lid] = combine(scratch[lid], scratch[lid + stride]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    ${dst}[group] = scratch[0];
  }
}`;
}

function helpersText(need: Set<string>): string {
  const order = Object.keys(WGSL_HELPERS).filter((h) => need.has(h));
  return order.map((h) => WGSL_HELPERS[h]).join('\n');
}

/** n, and +infinity and NaN for kp_inf() and kp_nan() (WGSL has no literals for them). */
const UNIFORMS: GpuShader['uniforms'] = [
  { name: 'n', type: 'u32' },
  { name: 'inf', type: 'f32' },
  { name: 'nan', type: 'f32' },
];
const UNIFORM_VALUES = { inf: Number.POSITIVE_INFINITY, nan: Number.NaN };

function body(parts: string[]): string {
  return ['override WG: u32 = 256u;', ...parts].filter(Boolean).join('\n\n');
}

/**
 * The first (or only) shader of a program: bindings in0..ink (alphabetical variables), then out.
 * Elementwise: one element per invocation. Reductions: the first pass of a tree reduction.
 */
function mainShader(p: Program): GpuShader {
  const need = new Set<string>();
  const value = valueFn(p, need);
  let main: string;
  let extra = '';
  if (p.reduction) {
    extra = reducerParts(p.reduction, need);
    main = reduceMain(p.reduction, 'value(i)', 'out');
  } else {
    main = `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (params.offset + wid.y * nwg.x + wid.x) * WG + lid;
  if (i < params.n) {
    out[i] = value(i);
  }
}`;
  }
  return {
    // No user text but letters, digits and operators reaches the WGSL, and only in this comment.
    label: `expression ${p.source.replace(/[^A-Za-z0-9_ +\-*/%<>=!&|~().,]/g, ' ')}`,
    bindings: [
      ...p.vars.map((v, j) => ({ name: `in${j}`, access: 'read' as const, note: v })),
      { name: 'out', access: 'read_write' },
    ],
    uniforms: UNIFORMS,
    workgroup: 'device',
    body: body([helpersText(need), extra, value, main]),
  };
}

/** The passes of a reduction after the first: fold partials src -> dst with the same operation. */
function foldShader(op: ReductionName): GpuShader {
  const need = new Set<string>();
  const parts = reducerParts(op, need);
  return {
    label: `${op}-reduction of partials`,
    bindings: [
      { name: 'src', access: 'read' },
      { name: 'dst', access: 'read_write' },
    ],
    uniforms: UNIFORMS,
    workgroup: 'device',
    body: body([helpersText(need), parts, reduceMain(op, 'src[i]', 'dst')]),
  };
}

/** The GPU program of an expression: its shaders and the plan (one pass, or a tree of passes). */
export function wgslProgram(p: Program): GpuProgram {
  const main = mainShader(p);
  const k = p.vars.length;
  if (!p.reduction) {
    return {
      variant: 'default',
      shaders: { main },
      plan: (size, ctx) => elementwisePlan(size, k, ctx, UNIFORM_VALUES),
    };
  }
  return {
    variant: 'default',
    shaders: { main, fold: foldShader(p.reduction) },
    plan: (size, ctx) => treeReductionPlan(size, k, ctx, UNIFORM_VALUES),
  };
}

/** The WGSL text of every shader of a program, as the GPU compiles it (for --print and the editor). */
export function wgslText(g: GpuProgram): string {
  return Object.values(g.shaders).map(shaderCode).join('\n\n');
}
