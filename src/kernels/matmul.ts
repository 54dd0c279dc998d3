import { SHADERS } from '../shaders.gen';
import { matmulWasm } from './matmul-wasm';
import { uniformArray } from './rng';
import type { CpuProgram, GpuProgram, KernelSpec, Reference } from './types';

/** Above this many outputs the reference checks a deterministic sample, not every entry. */
export const MATMUL_FULL_CHECK = 256 * 256;
export const MATMUL_SAMPLES = 4096;

/** Rows of C computed together on the CPU, and the k-block that keeps a slab of B in cache. */
const ROW_TILE = 8;
const K_TILE = 128;

function sampleIndices(n: number): Uint32Array {
  const total = n * n;
  if (total <= MATMUL_FULL_CHECK) return new Uint32Array(0);
  const idx = new Set<number>([0, n - 1, total - n, total - 1]);
  // A fixed multiplicative sequence covers rows and columns evenly and is the same on every run.
  let h = 0x12345678;
  while (idx.size < MATMUL_SAMPLES) {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    idx.add(h % total);
  }
  return Uint32Array.from([...idx].sort((a, b) => a - b));
}

/** One work item is a row of C; a worker's chunk is a band of rows, reading its rows of A and all of B. */
const cpu: CpuProgram = {
  items: (n) => n,
  align: 1,
  inputSpan: (n, input, start, end) => (input === 0 ? [start * n, end * n] : [0, n * n]),
  outputSpan: (n, start, end) => [start * n, end * n],
  /**
   * Rows [start, end) of C. Blocked over rows (ROW_TILE) and k (K_TILE) so a K_TILE×n slab of B is
   * reused by ROW_TILE rows while it is in cache; accumulates in float64 and rounds once per entry.
   */
  run(inputs, out, n, start, end) {
    const a = inputs[0];
    const b = inputs[1];
    const acc = new Float64Array(ROW_TILE * n);
    for (let i0 = start; i0 < end; i0 += ROW_TILE) {
      const i1 = Math.min(end, i0 + ROW_TILE);
      acc.fill(0);
      for (let k0 = 0; k0 < n; k0 += K_TILE) {
        const k1 = Math.min(n, k0 + K_TILE);
        for (let i = i0; i < i1; i++) {
          const ao = i * n;
          const co = (i - i0) * n;
          for (let k = k0; k < k1; k++) {
            const aik = a[ao + k];
            const bo = k * n;
            for (let j = 0; j < n; j++) acc[co + j] += aik * b[bo + j];
          }
        }
      }
      for (let i = i0; i < i1; i++) {
        const co = (i - i0) * n;
        const oo = i * n;
        for (let j = 0; j < n; j++) out[oo + j] = acc[co + j];
      }
    }
  },
};

/** Output tile edge of shaders/matmul.wgsl: one workgroup of 128 invocations per 64×64 tile of C. */
const TILE = 64;

/**
 * One pass over tile × tile output tiles, row by row; a submission holds at most the flop budget's
 * worth of tiles (2·tile²·n each).
 */
function tilePlan(tile: number): GpuProgram['plan'] {
  return (n, ctx) => ({
    scratch: [],
    passes: [
      {
        shader: 'main',
        groups: Math.ceil(n / tile) ** 2,
        perSubmission: Math.max(1, Math.floor(ctx.budget.flops / (2 * tile * tile * n))),
        buffers: ['in0', 'in1', 'out'],
        uniforms: { n },
      },
    ],
  });
}

const gpu: GpuProgram = {
  variant: 'tile64',
  summary: '64×64 tiles, 128 invocations, 8×4 outputs each (fits compatibility devices)',
  shaders: {
    main: {
      label: 'matmul.wgsl',
      bindings: [
        { name: 'A', access: 'read' },
        { name: 'B', access: 'read' },
        { name: 'C', access: 'read_write' },
      ],
      uniforms: [{ name: 'n', type: 'u32' }],
      workgroup: 128,
      body: SHADERS.matmul,
    },
  },
  plan: tilePlan(TILE),
};

/** Output tile edge of shaders/matmul128.wgsl: 256 invocations per 128×128 tile, 8×8 outputs each. */
const TILE128 = 128;

const tile128: GpuProgram = {
  variant: 'tile128',
  summary: '128×128 tiles, 256 invocations, 8×8 outputs each, vec4 loads, A transposed in workgroup memory',
  requires: { invocations: 256, sizeMultiple: 4 },
  shaders: {
    main: {
      label: 'matmul128.wgsl',
      bindings: [
        { name: 'A', access: 'read', type: 'vec4f' },
        { name: 'B', access: 'read', type: 'vec4f' },
        { name: 'C', access: 'read_write', type: 'vec4f' },
      ],
      uniforms: [{ name: 'n', type: 'u32' }],
      workgroup: 256,
      body: SHADERS.matmul128,
    },
  },
  plan: tilePlan(TILE128),
};

/** `text` with `from` replaced by `to`; throws if `from` is not there exactly once (the shader changed). */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`matmul128.wgsl no longer has exactly one '${from.trim().slice(0, 40)}…'`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * The 'quad128' variant: tile128 where the four invocations of a quad, which share their eight rows of
 * A, read two each from workgroup memory and pass them on with quadBroadcast (a quarter of the A reads).
 * It needs quads to be four consecutive local invocation indices, which WGSL does not promise (it is
 * the usual layout): each subgroup checks, and a workgroup with any other layout reads A as tile128 does.
 */
const QUAD128_BODY = (() => {
  let b = replaceOnce(
    SHADERS.matmul128,
    "// C = A·B for n×n row-major float32 matrices, n a multiple of 4: the 'tile128' variant.",
    "// C = A·B for n×n row-major float32 matrices, n a multiple of 4: the 'quad128' variant, written by\n" +
      '// src/kernels/matmul.ts from the tile128 shader below: the A rows of a step come through quadBroadcast.',
  );
  b = replaceOnce(
    b,
    '@builtin(local_invocation_index) li: u32) {',
    '@builtin(local_invocation_index) li: u32,\n' +
      '        @builtin(subgroup_invocation_id) sid: u32, @builtin(subgroup_size) sgs: u32) {',
  );
  b = replaceOnce(
    b,
    '  var acc: array<vec4f, 16>;',
    `  // A quad is li 4m … 4m+3 when the subgroup is a run of consecutive li from a multiple of 4: each
  // subgroup checks, and the answer is the same for all its invocations, so the branch on it below is
  // uniform in the subgroup (WGSL's analysis cannot see that: the subgroup_uniformity diagnostic is off)
  let first = subgroupBroadcastFirst(li);
  let quads = subgroupAll(sgs >= 4u && first % 4u == 0u && li == first + sid);
  let q = sid % 4u;
  var acc: array<vec4f, 16>;`,
  );
  b = replaceOnce(
    b,
    `      let a0 = vec4f(As[ao], As[ao + 1u], As[ao + 2u], As[ao + 3u]);
      let a1 = vec4f(As[ao + 4u], As[ao + 5u], As[ao + 6u], As[ao + 7u]);`,
    `      var a0: vec4f;
      var a1: vec4f;
      if (quads) {
        let mine = vec2f(As[ao + 2u * q], As[ao + 2u * q + 1u]);
        a0 = vec4f(quadBroadcast(mine, 0u), quadBroadcast(mine, 1u));
        a1 = vec4f(quadBroadcast(mine, 2u), quadBroadcast(mine, 3u));
      } else {
        a0 = vec4f(As[ao], As[ao + 1u], As[ao + 2u], As[ao + 3u]);
        a1 = vec4f(As[ao + 4u], As[ao + 5u], As[ao + 6u], As[ao + 7u]);
      }`,
  );
  return b;
})();

const quad128: GpuProgram = {
  variant: 'quad128',
  summary: 'tile128 with each quad reading its A rows once and sharing them by quadBroadcast (subgroups)',
  requires: { invocations: 256, sizeMultiple: 4, features: ['subgroups'] },
  shaders: {
    main: {
      ...tile128.shaders.main,
      label: 'matmul128.wgsl (quad128)',
      enables: ['subgroups'],
      diagnosticsOff: ['subgroup_uniformity'],
      body: QUAD128_BODY,
    },
  },
  plan: tilePlan(TILE128),
};

/** C = A·B for n×n float32 matrices, row-major. Compute-bound: 2n³ flops over 12n² bytes. */
export const matmul: KernelSpec = {
  id: 'matmul',
  title: 'matmul',
  summary: 'C = A·B for n×n float32 matrices (size = n); compute-bound: 2n³ flops',
  bound: 'compute',
  sizeLabel: 'n, for n×n matrices',
  describeSize: (n) => `${n}×${n}`,
  inputNames: ['A', 'B'],
  defaultSize: 512,
  minSize: 1,
  maxSize: 16384,
  sweepSizes(maxElements) {
    const out: number[] = [];
    for (let n = 16; n <= Math.min(16384, Math.floor(Math.sqrt(maxElements))); n *= 2) out.push(n);
    return out;
  },
  // odd sizes for tile64; multiples of 4 (tile128's vec4 loads) across and past its 128 tile
  testSizes: [1, 3, 17, 65, 129, 132, 260],
  inputLength: (n) => n * n,
  makeInputs: (n, seed) => [uniformArray(n * n, seed, 0, -1, 1), uniformArray(n * n, seed, 1, -1, 1)],
  outputLength: (n) => n * n,
  reference(inputs, n): Reference {
    const [a, b] = inputs;
    const sample = sampleIndices(n);
    const indices = sample.length ? sample : null;
    const count = indices ? indices.length : n * n;
    const values = new Float64Array(count);
    for (let s = 0; s < count; s++) {
      const e = indices ? indices[s] : s;
      const i = Math.floor(e / n);
      const j = e - i * n;
      let acc = 0;
      for (let k = 0; k < n; k++) acc += a[i * n + k] * b[k * n + j];
      values[s] = acc;
    }
    return { indices, values };
  },
  // n float32 products summed in float32 on the GPU: |error| <~ n * 2^-24 * sum|a_ik b_kj| <= n^2 2^-24
  // in the worst case, ~sqrt(n) * n * 2^-24 in practice; the bound is 4 n 2^-24 * sqrt(n) (+ a floor).
  tolerance: (n) => ({ abs: Math.max(1e-6, 4 * n * Math.sqrt(n) * 2 ** -24), rel: 2 ** -20 }),
  work: (n) => ({ flops: 2 * n * n * n, bytes: 12 * n * n }),
  cpu,
  wasm: matmulWasm,
  gpu,
  gpuVariants: [tile128, quad128],
};
