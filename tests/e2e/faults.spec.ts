import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config';
import { expectedRows, rowsOf } from '../shared/rows';

test('a kernel that throws in a worker fails its row with the message; the pool works afterwards', async ({
  page,
}) => {
  await page.goto('/');
  const recs = await page.evaluate(() =>
    window.playground.run({ kernel: 'fault-throw', size: 5000, backends: ['workers'], reps: 1 }),
  );
  expect(recs[0].ok).toBe(false);
  expect(recs[0].error).toContain('injected fault: the kernel threw');
  // the fault kernels have no WebAssembly program: one row, JavaScript
  await expect(page.locator('kp-results tbody tr')).toHaveCount(1);
  await expect(page.locator('kp-results tbody tr[data-backend="workers"]')).toHaveAttribute(
    'data-ok',
    'false',
  );
  await expect(page.locator('kp-results tbody tr[data-backend="workers"] td.verified')).toContainText(
    'injected fault: the kernel threw',
  );
  const again = await page.evaluate(() =>
    window.playground.run({ kernel: 'sq2', size: 5000, backends: ['workers'], reps: 1 }),
  );
  expect(again[0].ok).toBe(true);
});

test('a worker that crashes mid-call fails the run instead of hanging; the pool replaces it', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/');
  const recs = await page.evaluate(() =>
    window.playground.run({ kernel: 'fault-crash', size: 5000, backends: ['workers'], reps: 1 }),
  );
  expect(recs[0].ok).toBe(false);
  expect(recs[0].error).toContain('a worker failed: ');
  expect(recs[0].error).toContain('injected fault: the worker crashed');
  const again = await page.evaluate(() =>
    window.playground.run({ kernel: 'saxpy', size: 5000, backends: ['workers'], reps: 2 }),
  );
  expect(again[0].ok).toBe(true);
  expect(pageErrors).toEqual([]);
});

test('without WebGPU the page says so plainly, and the CPU backends still run', async () => {
  // Chromium without --enable-unsafe-webgpu: requestAdapter() gives no adapter on this machine.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
  });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await page.goto('/');
    await expect(page.locator('#gpu-status')).toContainText(/WebGPU: (no adapter was found|unavailable)/);
    const recs = await page.evaluate(() => window.playground.run({ kernel: 'sq2', size: 1000, reps: 1 }));
    expect(rowsOf(recs)).toEqual(expectedRows(['main', 'workers']));
    expect(recs.every((r) => r.ok)).toBe(true);
    await expect(page.locator('[role=note]')).toContainText('WebGPU skipped');
  } finally {
    await browser.close();
  }
});

test('two runs started back to back: the older is cancelled and never overwrites the newer', async ({
  page,
}) => {
  await page.goto('/');
  const older = page.evaluate(() =>
    window.playground
      .run({ kernel: 'matmul', size: 300, backends: ['main', 'workers', 'webgpu'], reps: 20 })
      .then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
  );
  await expect(page.locator('#progress')).not.toHaveText('');
  const newer = await page.evaluate(() =>
    window.playground.run({ kernel: 'saxpy', size: 3000, backends: ['main'], reps: 1 }),
  );
  expect(newer[0]).toMatchObject({ kernel: 'saxpy', ok: true });
  expect(await older).toBe('the run was cancelled');
  await page.waitForTimeout(300);
  // the newer run's rows only: the main thread in JavaScript and in WebAssembly
  await expect(page.locator('kp-results tbody tr')).toHaveCount(2);
  for (const row of await page.locator('kp-results tbody tr').all())
    await expect(row).toHaveAttribute('data-backend', 'main');
  await expect(page.locator('#kernel')).toHaveValue('saxpy');
  await expect(page.locator('#error')).toHaveCount(0);
});

test('user text is rendered as text, never as HTML', async ({ page }) => {
  await page.goto('/');
  await page.locator('#kernel').selectOption('expr');
  await page.locator('#expr').fill('a + <img src=x onerror="window.pwned=1">');
  await expect(page.locator('#expr-error')).toHaveText(
    `unexpected character '"' at column 24: expressions have no strings`,
  );
  const err = await page.evaluate(() =>
    window.playground.run({ kernel: '<b id="injected">x</b>' }).then(
      () => 'resolved',
      (e: Error) => e.message,
    ),
  );
  expect(err).toContain('<b id="injected">x</b>');
  await expect(page.locator('#error')).toContainText('<b id="injected">x</b>');
  expect(await page.locator('#injected').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

test('a browser soak: 60 alternating runs keep workers, pending calls and GPU buffers bounded', async ({
  page,
}) => {
  await page.goto('/');
  const result = await page.evaluate(async () => {
    const plans = [
      { kernel: 'sq2', size: 3001 },
      { kernel: 'sum', size: 5003 },
      { kernel: 'matmul', size: 17 },
      { expr: 'where(a > 0, a, -a)', size: 2001 },
    ];
    const backends = [['main'], ['workers'], ['webgpu'], ['main', 'workers', 'webgpu']] as const;
    let failed = 0;
    for (let i = 0; i < 60; i++) {
      const recs = await window.playground.run({
        ...plans[i % plans.length],
        backends: [...backends[i % backends.length]],
        reps: 1,
        warmup: 0,
      });
      failed += recs.filter((r) => !r.ok).length;
    }
    return { failed, counters: window.playground.debug.counters() };
  });
  expect(result.failed).toBe(0);
  expect(result.counters.pendingCalls).toBe(0);
  expect(result.counters.workersStarted).toBeLessThanOrEqual(
    await page.evaluate(() => navigator.hardwareConcurrency),
  );
  expect(result.counters.gpuBuffers).toBeLessThanOrEqual(64);
  expect(result.counters.pipelines).toBeLessThanOrEqual(8);
});
