import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../shared/cli';
import { expectedRows, rowsOf } from '../shared/rows';

const dir = mkdtempSync(join(tmpdir(), 'kp-eval-'));
const f32 = (name: string, values: number[]) => {
  const file = join(dir, name);
  writeFileSync(file, new Uint8Array(Float32Array.from(values).buffer));
  return file;
};
const read = (file: string) => [...new Float32Array(new Uint8Array(readFileSync(file)).buffer)];

describe('cli run --expr', () => {
  it('records kernel "expr" with the expression, verified on every backend', () => {
    const r = cli(['run', '--expr', 'where(a > b, a*b, a - b)', '--size', '10007', '--reps', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const recs = JSON.parse(r.stdout);
    expect(rowsOf(recs)).toEqual(expectedRows(['main', 'workers', 'webgpu']));
    for (const x of recs)
      expect(x).toMatchObject({ kernel: 'expr', expr: 'where(a > b, a*b, a - b)', size: 10007, ok: true });
  });

  it('runs a chain of 4,999 terms (under the 10,000-character limit) on every backend: no recursion limit', () => {
    const expr = `a${'+a'.repeat(4998)}`;
    for (const print of ['js', 'wgsl']) expect(cli(['eval', '--expr', expr, '--print', print]).code).toBe(0);
    const r = cli(['run', '--expr', expr, '--size', '1000', '--reps', '1', '--json']);
    expect(r.code, r.stderr.slice(0, 500)).toBe(0);
    const recs = JSON.parse(r.stdout);
    expect(rowsOf(recs)).toEqual(expectedRows(['main', 'workers', 'webgpu']));
    for (const x of recs) expect(x.ok).toBe(true);
  }, 180_000); // ~10 s alone; compiling 5,000 terms on lavapipe beside the GPU suite takes much longer

  it('takes input ranges', () => {
    const r = cli([
      'run',
      '--expr',
      'log(a)',
      '--ranges',
      'a:1:100',
      '--size',
      '1000',
      '--backends',
      'main',
      '--reps',
      '1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    // The record says how the inputs were drawn, so an export reproduces the run.
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ ok: true, expr: 'log(a)', ranges: 'a:1:100' });
  });

  it.each([
    ['exp(a*100)', 'a:-1:1'],
    ['a**2', 'a:1e37:3e38'],
    ['a*1e-30*1e-20', 'a:-1:1'],
  ])('calls float32 overflow and underflow right: %s on %s verifies on the CPU backends', (expr, ranges) => {
    const r = cli([
      'run',
      '--expr',
      expr,
      '--ranges',
      ranges,
      '--size',
      '1000',
      '--backends',
      'main,workers',
      '--reps',
      '1',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const x of JSON.parse(r.stdout)) expect(x.ok, x.error).toBe(true);
  });

  it.each([
    [['run', '--expr', 'a +* b'], "error: unexpected '*' at column 4"],
    [['run', '--expr', 'foo(a)'], "error: unknown function 'foo' at column 1"],
    [
      ['run', '--expr', 'a', '--ranges', 'a:2:1'],
      "error: bad range 'a:2:1': write NAME:LOW:HIGH with LOW <= HIGH, e.g. a:0:10",
    ],
    [
      ['run', '--expr', 'a', '--ranges', 'b:0:1'],
      "error: a range is given for 'b', which the expression does not use",
    ],
    [['run', '--expr', 'a', '--kernel', 'sq2'], 'error: give --kernel ID or --expr EXPR, not both'],
  ])('exits 2 on %j', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(message);
  });
});

describe('cli eval', () => {
  const a = f32('a.f32', [1, 2, 3, -4, 0.5]);
  const b = f32('b.f32', [1, 1, 1, 1, 1]);
  it.each(['main', 'workers', 'webgpu'])('evaluates raw float32 files on %s', (backend) => {
    const out = join(dir, `out-${backend}.f32`);
    const r = cli([
      'eval',
      '--expr',
      'a**2 + b**2',
      '--var',
      `a=${a}`,
      '--var',
      `b=${b}`,
      '--backend',
      backend,
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(read(out)).toEqual([2, 5, 10, 17, 1.25]);
  });
  it.each(['main', 'workers'])('evaluates with --code wasm on %s, and the device says so', (backend) => {
    const out = join(dir, `out-wasm-${backend}.f32`);
    const r = cli([
      'eval',
      '--expr',
      'a**2 + b**2',
      '--var',
      `a=${a}`,
      '--var',
      `b=${b}`,
      '--backend',
      backend,
      '--code',
      'wasm',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(out)).toEqual([2, 5, 10, 17, 1.25]);
    expect(r.stderr).toContain('· WebAssembly SIMD: 5 values written');
  });
  it('refuses --code wasm on webgpu and two codes for eval', () => {
    const base = ['eval', '--expr', 'a*2', '--var', `a=${a}`, '--out', join(dir, 'x.f32')];
    const gpu = cli([...base, '--backend', 'webgpu', '--code', 'wasm']);
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toContain('--code wasm runs on the main thread or in workers, not webgpu');
    const two = cli([...base, '--backend', 'main', '--code', 'js,wasm']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('eval runs one --code: js or wasm');
  });
  it('reads and writes paths relative to the directory the user ran it from (INIT_CWD)', () => {
    const r = cli(
      ['eval', '--expr', 'a*2', '--var', 'a=a.f32', '--backend', 'main', '--out', 'rel-out.f32'],
      {
        INIT_CWD: dir,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(read(join(dir, 'rel-out.f32'))).toEqual([2, 4, 6, -8, 1]);
  });
  it('notes a variable the expression does not use, as numexpr ignores it', () => {
    const out = join(dir, 'unused.f32');
    const r = cli([
      'eval',
      '--expr',
      'a + 1',
      '--var',
      `a=${a}`,
      '--var',
      `b=${b}`,
      '--backend',
      'main',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("note: the expression does not use 'b'");
    expect(read(out)).toEqual([2, 3, 4, -3, 1.5]);
  });
  it('refuses an --out it cannot write before computing (exit 2)', () => {
    const r = cli([
      'eval',
      '--expr',
      'a',
      '--var',
      `a=${a}`,
      '--backend',
      'main',
      '--out',
      '/nonexistent-dir/o.f32',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: cannot write --out /nonexistent-dir/o.f32: ENOENT');
  });
  it('takes an expression that starts with a minus sign after --expr', () => {
    const r = cli([
      'run',
      '--expr',
      '-a + b',
      '--size',
      '100',
      '--backends',
      'main',
      '--reps',
      '1',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ expr: '-a + b', ok: true });
  });
  it('writes one value for a reduction', () => {
    const out = join(dir, 'sum.f32');
    const r = cli([
      'eval',
      '--expr',
      'sum(a*b)',
      '--var',
      `a=${a}`,
      '--var',
      `b=${b}`,
      '--backend',
      'webgpu',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(out)).toEqual([2.5]);
  });
  it('evaluates a chain of steps: only the names no step assigns are --vars', () => {
    for (const backend of ['main', 'webgpu']) {
      const out = join(dir, `chain-${backend}.f32`);
      const r = cli([
        'eval',
        '--expr',
        'x = a*a + b*b; y = x + 1; sum(y * x)',
        '--var',
        `a=${a}`,
        '--var',
        `b=${b}`,
        '--backend',
        backend,
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const av = read(a);
      const bv = read(b);
      const want = av.reduce((s, _, i) => {
        const x = av[i] * av[i] + bv[i] * bv[i];
        return s + (x + 1) * x;
      }, 0);
      expect(read(out)[0]).toBeCloseTo(want, 4);
    }
  });
  it('prints the generated code with --print', () => {
    const js = cli(['eval', '--expr', 'a*2 + b', '--print', 'js']);
    expect(js.code).toBe(0);
    expect(js.stdout).toContain('return function kernel(inputs, out, size, start, end)');
    const wgsl = cli(['eval', '--expr', 'a*2 + b', '--print', 'wgsl']);
    expect(wgsl.stdout).toContain('@compute @workgroup_size(WG)');
    expect(wgsl.stdout).toContain('var<storage, read> in1: array<f32>; // b');
  });
  it.each([
    [
      ['eval', '--expr', 'a + b', '--var', 'a=A', '--backend', 'main', '--out', 'o'],
      "error: no --var for 'b': the expression uses a, b",
    ],
    [
      ['eval', '--expr', 'a', '--var', 'a=/nonexistent/x.f32', '--backend', 'main', '--out', 'o'],
      'error: cannot read --var a=/nonexistent/x.f32: ENOENT',
    ],
    [['eval', '--expr', 'a', '--print', 'c'], "error: --print takes js or wgsl, got 'c'"],
    [['eval', '--expr', 'a'], 'error: eval needs --backend main|workers|webgpu'],
    [
      ['eval', '--expr', 'a', '--var', 'a=A', '--backend', 'workers', '--workers', '0', '--out', 'o'],
      'error: workers must be an integer from 1 to 64, got 0',
    ],
  ])('exits 2 on %j', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });
  it('refuses inputs of different lengths and files that are not float32', () => {
    const short = f32('short.f32', [1, 2]);
    const odd = join(dir, 'odd.bin');
    writeFileSync(odd, new Uint8Array([1, 2, 3]));
    const r1 = cli([
      'eval',
      '--expr',
      'a + b',
      '--var',
      `a=${a}`,
      '--var',
      `b=${short}`,
      '--backend',
      'main',
      '--out',
      join(dir, 'x'),
    ]);
    expect(r1.stderr).toContain('error: inputs differ in length: a has 5 values, b has 2');
    const r2 = cli([
      'eval',
      '--expr',
      'a',
      '--var',
      `a=${odd}`,
      '--backend',
      'main',
      '--out',
      join(dir, 'x'),
    ]);
    expect(r2.stderr).toContain('has 3 bytes: not a whole number of float32 values');
    expect([r1.code, r2.code]).toEqual([2, 2]);
  });
});
