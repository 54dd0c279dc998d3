import type { KernelSpec, Reference } from './types';

/** Largest element count any kernel accepts before device limits: 2^28 floats = 1 GiB per array. */
export const MAX_ELEMENTS = 2 ** 28;

export function packUniforms(words: readonly (readonly ['u32' | 'f32', number])[]): ArrayBuffer {
  // Uniform buffers are at least 16 bytes; pad to a multiple of 16.
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((words.length * 4) / 16) * 16));
  const dv = new DataView(buf);
  words.forEach(([type, v], i) => {
    if (type === 'u32') dv.setUint32(i * 4, v, true);
    else dv.setFloat32(i * 4, v, true);
  });
  return buf;
}

/** The parts shared by every kernel whose work item is one output element. */
export function elementwiseShape(
  inputNames: readonly string[],
): Pick<
  KernelSpec,
  | 'kind'
  | 'sizeLabel'
  | 'inputNames'
  | 'inputLength'
  | 'outputLength'
  | 'items'
  | 'inputSpan'
  | 'outputSpan'
  | 'minSize'
  | 'maxSize'
> {
  return {
    kind: 'elementwise',
    sizeLabel: 'elements',
    inputNames,
    minSize: 1,
    maxSize: MAX_ELEMENTS,
    inputLength: (size) => size,
    outputLength: (size) => size,
    items: (size) => size,
    inputSpan: (_size, _input, start, end) => [start, end],
    outputSpan: (_size, start, end) => [start, end],
  };
}

/** float64 reference of an elementwise function over every element. */
export function elementwiseReference(size: number, f: (i: number) => number): Reference {
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = f(i);
  return { indices: null, values };
}

/**
 * Pairwise (cascade) sum of x[start, end): leaves of up to 128 elements are summed in float64 and the
 * tree above them is combined in float64 too, so the result is accurate to a few float32 ulps of the
 * total for any length. Returns a float64 value; callers round it to float32 where they store it.
 */
export function pairwiseSum(x: ArrayLike<number>, start: number, end: number): number {
  const n = end - start;
  if (n <= 128) {
    let s = 0;
    for (let i = start; i < end; i++) s += x[i];
    return s;
  }
  const mid = start + Math.floor(n / 2);
  return pairwiseSum(x, start, mid) + pairwiseSum(x, mid, end);
}
