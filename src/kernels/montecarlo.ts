import { SHADERS } from '../shaders.gen';
import { normalCdf } from './blackscholes';
import { montecarloWasm } from './montecarlo-wasm';
import { PHILOX_WGSL, philox4x32 } from './philox';
import type { CpuProgram, GpuPass, GpuProgram, GpuShader, KernelSpec } from './types';

/** The option and the model: a European call, spot 100, strike 100, r 2%, σ 30%, one year, 64 steps. */
export const MC = { s0: 100, k: 100, r: 0.02, sigma: 0.3, t: 1, steps: 64 } as const;

/** The Black–Scholes price of the same call: what the estimate should be within a few standard errors of. */
export function closedForm(): number {
  const { s0, k, r, sigma, t } = MC;
  const d1 = (Math.log(s0 / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * Math.sqrt(t));
  const d2 = d1 - sigma * Math.sqrt(t);
  return s0 * normalCdf(d1) - k * Math.exp(-r * t) * normalCdf(d2);
}

/** The seed as the key input: two exact 16-bit halves (float32 holds them exactly on every target). */
function keyInput(seed: number): Float32Array {
  return Float32Array.of(seed & 0xffff, seed >>> 16);
}
const seedOf = (key: Float32Array) => (key[0] | (key[1] << 16)) >>> 0;

const u01 = (x: number) => ((x >>> 8) + 0.5) * 2 ** -24; // exact in float32 and float64 alike

/** Path p's discounted-later payoff max(S_T − K, 0), in float64, from the same Philox stream as the GPU's. */
function payoff(path: number, seed: number, buf: Uint32Array): number {
  let w = 0;
  for (let j = 0; j < MC.steps / 4; j++) {
    philox4x32(path, j, 0, 0, seed, 0, buf);
    for (let h = 0; h < 4; h += 2) {
      const r = Math.sqrt(-2 * Math.log(u01(buf[h])));
      const theta = 2 * Math.PI * (u01(buf[h + 1]) - 0.5);
      w += -r * Math.cos(theta) + -r * Math.sin(theta);
    }
  }
  const dt = MC.t / MC.steps;
  const st = MC.s0 * Math.exp((MC.r - 0.5 * MC.sigma * MC.sigma) * MC.t + MC.sigma * Math.sqrt(dt) * w);
  return Math.max(st - MC.k, 0);
}

/** Price and standard error from the sums of payoffs and of their squares over n paths. */
function finish(sum: number, sumSq: number, n: number): [number, number] {
  const disc = Math.exp(-MC.r * MC.t);
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  return [disc * mean, disc * Math.sqrt(variance / n)];
}

/** A chunk of paths writes its two sums; the chunks' sums add up; the output is [price, standard error]. */
const cpu: CpuProgram = {
  items: (paths) => paths,
  align: 64,
  inputSpan: () => [0, 2],
  outputSpan: () => [0, 2],
  reduce: {
    width: 2,
    combine(partials, paths) {
      let s = 0;
      let q = 0;
      for (let c = 0; c < partials.length; c += 2) {
        s += partials[c];
        q += partials[c + 1];
      }
      return Float32Array.from(finish(s, q, paths));
    },
  },
  run(inputs, out, _paths, start, end, first = 0) {
    const seed = seedOf(inputs[0]);
    const buf = new Uint32Array(4);
    let s = 0;
    let q = 0;
    for (let p = start; p < end; p++) {
      const v = payoff(first + p, seed, buf); // the path's own number: its Philox counter
      s += v;
      q += v * v;
    }
    out[0] = s;
    out[1] = q;
  },
};

const CONSTS = `const S0: f32 = ${MC.s0}.0;
const K: f32 = ${MC.k}.0;
const R: f32 = ${MC.r};
const SIGMA: f32 = ${MC.sigma};
const T: f32 = ${MC.t}.0;
const STEPS: u32 = ${MC.steps}u;
override WG: u32 = 256u;`;

/** Folds (a, b) of every invocation into dst[2·group], dst[2·group + 1] by a tree in workgroup memory. */
const FOLD = `var<workgroup> s1: array<f32, WG>;
var<workgroup> s2: array<f32, WG>;
fn fold_group(lid: u32, a: f32, b: f32, group: u32) {
  s1[lid] = a;
  s2[lid] = b;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      s1[lid] += s1[lid + stride];
      s2[lid] += s2[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    dst[2u * group] = s1[0];
    dst[2u * group + 1u] = s2[0];
  }
}`;
const ENTRY = `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let group = params.offset + wid.y * nwg.x + wid.x;
  if (group * WG >= params.n) {
    return;
  }
  let i = group * WG + lid;`;
const n = (name: 'n') => ({ name, type: 'u32' as const });

const shaders: Record<string, GpuShader> = {
  main: {
    label: 'montecarlo.wgsl paths',
    bindings: [
      { name: 'key', access: 'read' },
      { name: 'dst', access: 'read_write' },
    ],
    uniforms: [n('n')],
    workgroup: 'device',
    body: `${CONSTS}\n${PHILOX_WGSL}\n${SHADERS.montecarlo}\n${FOLD}\n${ENTRY}
  let seed = u32(key[0]) | (u32(key[1]) << 16u);
  var p = 0.0;
  if (i < params.n) {
    p = payoff(i, seed);
  }
  fold_group(lid, p, p * p, group);
}`,
  },
  fold: {
    label: 'montecarlo.wgsl fold',
    bindings: [
      { name: 'src', access: 'read' },
      { name: 'dst', access: 'read_write' },
    ],
    uniforms: [n('n')],
    workgroup: 'device',
    body: `override WG: u32 = 256u;\n${FOLD}\n${ENTRY}
  var a = 0.0;
  var b = 0.0;
  if (i < params.n) {
    a = src[2u * i];
    b = src[2u * i + 1u];
  }
  fold_group(lid, a, b, group);
}`,
  },
  finish: {
    label: 'montecarlo.wgsl finish',
    bindings: [
      { name: 'sums', access: 'read' },
      { name: 'out', access: 'read_write' },
    ],
    uniforms: [n('n')],
    workgroup: 1,
    body: `@compute @workgroup_size(1)
fn main() {
  let n = f32(params.n);
  let disc = exp(-${MC.r} * ${MC.t}.0);
  let mean = sums[0] / n;
  var variance = 0.0;
  if (params.n > 1u) {
    variance = max(0.0, (sums[1] - n * mean * mean) / (n - 1.0));
  }
  out[0] = disc * mean;
  out[1] = disc * sqrt(variance / n);
}`,
  },
};

const gpu: GpuProgram = {
  variant: 'default',
  shaders,
  // Paths → one (Σp, Σp²) per workgroup → folds until one pair → finish. A path is STEPS draws, so a
  // submission holds budget / (WG · STEPS) workgroups of paths.
  plan(paths, ctx) {
    const passes: GpuPass[] = [];
    const scratch: { name: string; length: number }[] = [];
    let count = paths;
    let src = 'in0';
    for (let level = 0; ; level++) {
      const groups = Math.ceil(count / ctx.wg);
      const dst = groups === 1 ? 'sums' : `partials${level}`;
      scratch.push({ name: dst, length: 2 * groups });
      const perPath = level === 0 ? MC.steps : 1;
      passes.push({
        shader: level === 0 ? 'main' : 'fold',
        groups,
        perSubmission: Math.max(1, Math.floor(ctx.budget.elements / (ctx.wg * perPath))),
        buffers: [src, dst],
        uniforms: { n: count },
      });
      if (groups === 1) break;
      src = dst;
      count = groups;
    }
    passes.push({
      shader: 'finish',
      groups: 1,
      perSubmission: 1,
      buffers: ['sums', 'out'],
      uniforms: { n: paths },
    });
    return { scratch, passes };
  },
};

/** A European call priced by simulating `size` paths; output [price, standard error]. */
export const montecarlo: KernelSpec = {
  id: 'montecarlo',
  title: 'Monte Carlo',
  summary: `a European call (S ${MC.s0}, K ${MC.k}, r 2%, σ 30%, 1 year) by size paths of ${MC.steps} log-normal steps; Philox4x32-10 normals, the same paths on every backend; compute-bound`,
  bound: 'compute',
  sizeLabel: 'paths',
  describeSize: (paths) => `${paths} paths`,
  defaultSize: 1 << 18,
  minSize: 1,
  maxSize: 2 ** 28,
  sweepSizes: (maxElements) => {
    const out: number[] = [];
    for (let n = 256; n <= Math.min(2 ** 22, maxElements); n *= 4) out.push(n);
    return out;
  },
  testSizes: [1, 3, 255, 1023, 20011],
  inputNames: ['key'],
  inputLength: () => 2,
  makeInputs: (_paths, seed) => [keyInput(seed)],
  outputLength: () => 2,
  describeResult([price, se]) {
    const exact = closedForm();
    const z = se > 0 ? ` (${(Math.abs(price - exact) / se).toFixed(1)} standard errors away)` : '';
    return `estimate ${price.toFixed(4)} ± ${se.toFixed(4)}; Black–Scholes closed form ${exact.toFixed(4)}${z}`;
  },
  reference(inputs, paths) {
    const seed = seedOf(inputs[0]);
    const buf = new Uint32Array(4);
    let s = 0;
    let q = 0;
    for (let p = 0; p < paths; p++) {
      const v = payoff(p, seed, buf);
      s += v;
      q += v * v;
    }
    return { indices: null, values: Float64Array.from(finish(s, q, paths)) };
  },
  // Every backend replays the reference's paths; what differs is float32 (WGSL's sin and cos are only
  // bounded to 2^-11 absolute in [-π, π], log to 2^-21): a path's S_T may move by ~1e-4 relative, and the
  // sums are float32 trees. So 2e-4 relative, plus 2e-3 (dollars) for prices and errors near zero.
  tolerance: () => ({ abs: 2e-3, rel: 2e-4 }),
  // Per path: 16 Philox calls (10 rounds of ~20 integer operations), 64 normals (log, sqrt, sin, cos and
  // ~10 flops each), one exp: counted as 64 · 60 flops. Bytes: nothing streams; 8 read, 8 written.
  work: (paths) => ({ flops: MC.steps * 60 * paths, bytes: 16 }),
  cpu,
  wasm: montecarloWasm,
  gpu,
};
