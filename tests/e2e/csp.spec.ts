import { expect, type Page, test } from '@playwright/test';
import { type StaticServer, serveStatic } from '../../src/cli/serve';
import { expectedRows, rowsOf } from '../shared/rows';

async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(
        `${e.violatedDirective}: ${e.blockedURI}`,
      ),
    );
  });
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) console.push(m.text());
  });
  return async () => [
    ...(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)),
    ...console,
  ];
}

test('the app runs under its Content-Security-Policy with no violation: every backend, an expression, exports', async ({
  page,
}) => {
  const violations = await watchViolations(page);
  await page.goto('/?kernel=sq2&size=20000&reps=2&autorun=1');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  // No 'unsafe-eval': expressions run through the block interpreter; WebAssembly needs its own allowance.
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toContain("style-src 'self';");
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(rowsOf(recs)).toEqual(expectedRows(['main', 'workers', 'webgpu']));
  for (const r of recs) expect(r.ok, r.error).toBe(true);
  const expr = await page.evaluate(() =>
    window.playground.run({ expr: 'sqrt(a*a + b*b)', size: 5000, reps: 1 }),
  );
  expect(expr.every((r) => r.ok)).toBe(true);
  await page.evaluate(() => window.playground.scaling({ kernel: 'sum', size: 10000, reps: 1 }));
  await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  expect(await violations()).toEqual([]);
});

test('the blog page and its widgets run under the same policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/blog.html');
  const recs = await page.evaluate(() =>
    (
      document.querySelector('kernel-race[kernel="sq2"]') as unknown as { run(): Promise<{ ok: boolean }[]> }
    ).run(),
  );
  expect(recs.every((r) => r.ok)).toBe(true);
  expect(await violations()).toEqual([]);
});

let strict: StaticServer;
test.afterAll(async () => strict?.close());

test('a host page whose policy forbids WebAssembly still gets the JavaScript rows, and a note says why the WebAssembly rows are missing', async ({
  page,
}) => {
  const host = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>strict</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self'">
<link rel="icon" href="data:,"></head><body>
<kernel-race id="w" expr="a*b + 1" size="5000" reps="1" backends="main,workers"></kernel-race>
<script type="module" src="/embed.js"></script></body></html>`;
  strict = await serveStatic('dist', { isolate: false, extra: { '/strict.html': host } });
  await page.goto(`${strict.url}/strict.html`);
  await page.waitForFunction(() => customElements.get('kernel-race') !== undefined);
  const recs = await page.evaluate(() =>
    (
      document.getElementById('w') as unknown as {
        run(): Promise<{ backend: string; code?: string; ok: boolean }[]>;
      }
    ).run(),
  );
  expect(rowsOf(recs)).toEqual(['main:js', 'workers:js']);
  for (const r of recs) expect(r.ok).toBe(true);
  await expect(page.locator('#w [part=notice]')).toContainText(
    'WebAssembly SIMD rows skipped: WebAssembly cannot be compiled here',
  );
  await expect(page.locator('#w [part=notice]')).toContainText("'wasm-unsafe-eval'");
});
