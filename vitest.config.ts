import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// GPU variant choices made by tests (and the CLIs they spawn) go to a scratch directory, not ~/.cache.
process.env.KERNEL_PLAYGROUND_CACHE ??= join(tmpdir(), `kernel-playground-test-cache-${process.pid}`);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Node 20 has relaxed SIMD behind a flag (Chromium has it on): the compiled tier's fused
          // multiply-add form is then tested beside the plain SIMD128 one.
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
      {
        test: {
          name: 'gpu',
          include: ['tests/gpu/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          execArgv: ['--experimental-wasm-relaxed-simd'],
          // One Dawn instance at a time: lavapipe already uses every core.
          fileParallelism: false,
        },
      },
    ],
  },
});
