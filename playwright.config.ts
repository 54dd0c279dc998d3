import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './src/cli/chromium';

/**
 * Browser tests on the system Chromium (never a Playwright browser download). Flags from
 * ../shared/notes/browser.md: --enable-unsafe-webgpu makes requestAdapter() return SwiftShader.
 */
export const CHROMIUM = CHROMIUM_PATH;
export { CHROMIUM_ARGS };

const PORT = 4173;

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : 'list',
  outputDir: 'test-results/e2e',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', testIgnore: /adapters\.spec\.ts/ },
    {
      // Two different adapters in one browser: SwiftShader (core) and an OpenGL ES compatibility adapter.
      name: 'two-adapters',
      testMatch: /adapters\.spec\.ts/,
      use: {
        launchOptions: {
          executablePath: CHROMIUM,
          args: [...CHROMIUM_ARGS, '--use-webgpu-adapter=opengles'],
        },
      },
    },
  ],
  webServer: {
    command: `npm run -s build && npx vite preview --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
