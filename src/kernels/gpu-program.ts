/**
 * What every GPU program shares: the WGSL header generated from a shader's declarations, the host
 * packing of its uniforms (from the same declarations, so the two cannot drift apart), and the plans
 * of the two common shapes (one invocation per element; a tree reduction).
 */
import type { BufferName, GpuPass, GpuPlan, GpuProgram, GpuShader, KernelSpec, PlanContext } from './types';

/** Every GPU program of a kernel: the default first, then its variants. */
export function gpuPrograms(kernel: KernelSpec): readonly GpuProgram[] {
  return [kernel.gpu, ...(kernel.gpuVariants ?? [])];
}

/** The message for a pin of a variant the kernel does not have: what it has, and why not that one if known. */
export function noSuchVariant(kernel: KernelSpec, variant: string): string {
  const ids = gpuPrograms(kernel).map((p) => p.variant);
  const why = kernel.gpuVariantsMissing?.[variant];
  return `${kernel.id === 'expr' ? 'the expression' : kernel.id} has no GPU variant '${variant}'${why ? ` (${why})` : ''}: choose one of ${ids.join(', ')}`;
}

/** What a device offers that variants may need. */
export interface DeviceTraits {
  maxInvocations: number;
  features: ReadonlySet<string>;
}

/** Why a program cannot run on a device at a size, in words; undefined when it can. */
export function ineligible(program: GpuProgram, device: DeviceTraits, size: number): string | undefined {
  const r = program.requires;
  if (!r) return undefined;
  if (r.invocations && r.invocations > device.maxInvocations)
    return `needs ${r.invocations} invocations per workgroup; this device allows ${device.maxInvocations}`;
  const missing = (r.features ?? []).filter((f) => !device.features.has(f));
  if (missing.length) return `needs the feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  if (r.sizeMultiple && size % r.sizeMultiple !== 0)
    return `needs a size that is a multiple of ${r.sizeMultiple}`;
  return undefined;
}

/** `struct Params` and the bindings: what a shader's body may use. */
export function wgslHeader(s: GpuShader): string {
  const fields = [...s.uniforms.map((u) => `${u.name}: ${u.type}`), 'offset: u32'];
  return [
    ...(s.enables ?? []).map((e) => `enable ${e};`),
    ...(s.diagnosticsOff ?? []).map((d) => `diagnostic(off, ${d});`),
    `// ${s.label} (header generated from its declarations)`,
    `struct Params { ${fields.join(', ')} }`,
    '@group(0) @binding(0) var<uniform> params: Params;',
    ...s.bindings.map(
      (b, i) =>
        `@group(0) @binding(${i + 1}) var<storage, ${b.access}> ${b.name}: array<${b.type ?? 'f32'}>;${b.note ? ` // ${b.note}` : ''}`,
    ),
  ].join('\n');
}

const codeCache = new WeakMap<GpuShader, string>();
/** The whole WGSL module of a shader: header, then body. */
export function shaderCode(s: GpuShader): string {
  let c = codeCache.get(s);
  if (c === undefined) {
    c = `${wgslHeader(s)}\n\n${s.body}`;
    codeCache.set(s, c);
  }
  return c;
}

/**
 * The Params bytes of one submission: each declared uniform from `values`, in order, then `offset`;
 * padded to a multiple of 16 bytes (and at least 16) as uniform buffers must be.
 */
export function packParams(
  s: GpuShader,
  values: Readonly<Record<string, number>>,
  offset: number,
): ArrayBuffer {
  const words = s.uniforms.length + 1;
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((words * 4) / 16) * 16));
  const dv = new DataView(buf);
  s.uniforms.forEach((u, i) => {
    const v = values[u.name];
    if (v === undefined) throw new Error(`${s.label}: the plan gives no value for uniform '${u.name}'`);
    if (u.type === 'u32') dv.setUint32(i * 4, v, true);
    else dv.setFloat32(i * 4, v, true);
  });
  dv.setUint32(s.uniforms.length * 4, offset, true);
  return buf;
}

/** `n` inputs as buffer names in0..in(n-1). */
export function inputBuffers(count: number): BufferName[] {
  return Array.from({ length: count }, (_, k) => `in${k}`);
}

/**
 * One invocation per output element (or per `perInvocation` elements): ceil(n / (wg · perInvocation))
 * workgroups reading every input, writing `out`; the uniform n is the element count.
 */
export function elementwisePlan(
  n: number,
  inputs: number,
  ctx: PlanContext,
  uniforms: Readonly<Record<string, number>>,
  shader = 'main',
  perInvocation = 1,
): GpuPlan {
  const perGroup = ctx.wg * perInvocation;
  return {
    scratch: [],
    passes: [
      {
        shader,
        groups: Math.ceil(n / perGroup),
        perSubmission: Math.max(1, Math.floor(ctx.budget.elements / perGroup)),
        buffers: [...inputBuffers(inputs), 'out'],
        uniforms: { ...uniforms, n },
      },
    ],
  };
}

/** Elements one invocation of a reduction pass folds before the workgroup tree (`ITEMS` in its WGSL). */
export const REDUCE_ITEMS = 4;

/**
 * A tree reduction: the first pass (`first`) reads the inputs and leaves one partial per workgroup of
 * ITEMS*WG elements; `fold` passes fold partials the same way until one value, in `out`, is left.
 */
export function treeReductionPlan(
  n: number,
  inputs: number,
  ctx: PlanContext,
  uniforms: Readonly<Record<string, number>>,
  shaders: { first: string; fold: string } = { first: 'main', fold: 'fold' },
  items = REDUCE_ITEMS,
): GpuPlan {
  const perGroup = ctx.wg * items;
  const perSubmission = Math.max(1, Math.floor(ctx.budget.elements / perGroup));
  const scratch: { name: string; length: number }[] = [];
  const passes: GpuPass[] = [];
  let count = n;
  let src: BufferName[] = inputBuffers(inputs);
  for (let level = 0; ; level++) {
    const groups = Math.ceil(count / perGroup);
    let dst = 'out';
    if (groups > 1) {
      dst = `partials${level}`;
      scratch.push({ name: dst, length: groups });
    }
    passes.push({
      shader: level === 0 ? shaders.first : shaders.fold,
      groups,
      perSubmission,
      buffers: [...src, dst],
      uniforms: { ...uniforms, n: count },
    });
    if (groups === 1) break;
    src = [dst];
    count = groups;
  }
  return { scratch, passes };
}
