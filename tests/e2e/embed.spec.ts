import { expect, test } from '@playwright/test';
import { type StaticServer, serveStatic } from '../../src/cli/serve';
import { expectedRows, rowsOf } from '../shared/rows';

// A blog post on one origin, embed.js on another; the post is not cross-origin isolated.
let assets: StaticServer;
let blog: StaticServer;

const HOST_PAGE = (embed: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>a post</title><link rel="icon" href="data:,">
<style>
  /* a hostile theme: none of it may reach inside the widgets */
  * { color: rgb(255, 0, 0) !important; font-family: monospace !important; }
  button { background: rgb(0, 200, 0) !important; }
  .box, .bar { display: none !important; }
</style></head>
<body>
  <p>Some text before.</p>
  <kernel-race id="w1" kernel="sq2" size="20011" reps="2" autorun></kernel-race>
  <kernel-race id="w2" expr="a**2 + b**2" size="20011" reps="2" backends="main,workers"></kernel-race>
  <kernel-race id="bad" kernel="sq2" size="abc" autorun></kernel-race>
  <script>
    window.events = [];
    for (const type of ['race-complete', 'race-error']) {
      document.addEventListener(type, (e) => window.events.push({ type, id: e.target.id, detail: e.detail }));
    }
  </script>
  <script type="module" src="${embed}"></script>
  <script type="module" src="${embed}?loaded-twice"></script>
</body></html>`;

test.beforeAll(async () => {
  assets = await serveStatic('dist', { isolate: false });
  blog = await serveStatic('dist', {
    isolate: false,
    extra: { '/post.html': HOST_PAGE(`${assets.url}/embed.js`) },
  });
});
test.afterAll(async () => {
  await assets?.close();
  await blog?.close();
});

type Ev = {
  type: string;
  id: string;
  detail: { message?: string } & {
    backend: string;
    code?: string;
    ok: boolean;
    isolated: boolean;
    transfer?: string;
  }[];
};

test('two widgets on a page without isolation, from another origin: both race, a bad attribute fails alone', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${blog.url}/post.html`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { events: Ev[] }).events.length), {
      timeout: 60_000,
    })
    .toBe(2);
  const w2 = await page.evaluate(() =>
    (document.getElementById('w2') as unknown as { run(): Promise<unknown[]> }).run(),
  );
  expect(rowsOf(w2 as { backend: string; code?: string }[])).toEqual(expectedRows(['main', 'workers']));
  const events = await page.evaluate(() => (window as unknown as { events: Ev[] }).events);
  const byId = Object.fromEntries(events.map((e) => [`${e.type}:${e.id}`, e.detail]));
  const w1 = byId['race-complete:w1'] as Ev['detail'];
  expect(rowsOf(w1)).toEqual(expectedRows(['main', 'workers', 'webgpu']));
  for (const r of w1) expect(r).toMatchObject({ ok: true, isolated: false });
  for (const r of w1.filter((r) => r.backend === 'workers')) expect(r.transfer).toBe('copy');
  expect(byId['race-error:bad']).toEqual({ message: "size must be an integer, got 'abc'" });
  expect(events.filter((e) => e.id === 'w2').map((e) => e.type)).toEqual(['race-complete']);
  // inside the widgets
  await expect(page.locator('#bad [part=error]')).toHaveText("size must be an integer, got 'abc'");
  await expect(page.locator('#w1 [part=verdict]')).toContainText('every result verified against float64');
  await expect(page.locator('#w1')).toContainText(
    'not cross-origin isolated: the workers get copies of the data',
  );
  // one engine for every widget: one pool, one GPU device
  const counters = await page.evaluate(() => {
    const g = globalThis as unknown as Record<
      symbol,
      { counters(): { workersStarted: number; gpuBackends: number } }
    >;
    return g[Symbol.for('kernel-playground.embed-engine')].counters();
  });
  expect(counters.gpuBackends).toBe(1);
  expect(counters.workersStarted).toBeLessThanOrEqual(
    await page.evaluate(() => navigator.hardwareConcurrency),
  );
  // the host's CSS did not reach inside
  const style = await page.locator('#w1 .box').evaluate((el) => {
    const s = getComputedStyle(el);
    const b = getComputedStyle(el.querySelector('button')!);
    return { color: s.color, display: s.display, font: s.fontFamily, button: b.backgroundColor };
  });
  expect(style).toEqual({
    color: 'rgb(31, 35, 40)',
    display: 'block',
    font: 'system-ui, sans-serif',
    button: 'rgb(31, 111, 235)',
  });
  expect(errors).toEqual([]);
});

test('the built site has the blog page with live widgets that run', async ({ page }) => {
  await page.goto('/blog.html');
  await expect(page.locator('kernel-race')).toHaveCount(10);
  const recs = await page.evaluate(() =>
    (
      document.querySelector('kernel-race[kernel="saxpy"]') as unknown as {
        run(): Promise<{ ok: boolean }[]>;
      }
    ).run(),
  );
  expect(rowsOf(recs as unknown as { backend: string; code?: string }[])).toEqual([
    'main:js',
    'main:wasm',
    'webgpu:wgsl',
  ]);
  expect(recs.every((r) => r.ok)).toBe(true);
  // the chain kept on the GPU: one dispatch per step, data resident between repetitions
  const resident = page.locator('kernel-race[residency="device"]');
  await resident.evaluate((el) => el.setAttribute('size', '5000'));
  const [chain] = await resident.evaluate((el) =>
    (el as unknown as { run(): Promise<{ ok: boolean; variant?: string; residency?: string }[]> }).run(),
  );
  expect(chain).toMatchObject({ ok: true, variant: 'steps', residency: 'device' });
  await expect(resident.locator('.rows')).toContainText('steps (pinned) · data on GPU');
  await expect(resident.locator('.note').first()).toContainText(
    /A row marked "data on GPU": uploaded once \([\d.]+ ms\), each repetition the kernel alone, read back once \([\d.]+ ms\)\./,
  );
  await expect(resident.locator('.verdict')).toHaveText('Every result verified against float64.');
  // the ladder widget: its rungs in order, each with its speedup over the JavaScript loop
  const ladder = page.locator('kernel-race[ladder]');
  await ladder.evaluate((el) => el.setAttribute('size', '160'));
  const rungs = await ladder.evaluate((el) =>
    (el as unknown as { run(): Promise<{ backend: string; code?: string; ok: boolean }[]> }).run(),
  );
  expect(rowsOf(rungs)).toEqual(['main:js', 'main:wasm', 'workers:wasm', 'webgpu:wgsl']);
  expect(rungs.every((r) => r.ok)).toBe(true);
  await expect(ladder.locator('[part=verdict]')).toContainText(
    /Speedup ladder over the JavaScript loop: main thread 1\.00× → main thread · WebAssembly SIMD [0-9.]+× → /,
  );
  // the backtest widget races the sweep and draws its heatmap, best pair named
  const sweep = page.locator('kernel-race[kernel="backtest"]');
  await sweep.evaluate((el) => {
    el.setAttribute('size', '256');
    el.setAttribute('reps', '1');
  });
  const runs = await sweep.evaluate((el) =>
    (el as unknown as { run(): Promise<{ ok: boolean; result?: string }[]> }).run(),
  );
  expect(runs.every((r) => r.ok)).toBe(true);
  await expect(sweep.locator('kp-sweep-heatmap #best')).toHaveText(
    runs[0].result!.replace(/^best pair /, ''),
  );
});

test('the widget names a size in the kernel’s own words (n×n for matmul, elements otherwise)', async ({
  page,
}) => {
  await page.goto('/blog.html');
  const text = await page.evaluate(async () => {
    const a = document.createElement('kernel-race');
    a.setAttribute('kernel', 'matmul');
    a.setAttribute('size', '256');
    const b = document.createElement('kernel-race');
    b.setAttribute('expr', 'a + b');
    b.setAttribute('size', '1000');
    document.body.append(a, b);
    await (a as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    await (b as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    return [a, b].map((x) => x.shadowRoot?.querySelector('.head')?.textContent ?? '');
  });
  expect(text[0]).toContain('matmul · 256×256');
  expect(text[1]).toContain('a + b · 1000 elements');
});

test('a widget says when its adapter is missing, and clears its error once the attribute is fixed', async ({
  page,
}) => {
  await page.goto('/blog.html');
  type Race = HTMLElement & { run(): Promise<unknown>; updateComplete: Promise<unknown> };
  const note = await page.evaluate(async () => {
    const w = document.createElement('kernel-race') as Race;
    for (const [k, v] of Object.entries({
      kernel: 'sq2',
      size: '1000',
      reps: '1',
      backends: 'webgpu',
      adapter: 'nvidia-h100-80gb-hbm3',
    }))
      w.setAttribute(k, v);
    document.body.append(w);
    await w.run();
    return w.shadowRoot?.querySelector('[part=notice]')?.textContent ?? '';
  });
  expect(note).toContain("adapter 'nvidia-h100-80gb-hbm3' is not on this machine");
  const error = await page.evaluate(async () => {
    const w = document.createElement('kernel-race') as Race;
    w.setAttribute('kernel', 'sq2');
    w.setAttribute('size', 'abc');
    document.body.append(w);
    await w.run().catch(() => {});
    const before = w.shadowRoot?.querySelector('[part=error]')?.textContent ?? '';
    w.setAttribute('size', '1000');
    await w.updateComplete;
    const after = w.shadowRoot?.querySelector('[part=error]')?.textContent ?? '';
    return { before, after };
  });
  expect(error.before).toContain("size must be an integer, got 'abc'");
  expect(error.after).toBe('');
});
