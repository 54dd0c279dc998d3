import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../../src/backends/webgpu';
import { compileExpression } from '../../src/expr/kernel';
import { shaderCode } from '../../src/kernels/gpu-program';
import { nodeRuntime } from '../../src/runtime/node';
import { validExpr } from '../shared/expr-arbitraries';

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

describe('random well-typed expressions', () => {
  it('emit WGSL that Dawn compiles into pipelines with no validation error (1,000 cases)', async () => {
    const device = await gpu.getDevice();
    await fc.assert(
      fc.asyncProperty(validExpr, async (src) => {
        const c = compileExpression(src);
        device.pushErrorScope('validation');
        for (const code of Object.values(c.kernel.gpu.shaders).map(shaderCode)) {
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
