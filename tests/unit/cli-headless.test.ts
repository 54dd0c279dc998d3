import { describe, expect, it } from 'vitest';
import { registry } from '../../src/kernels/registry';
import { cli } from '../shared/cli';
import { expectedRows, rowsOf } from '../shared/rows';

// The headless CLI drives the system Chromium through the URL contract: this is how another project's
// CI job measures the browser on its runner.

describe('cli headless', () => {
  it.each(registry.list().map((k) => [k.id, String(k.testSizes[Math.min(3, k.testSizes.length - 1)])]))(
    '%s returns verified records from Chromium, cross-origin isolated',
    (kernel, size) => {
      const r = cli(['headless', '--kernel', kernel, '--size', size, '--reps', '2', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const recs = JSON.parse(r.stdout);
      expect(rowsOf(recs)).toEqual(
        expectedRows(['main', 'workers', 'webgpu'], registry.get(kernel).wasm !== undefined),
      );
      for (const x of recs) {
        expect(x).toMatchObject({ kernel, size: Number(size), ok: true, isolated: true });
        expect(x.env.runtime).toContain('Chrome/');
      }
      for (const x of recs.filter((x: { backend: string }) => x.backend === 'workers'))
        expect(x.transfer).toBe('shared');
      expect(recs.at(-1)).toMatchObject({ adapterId: 'swiftshader', fallback: true });
    },
  );

  it('runs expressions and prints a table by default', () => {
    const r = cli([
      'headless',
      '--expr',
      'where(a > b, a, b)',
      '--size',
      '1000',
      '--reps',
      '1',
      '--backends',
      'main,webgpu',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/expr where\(a > b, a, b\)\s+1000\s+main thread/);
    expect(r.stdout).toContain('WebGPU · SwiftShader (software)');
  });

  it('follows the adapter rules of run: an id Chromium lacks exits 3; compat-opengles runs there', () => {
    const none = cli([
      'headless',
      '--kernel',
      'sq2',
      '--size',
      '1000',
      '--backends',
      'webgpu',
      '--adapter',
      'nonexistent',
    ]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("error: adapter 'nonexistent' is not in this Chromium: it has swiftshader");
    expect(none.stdout).toBe('');
    const compat = cli([
      'headless',
      '--kernel',
      'sq2',
      '--size',
      '1000',
      '--reps',
      '1',
      '--backends',
      'webgpu',
      '--adapter',
      'compat-opengles',
      '--json',
    ]);
    expect(compat.code, compat.stderr).toBe(0);
    expect(JSON.parse(compat.stdout)[0]).toMatchObject({ adapterId: 'compat-opengles', ok: true });
  });

  it('checks its options before starting a browser (exit 2), and needs a Chromium (exit 3)', () => {
    const bad = cli(['headless', '--kernel', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      "error: unknown kernel 'nope': choose one of sq2, saxpy, sum, matmul, blackscholes, montecarlo, backtest",
    );
    const none = cli(['headless', '--kernel', 'sq2', '--chromium', '/nonexistent/chromium']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('error: no Chromium at /nonexistent/chromium');
    expect(none.stdout).toBe('');
  });
});
