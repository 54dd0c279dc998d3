import type { CpuProgram, KernelSpec } from './types';

/** Largest element count any kernel accepts before device limits: 2^28 floats = 1 GiB per array. */
export const MAX_ELEMENTS = 2 ** 28;

/** Splits [0, items) into at most `parts` contiguous ranges of nearly equal length, cut at multiples of `align`. */
export function splitRange(items: number, parts: number, align: number): [number, number][] {
  const out: [number, number][] = [];
  const n = Math.max(1, Math.min(parts, Math.ceil(items / align)));
  for (let p = 0; p < n; p++) {
    const a = p === 0 ? 0 : Math.min(items, Math.round((items * p) / n / align) * align);
    const b = p === n - 1 ? items : Math.min(items, Math.round((items * (p + 1)) / n / align) * align);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** A CPU program whose work item is one output element (and one element of each input). */
export function elementwiseCpu(run: CpuProgram['run']): CpuProgram {
  return {
    items: (size) => size,
    align: 64,
    inputSpan: (_size, _input, start, end) => [start, end],
    outputSpan: (_size, start, end) => [start, end],
    run,
  };
}

/** A CPU program that folds elements into one value per chunk, then folds the chunks' values. */
export function reductionCpu(
  run: CpuProgram['run'],
  combine: (partials: Float32Array, size: number) => Float32Array,
): CpuProgram {
  return {
    ...elementwiseCpu(run),
    outputSpan: () => [0, 1],
    reduce: { width: 1, combine },
  };
}

/** Sizes from 256 elements upward, ×4 apart, within `max`. */
export function elementSweep(maxSize: number): (maxElements: number) => number[] {
  return (maxElements) => {
    const out: number[] = [];
    for (let n = 256; n <= Math.min(maxSize, maxElements); n *= 4) out.push(n);
    return out;
  };
}

/** Awkward element counts: tiny, odd, around a workgroup, and one past a large power of two. */
export const ELEMENT_TEST_SIZES: readonly number[] = [1, 3, 255, 1023, 2 ** 20 + 7];

/** The largest size a kernel runs: maxSize, or below it where sizeError starts refusing (monotone in size). */
export function largestSize(k: Pick<KernelSpec, 'minSize' | 'maxSize' | 'sizeError'>): number {
  if (!k.sizeError?.(k.maxSize)) return k.maxSize;
  let lo = k.minSize;
  let hi = k.maxSize;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (k.sizeError(mid)) hi = mid;
    else lo = mid;
  }
  return lo;
}
