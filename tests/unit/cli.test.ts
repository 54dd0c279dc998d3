import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../../src/kernels/registry';
import { cli } from '../shared/cli';
import { expectedRows, rowsOf } from '../shared/rows';

const SCHEMA_CHECK = '../shared/checks/record-schema.mjs';

describe('cli run', () => {
  it('prints JSON records on stdout only, verified, exit 0', () => {
    const r = cli([
      'run',
      '--kernel',
      'saxpy',
      '--size',
      '1000',
      '--backends',
      'main,workers',
      '--reps',
      '3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const recs = JSON.parse(r.stdout);
    expect(rowsOf(recs)).toEqual(expectedRows(['main', 'workers']));
    for (const x of recs) {
      expect(x).toMatchObject({
        schemaVersion: 1,
        kernel: 'saxpy',
        size: 1000,
        seed: 1,
        ok: true,
        reps: 3,
        warmup: 1,
        isolated: true,
      });
      expect(x.samplesMs).toHaveLength(3);
      expect(x.p10Ms).toBeLessThanOrEqual(x.medianMs);
      expect(x.medianMs).toBeLessThanOrEqual(x.p90Ms);
      expect(x.env.runtime).toMatch(/^node 20\./);
    }
    expect(recs[2]).toMatchObject({
      workers: expect.any(Number),
      transfer: 'shared',
      code: 'js',
      device: expect.stringMatching(/workers?$/),
    });
    expect(recs[3]).toMatchObject({
      code: 'wasm',
      transfer: 'shared',
      device: expect.stringMatching(/workers? · WebAssembly SIMD$/),
    });
    expect(r.stderr).toContain('main thread: preparing');
    if (existsSync(SCHEMA_CHECK)) {
      const check = spawnSync(process.execPath, [SCHEMA_CHECK], { input: r.stdout, encoding: 'utf8' });
      expect(check.stdout).toContain('4 passed, 0 failed');
      expect(check.status).toBe(0);
    }
  });

  it('records a WebGPU run with adapter id, fallback flag and GPU kernel time', () => {
    const r = cli([
      'run',
      '--kernel',
      'matmul',
      '--size',
      '33',
      '--backends',
      'webgpu',
      '--reps',
      '2',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const [rec] = JSON.parse(r.stdout);
    expect(rec).toMatchObject({ backend: 'webgpu', adapterId: 'llvmpipe', fallback: true, ok: true });
    expect(rec.kernelMedianMs).toBeGreaterThan(0);
    expect(rec.phasesMs.dispatch).toBeGreaterThanOrEqual(0);
  });

  it('prints a table by default', () => {
    const r = cli(['run', '--kernel', 'sum', '--size', '100', '--backends', 'main', '--reps', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kernel\s+size\s+device/);
    expect(r.stdout).toMatch(/sum\s+100\s+main thread/);
  });

  it('exits 1 when a run fails, with the error in the record', () => {
    const r = cli(['run', '--kernel', 'fault-throw', '--size', '100', '--backends', 'main', '--json']);
    expect(r.code).toBe(1);
    const [rec] = JSON.parse(r.stdout);
    expect(rec.ok).toBe(false);
    expect(rec.error).toContain('injected fault: the kernel threw');
  });

  it.each([
    [
      ['run', '--kernel', 'nope'],
      "error: unknown kernel 'nope': choose one of sq2, saxpy, sum, matmul, blackscholes, montecarlo, backtest",
    ],
    [['run', '--kernel', 'sum', '--size', '0'], 'error: size must be an integer from 1 to 268435456, got 0'],
    [
      ['run', '--kernel', 'sum', '--size', '2.5'],
      "error: size must be an integer from 1 to 268435456, got '2.5'",
    ],
    [['run', '--kernel', 'sum', '--size', 'abc'], "error: size must be an integer, got 'abc'"],
    [
      ['run', '--kernel', 'sum', '--backends', 'cuda'],
      "error: unknown backend 'cuda': choose from main, workers, webgpu",
    ],
    [['run', '--kernel', 'sum', '--workers', '65'], 'error: workers must be an integer from 1 to 64, got 65'],
    [['run', '--kernel', 'sum', '--reps', '0'], 'error: reps must be an integer from 1 to 1000, got 0'],
    [['run', '--kernel', 'sum', '--bogus'], "error: Unknown option '--bogus'"],
    [['run'], `error: give --kernel ID (one of ${registry.ids().join(', ')}) or --expr EXPR`],
    [['frobnicate'], "error: unknown command 'frobnicate'"],
  ])('exits 2 on bad input %j with one clear line and no stack trace', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 3 when WebGPU is asked for and there is no adapter', () => {
    const r = cli(['run', '--kernel', 'sq2', '--size', '10', '--backends', 'webgpu'], {
      VK_ICD_FILENAMES: '/nonexistent.json',
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: WebGPU was asked for, but no WebGPU adapter was found');
  });

  it('skips WebGPU with a note when no backends were named and there is no adapter', () => {
    const r = cli(['run', '--kernel', 'sq2', '--size', '10', '--reps', '1', '--json'], {
      VK_ICD_FILENAMES: '/nonexistent.json',
    });
    expect(r.code).toBe(0);
    expect(rowsOf(JSON.parse(r.stdout))).toEqual(expectedRows(['main', 'workers']));
    expect(r.stderr).toContain('note: WebGPU skipped: no WebGPU adapter was found');
  });
});

describe('cli adapters', () => {
  it('lists the adapter as JSON with the contract fields', () => {
    const r = cli(['adapters', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.length).toBeGreaterThanOrEqual(1);
    expect(list[0]).toMatchObject({
      id: 'llvmpipe',
      label: 'llvmpipe (software)',
      fallback: true,
      mode: 'core',
    });
    expect(list[0].features).toContain('timestamp-query');
    expect(list[0].limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });
});

describe('cli run montecarlo', () => {
  it('puts the estimate, its standard error and the closed form in the record and under the table', () => {
    const json = cli([
      'run',
      '--kernel',
      'montecarlo',
      '--size',
      '4096',
      '--backends',
      'main,workers',
      '--reps',
      '1',
      '--json',
    ]);
    expect(json.code, json.stderr).toBe(0);
    for (const r of JSON.parse(json.stdout))
      expect(r.result).toMatch(
        /^estimate \d+\.\d{4} ± \d+\.\d{4}; Black–Scholes closed form 12\.8216 \(\d+\.\d standard errors away\)$/,
      );
    const table = cli([
      'run',
      '--kernel',
      'montecarlo',
      '--size',
      '4096',
      '--backends',
      'main',
      '--reps',
      '1',
    ]);
    expect(table.stdout).toMatch(/main thread: estimate \d+\.\d{4} ± /);
  });

  it('runs one code with --code, in order, and a kernel without a WebAssembly program gets a note', () => {
    const wasm = cli([
      'run',
      '--kernel',
      'sq2',
      '--size',
      '1000',
      '--backends',
      'main,workers',
      '--code',
      'wasm',
      '--reps',
      '1',
      '--json',
    ]);
    expect(wasm.code, wasm.stderr).toBe(0);
    expect(rowsOf(JSON.parse(wasm.stdout))).toEqual(['main:wasm', 'workers:wasm']);
    // the fault-injection kernels are the ones without a WebAssembly program
    const both = cli([
      'run',
      '--kernel',
      'fault-throw',
      '--size',
      '1000',
      '--backends',
      'main',
      '--reps',
      '1',
      '--json',
    ]);
    expect(both.code).toBe(1); // its JavaScript row runs, and fails by design
    expect(rowsOf(JSON.parse(both.stdout))).toEqual(['main:js']);
    expect(both.stderr).toContain(
      'note: WebAssembly SIMD rows skipped: fault-throw has no WebAssembly SIMD program yet',
    );
    const only = cli([
      'run',
      '--kernel',
      'fault-throw',
      '--size',
      '1000',
      '--backends',
      'main',
      '--code',
      'wasm',
    ]);
    expect(only.code).toBe(3);
    expect(only.stderr).toContain(
      'WebAssembly SIMD was asked for, but fault-throw has no WebAssembly SIMD program yet',
    );
  });

  it('climbs the speedup ladder with --ladder: JavaScript, WebAssembly, WebAssembly workers, WebGPU', () => {
    const r = cli(['run', '--kernel', 'matmul', '--size', '64', '--ladder', '--reps', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /speedup ladder \(over the JavaScript loop\): main thread 1\.00× → main thread · WebAssembly SIMD [0-9.]+× → \d+ workers? · WebAssembly SIMD [0-9.]+× → WebGPU · [^\n]+ [0-9.]+×\n$/,
    );
    const json = cli(['run', '--kernel', 'matmul', '--size', '64', '--ladder', '--reps', '1', '--json']);
    expect(rowsOf(JSON.parse(json.stdout))).toEqual(['main:js', 'main:wasm', 'workers:wasm', 'webgpu:wgsl']);
  });
});

describe('cli GPU variants', () => {
  it('tune times every variant on the adapter and prints each time and the choice; --json gives the same', () => {
    const text = cli(['tune', '--kernel', 'matmul', '--size', '68', '--adapter', 'llvmpipe']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^llvmpipe · matmul · size 68 \(size class 64\), GPU timestamps\n/);
    expect(text.stdout).toMatch(/ {2}[→ ] tile64 +\d+\.\d{3} ms +64×64 tiles/);
    expect(text.stdout).toMatch(/ {2}[→ ] tile128 +\d+\.\d{3} ms +128×128 tiles/);
    expect(text.stdout).toMatch(/ {2}[→ ] quad128 +\d+\.\d{3} ms +tile128 with each quad/); // lavapipe has subgroups
    expect(text.stdout).toMatch(/ {2}choice: (tile64|tile128|quad128) \(tuned\)\n$/);
    const json = cli(['tune', '--kernel', 'matmul', '--size', '68', '--adapter', 'llvmpipe', '--json']);
    const [r] = JSON.parse(json.stdout);
    expect(r).toMatchObject({
      adapterId: 'llvmpipe',
      kernel: 'matmul',
      size: 68,
      sizeClass: 64,
      how: 'tuned',
    });
    expect(r.variants.map((v: { variant: string }) => v.variant)).toEqual(['tile64', 'tile128', 'quad128']);
    // the next run on that adapter uses the remembered choice, and says so
    const run = cli([
      'run',
      '--kernel',
      'matmul',
      '--size',
      '68',
      '--backends',
      'webgpu',
      '--adapter',
      'llvmpipe',
      '--reps',
      '1',
      '--json',
    ]);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ ok: true, variant: r.choice, variantChoice: 'tuned' });
  });

  it('run --variant pins one: the record and the table say which', () => {
    const r = cli([
      'run',
      '--kernel',
      'sq2',
      '--size',
      '1001',
      '--backends',
      'webgpu',
      '--variant',
      'vec4',
      '--reps',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('· vec4 (pinned)');
    const bad = cli([
      'run',
      '--kernel',
      'matmul',
      '--size',
      '66',
      '--backends',
      'webgpu',
      '--variant',
      'tile128',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: GPU variant 'tile128' of matmul cannot run on");
    expect(bad.stderr).toContain('it needs a size that is a multiple of 4');
  });
});
