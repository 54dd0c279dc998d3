import { expect, type Page, test } from '@playwright/test';

// Chromium with --use-webgpu-adapter=opengles (project "two-adapters" in playwright.config.ts).

async function runAndWait(page: Page) {
  const done = page.evaluate(
    () =>
      new Promise<unknown[]>((r) =>
        window.addEventListener('playground-results', (e) => r((e as CustomEvent).detail), { once: true }),
      ),
  );
  await page.locator('#run').click();
  return (await done) as {
    backend: string;
    ok: boolean;
    adapterId?: string;
    device: string;
    error?: string;
  }[];
}

test('the adapter table lists exactly the two distinct adapters, with ids and labels', async ({ page }) => {
  await page.goto('/');
  const rows = page.locator('kp-adapters tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-adapter', 'swiftshader');
  await expect(rows.nth(1)).toHaveAttribute('data-adapter', 'compat-opengles');
  await expect(rows.nth(0)).toContainText('SwiftShader (software)');
  await expect(rows.nth(0)).toContainText('timestamp-query');
  await expect(rows.nth(1)).toContainText('compatibility (OpenGL ES) adapter');
  await expect(rows.nth(1)).toContainText('compatibility');
  await expect(page.locator('kp-adapters')).toContainText('may ignore powerPreference');
});

test('choosing both adapters gives two verified WebGPU rows; the choice persists and goes into the URL', async ({
  page,
}) => {
  await page.goto('/?kernel=sq2&size=50001&reps=2');
  await expect(page.locator('kp-adapters tbody tr')).toHaveCount(2);
  await page.locator('kp-adapters tr[data-adapter="compat-opengles"] input').check();
  await expect(page).toHaveURL(/adapter=swiftshader%2Ccompat-opengles/);
  const recs = await runAndWait(page);
  const gpu = recs.filter((r) => r.backend === 'webgpu');
  expect(gpu.map((r) => r.adapterId)).toEqual(['swiftshader', 'compat-opengles']);
  for (const r of recs) expect(r.ok, JSON.stringify(r)).toBe(true);
  await expect(page.locator('kp-results tbody tr[data-backend="webgpu"]')).toHaveCount(2);
  await expect(page.locator('#gpu-status')).toContainText(
    'WebGPU adapters: SwiftShader (software), compatibility (OpenGL ES) adapter',
  );
  // A new visit without adapter= in the URL restores the choice from localStorage.
  await page.goto('/?kernel=saxpy&size=1000&reps=1');
  await expect(page.locator('kp-adapters tr[data-adapter="compat-opengles"] input')).toBeChecked();
  await expect(page.locator('kp-adapters tr[data-adapter="swiftshader"] input')).toBeChecked();
});

test('a compatibility device runs every kernel within its 128-invocation default', async ({ page }) => {
  await page.goto('/');
  const info = await page.evaluate(() => window.playground.debug.deviceInfo('compat-opengles'));
  expect(info.maxComputeInvocationsPerWorkgroup).toBe(128);
  expect(info.workgroupSize).toBe(128);
  for (const [kernel, size] of [
    ['sq2', 70001],
    ['sum', 300001],
    ['matmul', 70],
  ] as const) {
    const recs = await page.evaluate(
      ([k, n]) =>
        window.playground.run({
          kernel: k,
          size: n,
          backends: ['webgpu'],
          adapter: ['compat-opengles'],
          reps: 1,
        }),
      [kernel, size] as const,
    );
    expect(recs[0].adapterId).toBe('compat-opengles');
    expect(recs[0].ok, JSON.stringify(recs[0])).toBe(true);
  }
});

test('an adapter id this browser lacks falls back to the default with a visible notice', async ({ page }) => {
  const results = page.goto('/?kernel=sq2&size=1000&backends=webgpu&adapter=nvidia-h100-80gb-hbm3&autorun=1');
  await results;
  const recs = await page.evaluate(() => window.playground.results);
  expect(recs?.[0].adapterId).toBe('swiftshader');
  expect(recs?.[0].ok).toBe(true);
  await expect(page.locator('#adapter-notice')).toContainText(
    "Adapter 'nvidia-h100-80gb-hbm3' is not available in this browser",
  );
  await expect(page.locator('#adapter-notice')).toContainText("using the default adapter 'swiftshader'");
});

test('a device lost mid-run fails that run with the reason, and the next run gets a new device', async ({
  page,
}) => {
  await page.goto('/?kernel=matmul&size=200&backends=webgpu&reps=200');
  const running = runAndWait(page);
  await expect(page.locator('#progress')).toContainText('repetition');
  expect(await page.evaluate(() => window.playground.debug.loseDevice('swiftshader'))).toBe(true);
  const recs = await running;
  expect(recs[0].ok).toBe(false);
  expect(recs[0].error).toMatch(/the WebGPU device on SwiftShader \(software\) was lost \(destroyed\)/);
  await expect(page.locator('#error')).toContainText('was lost');
  const again = await page.evaluate(() =>
    window.playground.run({ kernel: 'matmul', size: 64, backends: ['webgpu'], reps: 2 }),
  );
  expect(again[0].ok).toBe(true);
});

test('a link that autoruns without adapter= runs on the default adapter, whatever was saved, and says so', async ({
  page,
}) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('kernel-playground.adapters', '["compat-opengles"]'));
  await page.goto('/?kernel=sq2&size=1000&backends=webgpu&reps=1&autorun=1');
  const recs = await page.evaluate(() => window.playground.results);
  expect(recs?.map((r) => r.adapterId)).toEqual(['swiftshader']);
  await expect(page.locator('#gpu-status')).toContainText('WebGPU adapter: SwiftShader (software)');
  await expect(page.locator('kp-adapters tr[data-adapter="compat-opengles"] input')).not.toBeChecked();
  expect(page.url()).not.toContain('adapter=');
  // A plain visit still restores the saved choice.
  await page.goto('/?kernel=sq2&size=1000');
  await expect(page.locator('kp-adapters tr[data-adapter="compat-opengles"] input')).toBeChecked();
});

test('at 1280 px the adapter table fits the page, or scrolls inside its own box: nothing is cut off', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await expect(page.locator('kp-adapters tbody tr')).toHaveCount(2);
  const box = await page.locator('kp-adapters').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return {
      right: r.right,
      scroll: el.scrollWidth,
      client: el.clientWidth,
      page: document.documentElement.scrollWidth,
    };
  });
  // the box ends inside the viewport and the page itself does not scroll sideways
  expect(box.right).toBeLessThanOrEqual(1280);
  expect(box.page).toBeLessThanOrEqual(1280);
  // whatever does not fit is reachable by scrolling the box (overflow-x: auto)
  if (box.scroll > box.client) {
    expect(await page.locator('kp-adapters').evaluate((el) => getComputedStyle(el).overflowX)).toBe('auto');
  }
});
