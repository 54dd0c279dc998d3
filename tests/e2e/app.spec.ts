import { expect, type Page, test } from '@playwright/test';
import { registry } from '../../src/kernels/registry';
import { expectedRows, rowsOf } from '../shared/rows';

const SIZES: Record<string, string> = { sq2: '100003', saxpy: '65537', sum: '100003', matmul: '67' };

function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the page is cross-origin isolated and finds the WebGPU adapter', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('#isolation')).toContainText('Cross-origin isolated: yes');
  await expect(page.locator('#gpu-status')).toContainText('WebGPU adapter: SwiftShader');
  await expect(page.locator('#gpu-status')).toContainText('software (CPU) adapter');
  expect(typeof (await page.evaluate(() => typeof window.playground.run))).toBe('string');
  expect(await page.evaluate(() => window.playground.results)).toBeNull();
  expect(errors).toEqual([]);
});

for (const [kernel, size] of Object.entries(SIZES)) {
  test(`${kernel} runs on all three backends through the UI and every row verifies`, async ({ page }) => {
    const errors = collectConsoleErrors(page);
    await page.goto('/');
    await page.locator('#kernel').selectOption(kernel);
    await page.locator('#size').fill(size);
    await page.locator('#size').dispatchEvent('change');
    await page.locator('#reps').fill('3');
    await page.locator('#reps').dispatchEvent('change');
    const done = page.evaluate(
      () =>
        new Promise<unknown[]>((r) =>
          window.addEventListener('playground-results', (e) => r((e as CustomEvent).detail), { once: true }),
        ),
    );
    await page.locator('#run').click();
    const records = (await done) as {
      backend: string;
      ok: boolean;
      size: number;
      kernel: string;
      transfer?: string;
      code?: string;
    }[];
    const wasm = registry.get(kernel).wasm !== undefined;
    expect(rowsOf(records)).toEqual(expectedRows(['main', 'workers', 'webgpu'], wasm));
    for (const r of records) {
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r.kernel).toBe(kernel);
      expect(r.size).toBe(Number(size));
    }
    for (const r of records.filter((r) => r.backend === 'workers')) expect(r.transfer).toBe('shared');
    const rows = page.locator('kp-results tbody tr');
    await expect(rows).toHaveCount(records.length);
    for (const r of records) {
      const row = page.locator(`kp-results tbody tr[data-backend="${r.backend}"][data-code="${r.code}"]`);
      await expect(row).toHaveAttribute('data-ok', 'true');
      await expect(row.locator('td.verified')).toHaveText('✓');
    }
    await expect(page.locator('kp-results tbody tr[data-backend="webgpu"] th')).toContainText(
      'says nothing about GPU speed',
    );
    await expect(page).toHaveURL(new RegExp(`kernel=${kernel}&size=${size}`));
    expect(errors).toEqual([]);
  });
}

test('window.playground.run returns records and a bad option rejects with a message on the page', async ({
  page,
}) => {
  await page.goto('/');
  const recs = await page.evaluate(() =>
    window.playground.run({ kernel: 'saxpy', size: 1000, backends: ['main', 'webgpu'], reps: 2 }),
  );
  expect(rowsOf(recs)).toEqual(['main:js', 'main:wasm', 'webgpu:wgsl']);
  expect(recs.every((r) => r.ok)).toBe(true);
  const err = await page.evaluate(() =>
    window.playground.run({ kernel: 'nope' }).then(
      () => 'resolved',
      (e: Error) => e.message,
    ),
  );
  expect(err).toBe(
    "unknown kernel 'nope': choose one of sq2, saxpy, sum, matmul, blackscholes, montecarlo, backtest",
  );
  await expect(page.locator('#error')).toHaveText(
    "unknown kernel 'nope': choose one of sq2, saxpy, sum, matmul, blackscholes, montecarlo, backtest",
  );
});

test('Cancel stops a long run and the next run works', async ({ page }) => {
  await page.goto('/?kernel=matmul&size=700&backends=workers&reps=50');
  await page.locator('#run').click();
  await expect(page.locator('#progress')).toContainText('repetition', { timeout: 60_000 });
  await page.locator('#cancel').click();
  await expect(page.locator('#error')).toContainText('the run was cancelled');
  // A cancellation is what the user asked for: a neutral status line, not a red alert.
  await expect(page.locator('#error')).toHaveAttribute('role', 'status');
  await expect(page.locator('#error')).toHaveClass('notice');
  await expect(page.locator('#run')).toBeEnabled();
  const recs = await page.evaluate(() =>
    window.playground.run({ kernel: 'sq2', size: 4096, backends: ['workers'], reps: 2 }),
  );
  expect(recs[0].ok).toBe(true);
});

test('keyboard: Enter on Run focuses Cancel while the run goes, and Run again after', async ({ page }) => {
  await page.goto('/?kernel=matmul&size=384&backends=workers&reps=20');
  await page.locator('#run').focus();
  const done = page.evaluate(
    () => new Promise((r) => window.addEventListener('playground-results', r, { once: true })),
  );
  await page.keyboard.press('Enter');
  await expect(page.locator('#cancel')).toBeFocused();
  await done;
  await expect(page.locator('#run')).toBeFocused();
});

test('montecarlo shows its estimate ± standard error beside the closed-form price, on every backend', async ({
  page,
}) => {
  await page.goto('/?kernel=montecarlo&size=8192&reps=1&autorun=1');
  const recs = await page.evaluate(() => window.playground.results);
  expect(rowsOf(recs ?? [])).toEqual(expectedRows(['main', 'workers', 'webgpu']));
  for (const r of recs ?? []) expect(r.ok, r.error).toBe(true);
  await expect(page.locator('kp-results tbody tr').first()).toContainText(
    'Black–Scholes closed form 12.8216',
  );
});

test('the backtest sweep draws a heatmap of Sharpe ratios, best pair ringed, readable by keyboard', async ({
  page,
}) => {
  await page.goto('/?kernel=backtest&size=1024&reps=1&autorun=1');
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(rowsOf(recs)).toEqual(expectedRows(['main', 'workers', 'webgpu']));
  for (const r of recs) expect(r.ok, r.error).toBe(true);
  const best = recs[0].result?.replace(/^best pair /, '') ?? '';
  expect(best).toMatch(/^fast \d+ \/ slow \d+ days: Sharpe /);
  // every backend found the same best pair; the heatmap names it and the readout starts on it
  for (const r of recs) expect(r.result).toBe(recs[0].result);
  const heatmap = page.locator('kp-sweep-heatmap');
  await expect(heatmap.locator('#best')).toHaveText(best);
  await expect(heatmap.locator('figcaption')).toContainText('32 × 32');
  await expect(heatmap.locator('#readout')).toHaveText(best);
  // the canvas is painted: the colour scale spans many shades, not a blank or flat rectangle
  const shades = await heatmap.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const seen = new Set<number>();
    for (let k = 0; k < data.length; k += 4)
      if (data[k + 3]) seen.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
    return seen.size;
  });
  expect(shades).toBeGreaterThan(100);
  await expect(heatmap.locator('figcaption')).toContainText(
    /Buy and hold over all 3600 days: Sharpe -?\d\.\d\d/,
  );
  // arrows move between pairs (one fast window to the right or left), Home returns to the best
  await heatmap.locator('canvas').focus();
  const fastOf = async () =>
    Number(/^fast (\d+)/.exec((await heatmap.locator('#readout').textContent()) ?? '')?.[1]);
  const start = await fastOf();
  await page.keyboard.press(start < 33 ? 'ArrowRight' : 'ArrowLeft');
  expect(await fastOf()).toBe(start < 33 ? start + 1 : start - 1);
  await page.keyboard.press('Home');
  await expect(heatmap.locator('#readout')).toHaveText(best);
  // the sweep downloads as CSV: a header and one row per pair
  const download = page.waitForEvent('download');
  await heatmap.locator('#sweep-csv').click();
  const text = await (await download).createReadStream().then(
    (s) =>
      new Promise<string>((resolve) => {
        let t = '';
        s.on('data', (d) => {
          t += d;
        });
        s.on('end', () => resolve(t));
      }),
  );
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('fast,slow,total_return,sharpe');
  expect(lines).toHaveLength(1025);
});

test('GPU variants: each adapter’s tuned choice, remembered; a pin from the URL or the select; Re-tune', async ({
  page,
}) => {
  await page.goto('/?kernel=matmul&size=132&backends=webgpu&reps=1&autorun=1');
  const [tuned] = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(tuned).toMatchObject({ ok: true, variantChoice: 'tuned' });
  expect(['tile64', 'tile128', 'quad128']).toContain(tuned.variant);
  await expect(page.locator('kp-results tbody tr').first()).toContainText(
    `GPU variant ${tuned.variant} (tuned)`,
  );
  const stored = async () =>
    page.evaluate(() => JSON.parse(localStorage.getItem('kernel-playground.tune.v1') ?? '{}'));
  const first = await stored();
  const key = Object.keys(first).find((k) => k.endsWith('|matmul|128'));
  expect(key, JSON.stringify(first)).toBeTruthy();
  // quad128 too where the adapter has subgroups
  const timed = Object.keys(first[key!].ms);
  expect(timed).toEqual(expect.arrayContaining(['tile64', 'tile128']));
  for (const v of timed) expect(['tile64', 'tile128', 'quad128']).toContain(v);
  // pin one with the select: the URL says so, the row says pinned
  await page.locator('#variant').selectOption('tile128');
  await expect(page).toHaveURL(/variant=tile128/);
  await expect(page.locator('#retune')).toBeDisabled();
  const done = page.evaluate(
    () =>
      new Promise<unknown[]>((r) =>
        window.addEventListener('playground-results', (e) => r((e as CustomEvent).detail), { once: true }),
      ),
  );
  await page.locator('#run').click();
  expect((await done)[0]).toMatchObject({ ok: true, variant: 'tile128', variantChoice: 'pinned' });
  // back to auto, and Re-tune times them again (a new record in the store)
  await page.locator('#variant').selectOption('');
  await expect(page).not.toHaveURL(/variant=/);
  const again = page.evaluate(
    () =>
      new Promise<unknown[]>((r) =>
        window.addEventListener('playground-results', (e) => r((e as CustomEvent).detail), { once: true }),
      ),
  );
  await page.locator('#retune').click();
  expect((await again)[0]).toMatchObject({ ok: true, variantChoice: 'tuned' });
  expect((await stored())[key!].at).toBeGreaterThan(first[key!].at);
  // a pin from a link
  await page.goto('/?kernel=sq2&size=1001&backends=webgpu&reps=1&variant=vec4&autorun=1');
  const [pinned] = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(pinned).toMatchObject({ ok: true, variant: 'vec4', variantChoice: 'pinned' });
  await expect(page.locator('#variant')).toHaveValue('vec4');
  // a pin the edited expression does not have is dropped, not kept hidden in the URL
  await page.goto('/?expr=sum(a*b)&size=1000&backends=webgpu&reps=1&variant=items16');
  await expect(page.locator('#variant')).toHaveValue('items16');
  await page.locator('#expr').fill('a*b');
  await expect(page.locator('#variant')).toHaveValue('');
  await expect(page).not.toHaveURL(/variant=/);
});

test('the memory report: each row says what it held; the GPU pool is shown and released on request', async ({
  page,
}) => {
  await page.goto('/?kernel=sq2&size=262144&reps=1&autorun=1');
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  const gpu = recs.find((r) => r.backend === 'webgpu');
  expect(gpu?.memory?.gpuBytesInUse).toBeGreaterThanOrEqual(3 * 4 * 262144);
  expect(recs.find((r) => r.backend === 'main')?.memory?.hostBytes).toBe(3 * 4 * 262144);
  await expect(page.locator('kp-results tbody tr[data-backend=webgpu]')).toContainText(
    /GPU memory during the run: [\d.]+ MiB in use/,
  );
  const memory = page.locator('#memory');
  await expect(memory).toContainText(/0 B in use, [\d.]+ MiB held by the buffer pool/);
  await page.locator('#release').click();
  await expect(memory.locator('[role=status]')).toHaveText(/^released [\d.]+ MiB$/);
  await expect(memory).toContainText('0 B in use, 0 B held by the buffer pool');
  // and runs go on, allocating afresh
  await page.locator('#run').click();
  await expect(memory).toContainText(/MiB held by the buffer pool/);
});

test('data on the GPU from the URL: one upload and one readback shown apart from the kernel time', async ({
  page,
}) => {
  await page.goto('/?kernel=sq2&size=100000&backends=main,webgpu&code=js&residency=device&reps=3&autorun=1');
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  const gpu = recs.find((r) => r.backend === 'webgpu');
  expect(gpu).toMatchObject({ ok: true, residency: 'device' });
  expect(gpu?.phasesMs?.dispatch).toBe(gpu?.medianMs);
  expect(recs.find((r) => r.backend === 'main')?.residency).toBeUndefined();
  await expect(page.locator('kp-results tbody tr[data-backend=webgpu]')).toContainText(
    /data on the GPU: uploaded once \([\d.]+ ms\), each repetition the kernel alone, read back once \([\d.]+ ms\)/,
  );
  // the chart names the bar as a kernel time, beside the other rows' time to result
  await expect(page.locator('kp-speedup-chart canvas')).toHaveAttribute(
    'aria-label',
    /data on GPU \(kernel only\)/,
  );
  await expect(page.locator('#resident')).toBeChecked();
  await page.locator('#resident').uncheck();
  await expect(page).not.toHaveURL(/residency=/);
});

test('the speedup ladder from the URL: JavaScript, WebAssembly, WebAssembly workers, WebGPU, each verified, charted', async ({
  page,
}) => {
  await page.goto('/?kernel=matmul&size=128&reps=2&ladder=1&autorun=1');
  const recs = (await page.evaluate(() => window.playground.results)) ?? [];
  expect(rowsOf(recs)).toEqual(['main:js', 'main:wasm', 'workers:wasm', 'webgpu:wgsl']);
  for (const r of recs) expect(r.ok, r.error).toBe(true);
  await expect(page.locator('kp-ladder-chart')).toHaveCount(1);
  await expect(page.locator('kp-ladder-chart canvas')).toHaveAttribute(
    'aria-label',
    /^Speedup ladder over the JavaScript loop: main thread 1\.00×; main thread · WebAssembly SIMD [0-9.]+×; /,
  );
  await expect(page).toHaveURL(/ladder=1/);
  // Run (not the ladder button) is an ordinary run again, and the URL stops claiming a ladder
  await page.locator('#run').click();
  await expect(page).not.toHaveURL(/ladder=1/);
});

test('a long main-thread run is announced before it starts, and Cancel still stops it', async ({ page }) => {
  await page.goto('/?kernel=matmul&size=2048&backends=main&code=js&reps=1&warmup=0');
  await page.locator('#run').click();
  // 2·2048³ flops at a modest typical speed: tens of seconds, said at once, not after the run
  await expect(page.locator('[role=note]')).toContainText(
    /the main thread will need about \d+ (s|min) for this run \(\d+ (s|min) per repetition, predicted from a typical speed\); it works in slices, so the page stays usable and Cancel stops it/,
    { timeout: 5000 },
  );
  await page.locator('#cancel').click();
  await expect(page.locator('#error')).toContainText('the run was cancelled', { timeout: 5000 });
  await expect(page.locator('#run')).toBeEnabled();
});
