import { MAX_ELEMENTS, packUniforms, pairwiseSum } from './common';
import { uniformArray } from './rng';
import type { KernelSpec } from './types';

/**
 * One float32 total of `size` values in [0, 1). Every backend sums pairwise (a tree), so the error grows
 * with log2(size), not size: CPU leaves of 128 in float64, GPU workgroup trees in float32.
 */
export const sum: KernelSpec = {
  id: 'sum',
  title: 'sum',
  summary: 'one float32 total of all values, pairwise (tree) on every backend; memory-bound reduction',
  kind: 'reduction',
  sizeLabel: 'elements',
  inputNames: ['x'],
  defaultSize: 1 << 22,
  minSize: 1,
  maxSize: MAX_ELEMENTS,
  inputLength: (size) => size,
  outputLength: () => 1,
  items: (size) => size,
  inputSpan: (_size, _input, start, end) => [start, end],
  outputSpan: () => [0, 1],
  makeInputs: (size, seed) => [uniformArray(size, seed, 0, 0, 1)],
  cpu(inputs, out, _size, start, end) {
    out[0] = pairwiseSum(inputs[0], start, end);
  },
  combine(partials) {
    return Float32Array.of(pairwiseSum(partials, 0, partials.length));
  },
  reference(inputs) {
    let s = 0;
    let c = 0; // Kahan-compensated float64: exact enough to be the truth for any legal size.
    const x = inputs[0];
    for (let i = 0; i < x.length; i++) {
      const y = x[i] - c;
      const t = s + y;
      c = t - s - y;
      s = t;
    }
    return { indices: null, values: Float64Array.of(s) };
  },
  // A float32 tree of depth d over non-negative values errs by at most about d * 2^-24 relative; the
  // bound allows 4x that (the GPU's per-thread sequential part adds a few levels), at least 2^-20.
  tolerance: (size) => ({
    abs: 1e-6,
    rel: size > 1 ? Math.max(2 ** -20, Math.log2(size) * 2 ** -22) : 2 ** -23,
  }),
  work: (size) => ({ flops: size, bytes: 4 * size + 4 }),
  gpu: {
    shader: 'sum',
    entryPoint: 'main',
    uniforms: (size, offset) =>
      packUniforms([
        ['u32', size],
        ['u32', offset],
      ]),
  },
};
