import { expect, type Page, test } from '@playwright/test';

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
  expect(csp).toContain("script-src 'self' 'unsafe-eval'");
  expect(csp).toContain("style-src 'self';");
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(recs.map((r) => [r.backend, r.ok])).toEqual([
    ['main', true],
    ['workers', true],
    ['webgpu', true],
  ]);
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
