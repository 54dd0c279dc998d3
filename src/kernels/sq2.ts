import { elementwiseReference, elementwiseShape, packUniforms } from './common';
import { uniformArray } from './rng';
import type { KernelSpec } from './types';

/** numexpr's own example, `a**2 + b**2`: two reads and one write per element, memory-bound. */
export const sq2: KernelSpec = {
  id: 'sq2',
  title: 'a² + b²',
  summary: 'out = a*a + b*b, elementwise (numexpr’s example); memory-bound: 12 bytes per 3 flops',
  ...elementwiseShape(['a', 'b']),
  defaultSize: 1 << 22,
  makeInputs: (size, seed) => [uniformArray(size, seed, 0, -1, 1), uniformArray(size, seed, 1, -1, 1)],
  cpu(inputs, out, _size, start, end) {
    const a = inputs[0];
    const b = inputs[1];
    for (let i = start; i < end; i++) {
      const x = a[i];
      const y = b[i];
      out[i] = x * x + y * y;
    }
  },
  reference(inputs, size) {
    const [a, b] = inputs;
    return elementwiseReference(size, (i) => a[i] * a[i] + b[i] * b[i]);
  },
  // Three float32 roundings of non-negative terms (two products and a sum, or one FMA): < 2^-22 relative.
  tolerance: () => ({ abs: 1e-30, rel: 2 ** -21 }),
  work: (size) => ({ flops: 3 * size, bytes: 12 * size }),
  gpu: {
    shader: 'sq2',
    entryPoint: 'main',
    uniforms: (size, offset) =>
      packUniforms([
        ['u32', size],
        ['u32', offset],
      ]),
  },
};
