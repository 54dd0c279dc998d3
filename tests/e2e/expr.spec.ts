import { expect, test } from '@playwright/test';
import { expectedRows, rowsOf } from '../shared/rows';

test('an expression from the URL runs on every backend and verifies; + is encoded as %2B', async ({
  page,
}) => {
  await page.goto('/?expr=sqrt(a*a%2Bb*b)%20%2F%20(1%20%2B%20exp(-a))&size=10007&reps=2&autorun=1');
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(rowsOf(recs)).toEqual(expectedRows(['main', 'workers', 'webgpu']));
  for (const r of recs) {
    expect(r).toMatchObject({ kernel: 'expr', expr: 'sqrt(a*a+b*b) / (1 + exp(-a))', ok: true });
  }
  await expect(page.locator('#kernel')).toHaveValue('expr');
  await expect(page.locator('#expr')).toHaveValue('sqrt(a*a+b*b) / (1 + exp(-a))');
  await expect(page).toHaveURL(/expr=sqrt\(a\*a%2Bb\*b\)%20%2F%20\(1%20%2B%20exp\(-a\)\)/);
});

test('the editor shows errors as you type, with a caret under the column, and blocks Run', async ({
  page,
}) => {
  await page.goto('/');
  await page.locator('#kernel').selectOption('expr');
  const input = page.locator('#expr');
  await input.fill('a +* b');
  await expect(page.locator('#expr-error')).toHaveText("unexpected '*' at column 4");
  await expect(page.locator('pre.caret')).toHaveText('   ^');
  await expect(page.locator('#run')).toBeDisabled();
  await input.fill('a > 0 & b < 0');
  await expect(page.locator('#expr-error')).toContainText("'&' needs booleans at column 7");
  await input.fill('where(a > b, a*b, a - b)');
  await expect(page.locator('#expr-error')).toHaveText('');
  await expect(page.locator('#run')).toBeEnabled();
  await expect(page).toHaveURL(/expr=where\(a%20%3E%20b%2C%20a\*b%2C%20a%20-%20b\)/);
});

test('variables get ranges, the generated code is shown side by side, and a run verifies', async ({
  page,
}) => {
  await page.goto('/');
  await page.locator('#kernel').selectOption('expr');
  await page.locator('#expr').fill('log(x) + y');
  await page.getByLabel('x low').fill('1');
  await page.getByLabel('x low').dispatchEvent('change');
  await page.getByLabel('x high').fill('50');
  await page.getByLabel('x high').dispatchEvent('change');
  await expect(page).toHaveURL(/ranges=x%3A1%3A50/);
  await page.getByRole('button', { name: 'Show generated code' }).click();
  await expect(page.locator('#code-js')).toContainText('f(Math.log(t0))');
  await expect(page.locator('#code-wgsl')).toContainText('log(t0)');
  await page.locator('#size').fill('5001');
  await page.locator('#size').dispatchEvent('change');
  await page.locator('#reps').fill('1');
  await page.locator('#reps').dispatchEvent('change');
  const done = page.evaluate(
    () =>
      new Promise<{ ok: boolean; backend: string }[]>((r) =>
        window.addEventListener('playground-results', (e) => r((e as CustomEvent).detail), { once: true }),
      ),
  );
  await page.locator('#run').click();
  const recs = await done;
  expect(recs).toHaveLength(5); // main and workers in JavaScript and WebAssembly, WebGPU
  for (const r of recs) expect(r.ok, JSON.stringify(r)).toBe(true);
});

test('a variable can be drawn from a normal distribution; the choice goes into the URL', async ({ page }) => {
  await page.goto('/?expr=exp(-(z*z))&size=3001&reps=1');
  await page.getByLabel('z distribution').selectOption('normal');
  await expect(page).toHaveURL(/ranges=z%3Anormal%3A0%3A1/);
  await page.getByLabel('z sd').fill('0.5');
  await page.getByLabel('z sd').dispatchEvent('change');
  await expect(page).toHaveURL(/ranges=z%3Anormal%3A0%3A0.5/);
  const recs = await page.evaluate(() =>
    window.playground.run({ expr: 'exp(-(z*z))', ranges: 'z:normal:0:0.5', size: 3001, reps: 1 }),
  );
  expect(recs.every((r) => r.ok)).toBe(true);
});

test('a chain of steps: the inputs are the names no step assigns; from the URL its steps stay on the GPU', async ({
  page,
}) => {
  await page.goto('/');
  await page.locator('#kernel').selectOption('expr');
  const input = page.locator('#expr');
  await input.fill('y = x + 1; x = a; y');
  await expect(page.locator('#expr-error')).toHaveText(
    "'x' is used before the step that assigns it at column 5: move the step that assigns it before the steps that read it",
  );
  await expect(page.locator('pre.caret')).toHaveText('    ^');
  await input.fill('x = a*a + b*b; sqrt(x) / (1 + exp(-a))');
  await expect(page.locator('#expr-error')).toHaveText('');
  await expect(page.getByLabel('a low')).toBeVisible();
  await expect(page.getByLabel('b low')).toBeVisible();
  await expect(page.getByLabel('x low')).toHaveCount(0);
  const chain = 'x = a*a + b*b; sqrt(x) / (1 + exp(-a))';
  await page.goto(
    `/?expr=${encodeURIComponent(chain)}&size=4099&reps=2&backends=webgpu&variant=steps&residency=device&autorun=1`,
  );
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(recs.length).toBeGreaterThan(0);
  for (const r of recs)
    expect(r).toMatchObject({
      expr: chain,
      ok: true,
      variant: 'steps',
      variantChoice: 'pinned',
      residency: 'device',
    });
  await expect(page.locator('#variant')).toHaveValue('steps');
  // a typo mid-edit keeps the pin; the fixed chain still has the variant, so it stays pinned
  await page.locator('#expr').fill(`${chain} *`);
  await expect(page.locator('#expr-error')).not.toHaveText('');
  await page.locator('#expr').fill(`${chain} * 2`);
  await expect(page.locator('#variant')).toHaveValue('steps');
  await expect(page).toHaveURL(/variant=steps/);
});
