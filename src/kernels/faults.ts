import { InjectedCrash } from '../errors';
import { elementwiseCpu } from './common';
import { sq2 } from './sq2';
import type { KernelSpec } from './types';

/**
 * Hidden kernels for fault injection in tests, sq2 in every respect but their CPU program:
 * `fault-throw` throws wherever it runs; `fault-crash` throws InjectedCrash, which a pool worker
 * answers by dying the way a real crash would (and the main thread reports like any other throw).
 */
function faultKernel(id: string, fail: (start: number) => Error): KernelSpec {
  // sq2's WebAssembly program would not fail: the fault kernels have JavaScript rows only.
  const { wasm: _wasm, ...rest } = sq2;
  return {
    ...rest,
    id,
    title: id,
    summary: 'fault injection for tests',
    hidden: true,
    defaultSize: 1024,
    cpu: elementwiseCpu((_inputs, _out, _size, start) => {
      throw fail(start);
    }),
  };
}

export const faultThrow = faultKernel(
  'fault-throw',
  (start) => new Error(`injected fault: the kernel threw (items from ${start})`),
);
export const faultCrash = faultKernel(
  'fault-crash',
  (start) => new InjectedCrash(`injected fault: the worker crashed (items from ${start})`),
);
