import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

type Rec = {
  backend: string;
  device: string;
  ok: boolean;
  size: number;
  workers?: number;
  code?: string;
  samplesMs: number[];
  medianMs: number;
  variant?: string;
  variantChoice?: string;
};

/** Reads a chart element's Chart.js instance: series labels and point counts. */
async function chartShape(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const find = (root: Document | ShadowRoot): Element | null => {
      const hit = root.querySelector(sel);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) {
          const inner = find(el.shadowRoot);
          if (inner) return inner;
        }
      }
      return null;
    };
    const el = find(document) as
      | (Element & { chart: { data: { datasets: { label?: string; data: unknown[] }[] } } | null })
      | null;
    if (!el?.chart) return null;
    return el.chart.data.datasets.map((d) => ({ label: d.label ?? '', points: d.data.length }));
  }, selector);
}

function waitForResults(page: Page) {
  return page.evaluate(
    () =>
      new Promise<Rec[]>((r) =>
        window.addEventListener('playground-results', (e) => r((e as CustomEvent).detail), { once: true }),
      ),
  );
}

test('a run fills the bar chart and the spread chart, one series per backend', async ({ page }) => {
  await page.goto('/?kernel=saxpy&size=100000&reps=4');
  const done = waitForResults(page);
  await page.locator('#run').click();
  const recs = await done;
  await expect
    .poll(() => chartShape(page, '#speedup-chart'))
    .toEqual([{ label: 'median time to result', points: recs.length }]);
  expect(recs).toHaveLength(5); // main and workers in JavaScript and WebAssembly, WebGPU
  const spread = await chartShape(page, '#spread-chart');
  expect(spread).toEqual(recs.map((r) => ({ label: r.device, points: 4 })));
});

test('worker scaling runs the pool at 1 … cores + 1 workers and plots speedup against the ideal line', async ({
  page,
}) => {
  await page.goto('/?kernel=matmul&size=96&reps=2');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const done = waitForResults(page);
  await page.locator('#scaling').click();
  const recs = await done;
  // each step in JavaScript and in WebAssembly: the main thread, then 1 … cores + 1 workers
  expect(recs.map((r) => `${r.workers ?? 0}:${r.code}`)).toEqual(
    [0, ...Array.from({ length: cores + 1 }, (_, i) => i + 1)].flatMap((w) => [`${w}:js`, `${w}:wasm`]),
  );
  expect(recs.every((r) => r.ok)).toBe(true);
  await expect
    .poll(() => chartShape(page, '#scaling-chart'))
    .toEqual([
      { label: 'measured speedup over the main thread', points: cores + 1 },
      { label: 'measured speedup over the main thread (WebAssembly, over WebAssembly)', points: cores + 1 },
      { label: 'ideal (n workers = n×)', points: cores + 1 },
    ]);
});

test('a size sweep plots time against size per backend, GPU kernel time as its own series', async ({
  page,
}) => {
  await page.goto('/?kernel=sq2&reps=2');
  const recs = await page.evaluate(() => window.playground.sweep({ kernel: 'sq2', reps: 2 }));
  const sizes = [...new Set(recs.map((r) => r.size))];
  expect(sizes).toEqual([256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304]);
  expect(recs.every((r) => r.ok)).toBe(true);
  const shape = await chartShape(page, '#sweep-chart');
  expect(shape).toEqual([
    { label: 'main thread — time to result', points: 8 },
    { label: 'main thread · WebAssembly SIMD — time to result', points: 8 },
    { label: '2 workers — time to result', points: 8 },
    { label: '2 workers · WebAssembly SIMD — time to result', points: 8 },
    { label: 'WebGPU · SwiftShader (software) — time to result', points: 8 },
    { label: 'WebGPU · SwiftShader (software) — GPU kernel only (timestamps)', points: 8 },
  ]);
});

test('Cancel in the middle of a sweep stops it, and a new run works', async ({ page }) => {
  await page.goto('/?kernel=matmul&reps=3');
  await page.locator('#sweep').click();
  await expect(page.locator('#progress')).toContainText(/Size sweep step [3-8] of 8/, { timeout: 60_000 });
  await page.locator('#cancel').click();
  await expect(page.locator('#error')).toContainText('the run was cancelled');
  await expect(page.locator('#run')).toBeEnabled();
  await expect(page.locator('#progress')).toHaveText('');
  const recs = await page.evaluate(() => window.playground.run({ kernel: 'sq2', size: 1000, reps: 1 }));
  expect(recs.every((r) => r.ok)).toBe(true);
});

test('the URL holds the whole state: loading it sets the controls, changing a control updates it', async ({
  page,
}) => {
  await page.goto('/?kernel=matmul&size=77&seed=9&backends=main,webgpu&workers=3&reps=4&warmup=2');
  await expect(page.locator('#kernel')).toHaveValue('matmul');
  await expect(page.locator('#size')).toHaveValue('77');
  await expect(page.locator('#seed')).toHaveValue('9');
  await expect(page.locator('#workers')).toHaveValue('3');
  await expect(page.locator('#reps')).toHaveValue('4');
  await expect(page.locator('#warmup')).toHaveValue('2');
  await expect(page.locator('input[name=backend][value=workers]')).not.toBeChecked();
  await expect(page.locator('input[name=backend][value=webgpu]')).toBeChecked();
  await page.locator('#size').fill('80');
  await page.locator('#size').dispatchEvent('change');
  await expect(page).toHaveURL(
    /kernel=matmul&size=80&seed=9&backends=main%2Cwebgpu&code=js%2Cwasm&workers=3&reps=4&warmup=2/,
  );
  await page.locator('input[name=backend][value=workers]').check();
  await expect(page).toHaveURL(/backends=main%2Cworkers%2Cwebgpu/);
  expect(await page.evaluate(() => window.playground.results)).toBeNull(); // no autorun by default
});

test('JSON, CSV and Markdown exports hold the same records as the table', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?kernel=sum&size=50000&reps=3');
  const done = waitForResults(page);
  await page.locator('#run').click();
  const recs = await done;
  const rows = await page.locator('kp-results tbody tr').count();
  expect(rows).toBe(recs.length);
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
  const exported = JSON.parse(
    await (await json.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8')),
  );
  expect(exported).toEqual(recs);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  const csvText = await (await csv.createReadStream())
    .toArray()
    .then((b) => Buffer.concat(b).toString('utf8'));
  const lines = csvText.trim().split('\n');
  expect(lines).toHaveLength(recs.length + 1);
  expect(lines[0].split(',').slice(0, 6)).toEqual(['kernel', 'expr', 'size', 'seed', 'backend', 'device']);
  for (const [i, r] of recs.entries()) expect(lines[i + 1]).toContain(`,${r.backend},${r.device},`);
  await page.locator('#export-md').click();
  await expect(page.locator('kp-results-panel [role=status]')).toHaveText('Markdown table copied');
  const md = await page.evaluate(() => navigator.clipboard.readText());
  const mdRows = md.split('\n').filter((l) => l.startsWith('| sum |'));
  expect(mdRows.map((l) => l.split(' | ')[2])).toEqual(
    recs.map(
      (r) =>
        r.device +
        (r.backend === 'workers' ? ' (shared)' : '') +
        (r.variant && r.variantChoice !== 'only' ? ` · ${r.variant} (${r.variantChoice})` : ''),
    ),
  );
});

test('the responsiveness dot stalls while the main thread computes, and a hidden tab is reported', async ({
  page,
}) => {
  await page.goto('/?kernel=matmul&size=640&backends=main&reps=1&warmup=0');
  const done = waitForResults(page);
  await page.locator('#run').click();
  await done;
  await expect(page.locator('#stall')).toContainText(/main thread blocked for \d+ ms/);
  // Simulate the tab going to the background during a run.
  const run = page.evaluate(() =>
    window.playground.run({ kernel: 'matmul', size: 256, backends: ['workers'], reps: 5 }),
  );
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await run;
  await expect(page.locator('#background-warning')).toContainText('browsers throttle background tabs');
});

test('the main page has no serious or critical accessibility violations after a run; a screenshot is kept', async ({
  page,
}, info) => {
  await page.goto('/?kernel=sq2&size=200000&reps=5&autorun=1');
  await page.evaluate(() => window.playground.results);
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  const path = info.outputPath('full-run.png');
  await page.screenshot({ path, fullPage: true });
  await info.attach('full run', { path, contentType: 'image/png' });
});

test('rows and charts update as repetitions finish, before the run ends', async ({ page }) => {
  await page.goto('/?kernel=matmul&size=200&backends=workers,webgpu&reps=120');
  const done = waitForResults(page);
  await page.locator('#run').click();
  // While the GPU row is still being measured, the workers row and a growing strip are already there.
  await expect(page.locator('#progress')).toContainText(/WebGPU.*repetition ([1-9][0-9]) of 120/, {
    timeout: 60_000,
  });
  // the workers in JavaScript and in WebAssembly, then WebGPU
  await expect(page.locator('kp-results tbody tr')).toHaveCount(3);
  const partial = await chartShape(page, '#spread-chart');
  expect(partial?.[0].points).toBe(120);
  expect(partial?.[1].points).toBe(120);
  expect(partial?.[2].points).toBeGreaterThan(0);
  expect(partial?.[2].points).toBeLessThan(120);
  await done;
  expect((await chartShape(page, '#spread-chart'))?.[2].points).toBe(120);
});

test('a long main-thread run is sliced: the record says so, and Cancel acts within a slice, not a run', async ({
  page,
}) => {
  await page.goto('/');
  // n = 800 is 1 GFLOP: well over one 0.1 s slice even for the fastest JavaScript loop (~3 GFLOP/s).
  const [rec] = await page.evaluate(() =>
    window.playground.run({ kernel: 'matmul', size: 800, backends: ['main'], reps: 1, warmup: 0 }),
  );
  expect(rec.ok).toBe(true);
  expect(rec.sliced).toBeGreaterThan(1);
  // n = 1000 is several seconds per run on the main thread; cut into ~0.1 s slices, Cancel acts at once.
  await page.goto('/?kernel=matmul&size=1000&backends=main&reps=3&warmup=0');
  await page.locator('#run').click();
  await expect(page.locator('#progress')).toContainText('first (cold) run', { timeout: 60_000 });
  const t = Date.now();
  await page.locator('#cancel').click();
  await expect(page.locator('#error')).toContainText('the run was cancelled');
  expect(Date.now() - t).toBeLessThan(2500);
});

test('rows keep their own labels when the controls change: the caption and the rate come from the records', async ({
  page,
}) => {
  await page.goto('/?kernel=sq2&size=5000&backends=main&reps=1');
  const done = page.evaluate(
    () => new Promise((r) => window.addEventListener('playground-results', r, { once: true })),
  );
  await page.locator('#run').click();
  await done;
  await page.locator('#kernel').selectOption('matmul');
  await expect(page.locator('#results-what')).toHaveText('Results: sq2 · 5000 elements · seed 1.');
  await expect(page.locator('kp-results thead')).toContainText('GB/s');
  await expect(page.locator('kp-results thead')).not.toContainText('GFLOP/s');
});
