/**
 * Deterministic inputs from a seed: the same (kernel, size, seed) gives the same float32 values on
 * every backend and in every runtime. Each input array gets its own stream (SplitMix32-style hash of
 * seed and stream index, then Mulberry32), so input k never depends on the length of input k-1.
 */
function mix(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function uniformArray(
  length: number,
  seed: number,
  stream: number,
  lo: number,
  hi: number,
): Float32Array {
  const out = new Float32Array(length);
  let s = mix(seed >>> 0, stream);
  const span = hi - lo;
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + span * u;
  }
  return out;
}

/** Normal(mean, sd) values from the same kind of stream (Box–Muller on pairs of uniforms). */
export function normalArray(
  length: number,
  seed: number,
  stream: number,
  mean: number,
  sd: number,
): Float32Array {
  const u = uniformArray(length + (length % 2), seed, stream, 0, 1);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(Math.max(u[i], 2 ** -32)));
    const t = 2 * Math.PI * u[i + 1];
    out[i] = mean + sd * r * Math.cos(t);
    if (i + 1 < length) out[i + 1] = mean + sd * r * Math.sin(t);
  }
  return out;
}

/** How one input variable is drawn from the seed. */
export type VarInput =
  | { dist: 'uniform'; lo: number; hi: number }
  | { dist: 'normal'; mean: number; sd: number };
/** Per-variable inputs of an expression; variables not named are uniform on [-1, 1]. */
export type Ranges = Readonly<Record<string, VarInput>>;
export const DEFAULT_INPUT: VarInput = { dist: 'uniform', lo: -1, hi: 1 };

export function drawInput(v: VarInput, length: number, seed: number, stream: number): Float32Array {
  return v.dist === 'uniform'
    ? uniformArray(length, seed, stream, v.lo, v.hi)
    : normalArray(length, seed, stream, v.mean, v.sd);
}
