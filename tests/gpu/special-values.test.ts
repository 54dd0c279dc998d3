/**
 * IEEE special values (NaN, ±Inf, ±0, a subnormal, the largest float) through every operator and the
 * functions where they matter, on the main thread and on every WebGPU adapter, against the float64
 * reference (which follows NumPy's float32 semantics). WGSL lets an implementation assume no NaN or
 * infinity, so the generated WGSL must not rely on them (bit tests, explicit rules).
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCpu } from '../../src/backends/main-thread';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { verify } from '../../src/bench/verify';
import { compileExpression } from '../../src/expr/kernel';
import { nodeRuntime } from '../../src/runtime/node';

const ICDS = ['/usr/share/vulkan/icd.d/lvp_icd.json', '/usr/lib/chromium/vk_swiftshader_icd.json'].filter(
  (f) => existsSync(f),
);
if (!process.env.VK_ICD_FILENAMES && ICDS.length > 1) process.env.VK_ICD_FILENAMES = ICDS.join(':');
const gpus = (await nodeRuntime.probeAdapters()).map((a) => new WebGpuBackend(a));
afterAll(() => {
  for (const g of gpus) g.dispose();
});

// No subnormals (SwiftShader flushes them to zero, as WGSL allows) and no huge quotients (WGSL has no
// fmod: % of a number more than 2^24 times its divisor is not exact there); the README's table says so.
const SPECIALS = [Number.NaN, Infinity, -Infinity, 0, -0, 1, -1, 2.5, -3];
const a = Float32Array.from(SPECIALS.flatMap((x) => SPECIALS.map(() => x)));
const b = Float32Array.from(SPECIALS.flatMap(() => SPECIALS));

const BINARY = [
  'a + b',
  'a - b',
  'a * b',
  'a / b',
  'a % b',
  'a ** b',
  'minimum(a, b)',
  'maximum(a, b)',
  'arctan2(a, b)',
];
const COMPARE = ['a < b', 'a <= b', 'a == b', 'a != b', 'where(a != a, b, a)', 'where(a > b, a, b)'];
const UNARY = ['tanh(a)', 'sqrt(a)', 'log(a)', 'exp(a)', 'abs(a)', 'floor(a)', 'a ** 0.5'];
const REDUCE = ['min(a + b)', 'max(a + b)', 'sum(a * b)'];

const show = (i?: number) => (i === undefined ? '' : `a = ${a[i]}, b = ${b[i]}`);

describe.each([...BINARY, ...COMPARE, ...UNARY, ...REDUCE])('%s with NaN, ±Inf, ±0', (expr) => {
  const { kernel } = compileExpression(expr);
  const inputs = kernel.inputNames.map((n) => (n === 'a' ? a : b));
  const ref = kernel.reference(inputs, a.length);
  it('main thread agrees with the reference', () => {
    const v = verify(runCpu(kernel, a.length, inputs), ref, kernel.tolerance(a.length));
    expect(v.firstBad, show(v.firstBad?.index)).toBeUndefined();
  });
  it.each(gpus.map((g) => [g.desc.id, g] as const))(
    'WebGPU on %s agrees with the reference',
    async (_id, g) => {
      const prep = await g.prepare(kernel, a.length, inputs);
      try {
        const { output } = await g.run(prep);
        const v = verify(output, ref, kernel.tolerance(a.length));
        expect(v.firstBad, show(v.firstBad?.index)).toBeUndefined();
      } finally {
        prep.release();
      }
    },
  );
});
