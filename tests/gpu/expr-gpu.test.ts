import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { verify } from '../../src/bench/verify';
import { compileExpression, parseRanges } from '../../src/expr/kernel';
import { nodeRuntime } from '../../src/runtime/node';
import { validExpr } from '../shared/expr-arbitraries';
import { EXPR_CASES, EXPR_SIZES } from '../shared/expr-cases';

let gpu: WebGpuBackend;
beforeAll(async () => {
  const [first] = await nodeRuntime.probeAdapters();
  if (!first) throw new Error('no WebGPU adapter: install Mesa lavapipe >= 23 (scripts/ensure-deps.sh)');
  gpu = new WebGpuBackend(first);
});
afterAll(() => {
  expect(gpu.uncapturedErrors).toEqual([]);
  gpu.dispose();
});

describe.each(EXPR_CASES)('%s (ranges %s) in WGSL on Dawn', (expr, ranges) => {
  const { kernel } = compileExpression(expr, parseRanges(ranges ?? ''));
  it.each(EXPR_SIZES)('size %i verifies against the float64 reference', async (size) => {
    const inputs = kernel.makeInputs(size, 11);
    const prep = await gpu.prepare(kernel, size, inputs);
    try {
      const { output } = await gpu.run(prep);
      const v = verify(output, kernel.reference(inputs, size), kernel.tolerance(size));
      expect(v.firstBad).toBeUndefined();
    } finally {
      prep.release();
    }
  });
});

describe('random well-typed expressions', () => {
  it('emit WGSL that Dawn compiles into pipelines with no validation error (1,000 cases)', async () => {
    const device = await gpu.getDevice();
    await fc.assert(
      fc.asyncProperty(validExpr, async (src) => {
        const c = compileExpression(src);
        device.pushErrorScope('validation');
        for (const code of [c.wgsl, c.reduceWgsl].filter((x): x is string => x !== null)) {
          const module = device.createShaderModule({ code });
          const info = await module.getCompilationInfo();
          const errors = info.messages
            .filter((m) => m.type === 'error')
            .map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
          expect(errors, `${src}\n${code}`).toEqual([]);
          await device.createComputePipelineAsync({
            layout: 'auto',
            compute: { module, entryPoint: 'main', constants: { WG: 64 } },
          });
        }
        const err = await device.popErrorScope();
        expect(err?.message, src).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('expressions split into short submissions', () => {
  it.each(['sin(a) * b + 1', 'sum(a * b)', 'max(exp(a))'])(
    '%s verifies across many submissions',
    async (expr) => {
      const { kernel } = compileExpression(expr);
      const b = new WebGpuBackend((await nodeRuntime.probeAdapters())[0]);
      b.submitBudget = { elements: 2048, flops: 1 };
      try {
        const size = 50_001;
        const inputs = kernel.makeInputs(size, 4);
        const prep = await b.prepare(kernel, size, inputs);
        const { output } = await b.run(prep);
        prep.release();
        expect(b.lastSubmissions).toBeGreaterThan(2);
        expect(
          verify(output, kernel.reference(inputs, size), kernel.tolerance(size)).firstBad,
        ).toBeUndefined();
      } finally {
        b.dispose();
      }
    },
  );
});
