import { defineConfig } from 'vitest/config';

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
