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
