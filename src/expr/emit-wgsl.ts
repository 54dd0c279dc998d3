import { elementwisePlan, REDUCE_ITEMS, shaderCode, treeReductionPlan } from '../kernels/gpu-program';
import type { BufferName, GpuPass, GpuProgram, GpuShader } from '../kernels/types';
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

/**
 * `fn value(i: u32) -> f32`, computing one element in SSA `let`s (no deep nesting for the compiler);
 * with `args`, `fn value(v0: f32, …) -> f32` over values already loaded (the vec4 variant's lanes).
 */
function valueFn(p: Program, need: Set<string>, form: 'index' | 'args' = 'index'): string {
  const L: string[] = [
    form === 'index'
      ? 'fn value(i: u32) -> f32 {'
      : `fn value(${p.vars.map((_, j) => `v${j}: f32`).join(', ')}) -> f32 {`,
  ];
  p.ins.forEach((s, k) => {
    const t = `t${k}`;
    let e: string;
    switch (s.op) {
      case 'const':
        e = wgslConst(s.value, need);
        break;
      case 'var':
        e = form === 'index' ? `in${s.index}[i]` : `v${s.index}`;
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

function reducerParts(op: ReductionName, need: Set<string>, items: number): string {
  if (op === 'min' || op === 'max') {
    need.add('kp_inf');
    need.add('kp_nan');
    need.add('kp_isnan');
  }
  return `fn combine(a: f32, b: f32) -> f32 { return ${COMBINE[op]}; }
const ITEMS: u32 = ${items}u;
var<workgroup> scratch: array<f32, WG>;`;
}

/** How a workgroup combines its invocations' values: a tree in workgroup memory, or subgroupAdd first. */
type Fold = 'tree' | 'subgroup';

/** One workgroup folds ITEMS*WG elements into dst[group]: per-invocation, then across the workgroup. */
function reduceMain(op: ReductionName, load: string, dst: string, fold: Fold = 'tree'): string {
  if (fold === 'subgroup') return subgroupReduceMain(load, dst);
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

/**
 * A sum's workgroup: each invocation adds ITEMS elements, subgroupAdd folds each subgroup in registers,
 * one value per subgroup goes to workgroup memory, and the first invocation adds those (at most WG / 4).
 */
function subgroupReduceMain(load: string, dst: string): string {
  return `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sid: u32,
        @builtin(subgroup_size) ssize: u32) {
  let group = params.offset + wid.y * nwg.x + wid.x;
  let base = group * WG * ITEMS;
  if (base >= params.n) {
    return;
  }
  var s = 0.0;
  for (var j = 0u; j < ITEMS; j++) {
    let i = base + j * WG + lid;
    if (i < params.n) {
      s = s + ${load};
    }
  }
  let t = subgroupAdd(s);
  if (sid == 0u) {
    scratch[lid / ssize] = t;
  }
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var k = 0u; k < (WG + ssize - 1u) / ssize; k++) {
      total = total + scratch[k];
    }
    ${dst}[group] = total;
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

/** How a variant runs an expression: one element or a vec4 per invocation; ITEMS and the fold of a reduction. */
interface Shape {
  vec4?: boolean;
  items?: number;
  fold?: Fold;
}

function label(p: Program): string {
  // No user text but letters, digits and operators reaches the WGSL, and only in this comment.
  return `expression ${p.source.replace(/[^A-Za-z0-9_ +\-*/%<>=!&|~().,;]/g, ' ')}`;
}

/**
 * The first (or only) shader of a program: bindings in0..ink (alphabetical variables), then out.
 * Elementwise: one element per invocation, or (vec4) four through vec4 bindings. Reductions: the
 * first pass of a tree reduction.
 */
function mainShader(p: Program, shape: Shape = {}): GpuShader {
  const need = new Set<string>();
  const value = valueFn(p, need, shape.vec4 ? 'args' : 'index');
  let main: string;
  let extra = '';
  if (p.reduction) {
    extra = reducerParts(p.reduction, need, shape.items ?? REDUCE_ITEMS);
    main = reduceMain(p.reduction, 'value(i)', 'out', shape.fold);
  } else if (shape.vec4) {
    const loads = p.vars.map((_, j) => `  let x${j} = in${j}[q];`).join('\n');
    const lane = (c: string) => `value(${p.vars.map((_, j) => `x${j}.${c}`).join(', ')})`;
    main = `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let q = (params.offset + wid.y * nwg.x + wid.x) * WG + lid;
  if (q * 4u >= params.n) {
    return;
  }
${loads}
  out[q] = vec4f(${['x', 'y', 'z', 'w'].map(lane).join(', ')});
}`;
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
  const type = shape.vec4 ? ('vec4f' as const) : undefined;
  return {
    label: label(p) + (shape.vec4 ? ' (vec4)' : ''),
    bindings: [
      ...p.vars.map((v, j) => ({
        name: `in${j}`,
        access: 'read' as const,
        note: v,
        ...(type ? { type } : {}),
      })),
      { name: 'out', access: 'read_write', ...(type ? { type } : {}) },
    ],
    uniforms: UNIFORMS,
    workgroup: 'device',
    ...(shape.fold === 'subgroup' ? { enables: ['subgroups'] } : {}),
    body: body([helpersText(need), extra, value, main]),
  };
}

/** The passes of a reduction after the first: fold partials src -> dst with the same operation. */
function foldShader(op: ReductionName, shape: Shape = {}): GpuShader {
  const need = new Set<string>();
  const parts = reducerParts(op, need, shape.items ?? REDUCE_ITEMS);
  return {
    label: `${op}-reduction of partials`,
    bindings: [
      { name: 'src', access: 'read' },
      { name: 'dst', access: 'read_write' },
    ],
    uniforms: UNIFORMS,
    workgroup: 'device',
    ...(shape.fold === 'subgroup' ? { enables: ['subgroups'] } : {}),
    body: body([helpersText(need), parts, reduceMain(op, 'src[i]', 'dst', shape.fold)]),
  };
}

/** The default GPU program of an expression: its shaders and the plan (one pass, or a tree of passes). */
export function wgslProgram(p: Program): GpuProgram {
  return wgslPrograms(p)[0];
}

/** Expressions longer than this many steps have no vec4 variant. */
export const VEC4_MAX_STEPS = 256;

/**
 * Every GPU program of an expression, the default first. Elementwise: 'x1' (one element per
 * invocation) and 'vec4' (four, through vec4 loads and stores; the buffers are padded to whole vec4s,
 * so the last partial vec4 is the tail). Reductions: 'tree4' (four elements per invocation, then a tree
 * in workgroup memory), 'items16' (sixteen: a quarter of the workgroups and often one pass fewer), and
 * for sums on adapters with subgroups, 'subgroup' (sixteen, then subgroupAdd before workgroup memory).
 */
export function wgslPrograms(p: Program): GpuProgram[] {
  const steps = stepsProgram(p);
  return steps ? [...fusedPrograms(p), steps] : fusedPrograms(p);
}

/** Chains longer than this have no `steps` variant (each step is a shader to compile and a dispatch). */
export const MAX_CHAIN_STEPS = 64;

/** Why an expression has no `steps` variant, in words; undefined when it has one or is no chain. */
export function stepsMissing(p: Program): string | undefined {
  if (p.stagesMissing) return p.stagesMissing;
  if (p.stages && p.stages.length - 1 > MAX_CHAIN_STEPS)
    return `the chain has ${p.stages.length - 1} steps; one dispatch per step is offered up to ${MAX_CHAIN_STEPS}`;
  return undefined;
}

/**
 * A chain (`x = a*a + b*b; sqrt(x)`) run as CuPy runs it: one dispatch per step, each step's value
 * written to a GPU buffer that later steps read, so the chain stays on the device and only the output
 * is read back. Each step is the default program of that step alone. A step's buffer is reused once
 * the last step that reads it has run, so a straight chain needs two, however long.
 */
function stepsProgram(p: Program): GpuProgram | null {
  if (!p.stages || stepsMissing(p)) return null;
  const stages = p.stages.map((s) => ({ ...s, gpu: fusedPrograms(s.program)[0] }));
  const last = stages.length - 1;
  const shaders: Record<string, GpuShader> = {};
  stages.forEach((s, k) => {
    for (const [key, shader] of Object.entries(s.gpu.shaders)) shaders[`s${k}.${key}`] = shader;
  });
  // buffers for the steps' values: one per value alive at once
  const lastUse = new Map<string, number>();
  stages.forEach((s, k) => {
    for (const v of s.program.vars) if (!p.vars.includes(v)) lastUse.set(v, k);
  });
  const slotOf = new Map<string, number>();
  const free: number[] = [];
  let slots = 0;
  stages.forEach((s, k) => {
    if (k < last) slotOf.set(s.name, free.pop() ?? slots++); // taken before this step's inputs are freed
    for (const v of s.program.vars) if (lastUse.get(v) === k) free.push(slotOf.get(v)!);
  });
  const stepBuffer = (name: string) => `step${slotOf.get(name)}`;
  const names = stages.slice(0, last).map((s) => s.name);
  return {
    variant: 'steps',
    summary: `one dispatch per step (${names.length > 4 ? `${names.slice(0, 3).join(', ')}, … ${names.length} steps` : names.join(', ')}, then the output); each step's values stay in a GPU buffer the next steps read`,
    shaders,
    plan: (size, ctx) => {
      const scratch = Array.from({ length: slots }, (_, j) => ({ name: `step${j}`, length: size }));
      const passes: GpuPass[] = [];
      stages.forEach((s, k) => {
        const rename = (b: BufferName): BufferName => {
          const m = /^in(\d+)$/.exec(b);
          if (m) {
            const v = s.program.vars[Number(m[1])];
            return p.vars.includes(v) ? `in${p.vars.indexOf(v)}` : stepBuffer(v);
          }
          if (b === 'out') return k === last ? 'out' : stepBuffer(s.name);
          return `s${k}.${b}`;
        };
        const sub = s.gpu.plan(size, ctx);
        for (const sc of sub.scratch) scratch.push({ name: rename(sc.name), length: sc.length });
        for (const pass of sub.passes)
          passes.push({ ...pass, shader: `s${k}.${pass.shader}`, buffers: pass.buffers.map(rename) });
      });
      return { scratch, passes };
    },
  };
}

/** The programs that run an expression (a chain fused) as one kernel. */
function fusedPrograms(p: Program): GpuProgram[] {
  const k = p.vars.length;
  if (!p.reduction) {
    const x1: GpuProgram = {
      variant: 'x1',
      summary: 'one element per invocation',
      shaders: { main: mainShader(p) },
      plan: (size, ctx) => elementwisePlan(size, k, ctx, UNIFORM_VALUES),
    };
    // Four lanes are four copies of the element's code once the compiler inlines it: for a long
    // expression that costs more compile time than vec4 loads can save, so it gets x1 alone.
    if (p.ins.length > VEC4_MAX_STEPS) return [x1];
    return [
      x1,
      {
        variant: 'vec4',
        summary: 'four elements per invocation: vec4 loads and stores, the tail in the last vec4',
        shaders: { main: mainShader(p, { vec4: true }) },
        plan: (size, ctx) => elementwisePlan(size, k, ctx, UNIFORM_VALUES, 'main', 4),
      },
    ];
  }
  const op = p.reduction;
  const tree = (variant: string, summary: string, shape: Shape): GpuProgram => ({
    variant,
    summary,
    ...(shape.fold === 'subgroup' ? { requires: { features: ['subgroups'] } } : {}),
    shaders: { main: mainShader(p, shape), fold: foldShader(op, shape) },
    plan: (size, ctx) => treeReductionPlan(size, k, ctx, UNIFORM_VALUES, undefined, shape.items),
  });
  return [
    tree('tree4', `${REDUCE_ITEMS} elements per invocation, a tree in workgroup memory`, {}),
    tree('items16', '16 elements per invocation, a tree in workgroup memory (fewer passes)', { items: 16 }),
    ...(op === 'sum'
      ? [
          tree('subgroup', '16 elements per invocation, subgroupAdd, then one value per subgroup', {
            items: 16,
            fold: 'subgroup',
          }),
        ]
      : []),
  ];
}

/** The WGSL text of every shader of a program, as the GPU compiles it (for --print and the editor). */
export function wgslText(g: GpuProgram): string {
  return Object.values(g.shaders).map(shaderCode).join('\n\n');
}
