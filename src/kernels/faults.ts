import { elementwiseReference, elementwiseShape } from './common';
import { uniformArray } from './rng';
import { sq2 } from './sq2';
import type { KernelSpec } from './types';

/**
 * Hidden kernels for fault injection in tests: `fault-throw` throws from its CPU function wherever it
 * runs; `fault-crash` makes the worker running it die (the worker entry recognises the id), and throws
 * like `fault-throw` on the main thread. Their WGSL is sq2's, so the GPU path stays valid.
 */
function faultKernel(id: string, message: string): KernelSpec {
  return {
    id,
    title: id,
    summary: 'fault injection for tests',
    hidden: true,
    ...elementwiseShape(['a']),
    defaultSize: 1024,
    makeInputs: (size, seed) => [uniformArray(size, seed, 0, -1, 1), uniformArray(size, seed, 1, -1, 1)],
    cpu(_inputs, _out, _size, start) {
      throw new Error(`${message} (items from ${start})`);
    },
    reference: (inputs, size) => elementwiseReference(size, (i) => inputs[0][i] ** 2 + inputs[1][i] ** 2),
    tolerance: () => ({ abs: 0, rel: 2 ** -21 }),
    work: (size) => ({ flops: size, bytes: 8 * size }),
    gpu: sq2.gpu,
  };
}

export const faultThrow = faultKernel('fault-throw', 'injected fault: the kernel threw');
export const faultCrash = faultKernel('fault-crash', 'injected fault: the worker crashed');
