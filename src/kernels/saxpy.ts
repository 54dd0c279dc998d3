import { elementwiseReference, elementwiseShape, packUniforms } from './common';
import { uniformArray } from './rng';
import type { KernelSpec } from './types';

export const SAXPY_ALPHA = 2.5;

/** BLAS level 1: out = alpha*x + y. */
export const saxpy: KernelSpec = {
  id: 'saxpy',
  title: 'saxpy',
  summary: `out = ${SAXPY_ALPHA}*x + y, elementwise (BLAS level 1); memory-bound: 12 bytes per 2 flops`,
  ...elementwiseShape(['x', 'y']),
  defaultSize: 1 << 22,
  makeInputs: (size, seed) => [uniformArray(size, seed, 0, -1, 1), uniformArray(size, seed, 1, -1, 1)],
  cpu(inputs, out, _size, start, end) {
    const x = inputs[0];
    const y = inputs[1];
    for (let i = start; i < end; i++) out[i] = SAXPY_ALPHA * x[i] + y[i];
  },
  reference(inputs, size) {
    const [x, y] = inputs;
    return elementwiseReference(size, (i) => SAXPY_ALPHA * x[i] + y[i]);
  },
  // |alpha*x| + |y| <= 3.5: two roundings of at most 2^-24 * 4 each, absolute; cancellation makes
  // relative error meaningless near zero, so the bound is absolute.
  tolerance: () => ({ abs: 4 * 2 ** -22, rel: 2 ** -21 }),
  work: (size) => ({ flops: 2 * size, bytes: 12 * size }),
  gpu: {
    shader: 'saxpy',
    entryPoint: 'main',
    uniforms: (size, offset) =>
      packUniforms([
        ['u32', size],
        ['f32', SAXPY_ALPHA],
        ['u32', offset],
      ]),
  },
};
