import { expect, test } from '@playwright/test';

test('autorun resolves window.playground.results with the records and fires playground-results', async ({
  page,
}) => {
  await page.addInitScript(() => {
    (window as unknown as { fired: number }).fired = 0;
    window.addEventListener('playground-results', () => {
      (window as unknown as { fired: number }).fired++;
    });
  });
  await page.goto('/?kernel=saxpy&size=5000&backends=main,webgpu&reps=2&autorun=true');
  const recs = await page.evaluate(() => window.playground.results);
  expect(recs?.map((r) => [r.kernel, r.size, r.backend, r.code, r.ok])).toEqual([
    ['saxpy', 5000, 'main', 'js', true],
    ['saxpy', 5000, 'main', 'wasm', true],
    ['saxpy', 5000, 'webgpu', 'wgsl', true],
  ]);
  expect(await page.evaluate(() => (window as unknown as { fired: number }).fired)).toBe(1);
  await page.evaluate(() => window.playground.run({ kernel: 'sum', size: 100, reps: 1 }));
  expect(await page.evaluate(() => (window as unknown as { fired: number }).fired)).toBe(2);
});

for (const [query, message] of [
  [
    'kernel=nope',
    "unknown kernel 'nope': choose one of sq2, saxpy, sum, matmul, blackscholes, montecarlo, backtest",
  ],
  ['kernel=sq2&size=abc', "size must be an integer, got 'abc'"],
  ['kernel=sq2&size=-5', 'size must be an integer from 1 to 268435456, got -5'],
  ['kernel=sq2&backends=cuda', "unknown backend 'cuda': choose from main, workers, webgpu"],
  ['expr=a%20%2B*%20b', "unexpected '*' at column 4"],
  ['kernel=sq2&reps=0', 'reps must be an integer from 1 to 1000, got 0'],
] as const) {
  test(`a bad parameter (${query}) rejects results with its message, shown on the page, and runs nothing`, async ({
    page,
  }) => {
    let fired = false;
    await page.exposeFunction('markFired', () => {
      fired = true;
    });
    await page.addInitScript(() =>
      window.addEventListener('playground-results', () =>
        (window as unknown as { markFired(): void }).markFired(),
      ),
    );
    await page.goto(`/?${query}&autorun=1`);
    const err = await page.evaluate(() =>
      window.playground.results?.then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    );
    expect(err).toBe(message);
    await expect(page.locator('#error')).toHaveText(message);
    await expect(page.locator('kp-results tbody tr')).toHaveCount(0);
    expect(fired).toBe(false);
  });
}

test('playground.run checks an options object with the URL’s messages; ranges may be [LOW, HIGH]', async ({
  page,
}) => {
  await page.goto('/');
  const rejection = (o: unknown) =>
    page.evaluate(
      (o) =>
        window.playground.run(o as never).then(
          () => 'resolved',
          (e: Error) => e.message,
        ),
      o,
    );
  expect(await rejection(null)).toBe("run takes an options object, e.g. { kernel: 'sq2', size: 1000000 }");
  expect(await rejection({ kernel: 'sq2', sise: 5 })).toContain("unknown option 'sise'");
  expect(await rejection({ expr: 'a+b', ranges: { a: 'x' } })).toContain("bad range 'a:x'");
  const recs = await page.evaluate(() =>
    window.playground.run({
      expr: 'a+b',
      ranges: { a: [0, 1] } as never,
      size: 1000,
      backends: ['main'],
      reps: 1,
    }),
  );
  expect(recs[0].ok).toBe(true);
  await expect(page).toHaveURL(/ranges=a%3A0%3A1(&|$)/);
});
