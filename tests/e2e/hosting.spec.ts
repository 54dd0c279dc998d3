import { expect, test } from '@playwright/test';
import { type StaticServer, serveStatic } from '../../src/cli/serve';

// The built site served from a subfolder, as a project page or a versioned folder would host it.
const PREFIX = '/kernel-playground/0.1.0';
let site: StaticServer;
test.beforeAll(async () => {
  site = await serveStatic('dist', { isolate: true, prefix: PREFIX });
});
test.afterAll(async () => {
  await site.close();
});

test('the app works from a subfolder: its assets load, autorun verifies on every backend', async ({
  page,
}) => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${site.url}${PREFIX}/?kernel=sq2&size=5000&reps=1&autorun=1`);
  const recs = await page.evaluate(() => window.playground.results);
  expect(recs?.length).toBeGreaterThanOrEqual(2);
  for (const r of recs ?? []) expect(r.ok, `${r.device}: ${r.error}`).toBe(true);
  expect(recs?.map((r) => r.backend)).toContain('workers');
  expect(failed).toEqual([]);
});

test('the blog page works from a subfolder: its widgets load and race', async ({ page }) => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${site.url}${PREFIX}/blog.html`);
  await expect.poll(() => page.evaluate(() => customElements.get('kernel-race') !== undefined)).toBe(true);
  const recs = await page.evaluate(() => {
    const race = document.querySelector('kernel-race') as unknown as { run(): Promise<{ ok: boolean }[]> };
    return race.run();
  });
  expect(recs.length).toBeGreaterThan(0);
  expect(recs.every((r) => r.ok)).toBe(true);
  expect(failed).toEqual([]);
});
