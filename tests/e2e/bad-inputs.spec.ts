import { expect, test } from '@playwright/test';
import { type StaticServer, serveStatic } from '../../src/cli/serve';
import { BAD_INPUTS } from '../shared/bad-inputs';

for (const b of BAD_INPUTS) {
  test(`URL: ${b.name} — rejected with its message, nothing runs`, async ({ page }) => {
    await page.goto(`/?${b.query}&autorun=1`);
    const err = await page.evaluate(() =>
      window.playground.results?.then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    );
    expect(err).toBe(b.message);
    await expect(page.locator('#error')).toHaveText(b.message);
    await expect(page.locator('kp-results tbody tr')).toHaveCount(0);
  });
}

// The page's controls: what a person can type into them.
for (const [name, field, value] of [
  ['negative size', '#size', '-5'],
  ['zero workers', '#workers', '0'],
  ['too many repetitions', '#reps', '5000'],
  ['negative warm-up', '#warmup', '-1'],
] as const) {
  test(`UI: ${name} typed into a control gets the same message and changes nothing`, async ({ page }) => {
    const b = BAD_INPUTS.find(
      (x) => x.name === name || x.name.replace('no workers', 'zero workers') === name,
    );
    await page.goto('/?kernel=sq2&size=1000&reps=1');
    await page.locator(field).fill(value);
    await page.locator(field).dispatchEvent('change');
    await page.locator('#run').click();
    await expect(page.locator('#error')).toHaveText(b?.message ?? /must be an integer/);
    await expect(page.locator('kp-results tbody tr')).toHaveCount(0);
    // and the app still works
    await page.locator(field).fill(field === '#size' ? '1000' : field === '#workers' ? '2' : '1');
    await page.locator(field).dispatchEvent('change');
    await page.locator('#run').click();
    // main and workers in JavaScript and in WebAssembly, and WebGPU
    await expect(page.locator('kp-results tbody tr')).toHaveCount(5);
  });
}

test('UI: unchecking every backend is refused with a message', async ({ page }) => {
  await page.goto('/?kernel=sq2&size=1000&reps=1');
  for (const b of ['main', 'workers', 'webgpu'])
    await page.locator(`input[name=backend][value=${b}]`).uncheck();
  await page.locator('#run').click();
  await expect(page.locator('#error')).toHaveText('backends must name at least one of main, workers, webgpu');
});

let assets: StaticServer;
test.beforeAll(async () => {
  const widgets = BAD_INPUTS.map(
    (b, i) =>
      `<kernel-race id="w${i}" ${Object.entries(b.attrs)
        .map(([k, v]) => `${k}="${v.replace(/"/g, '&quot;')}"`)
        .join(' ')} autorun></kernel-race>`,
  ).join('\n');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,"></head><body>
<script>window.errors = {}; document.addEventListener('race-error', (e) => { window.errors[e.target.id] = e.detail.message; });</script>
${widgets}
<script type="module" src="/embed.js"></script></body></html>`;
  assets = await serveStatic('dist', { isolate: false, extra: { '/bad.html': page } });
});
test.afterAll(async () => assets?.close());

test('embed: every bad attribute shows its message in the widget and fires race-error', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${assets.url}/bad.html`);
  await expect
    .poll(() => page.evaluate(() => Object.keys((window as unknown as { errors: object }).errors).length), {
      timeout: 30_000,
    })
    .toBe(BAD_INPUTS.length);
  const got = await page.evaluate(() => (window as unknown as { errors: Record<string, string> }).errors);
  for (const [i, b] of BAD_INPUTS.entries()) {
    expect(got[`w${i}`], b.name).toBe(b.message);
    await expect(page.locator(`#w${i} [part=error]`)).toHaveText(b.message);
  }
  expect(errors).toEqual([]);
});
