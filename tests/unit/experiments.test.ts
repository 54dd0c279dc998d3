import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../src/bench/columns';
import {
  crossover,
  parallelEfficiency,
  runSweep,
  scalingCounts,
  sweepSizes,
} from '../../src/bench/experiments';
import { CSV_COLUMNS, toCsv } from '../../src/bench/export';
import type { RunRecord } from '../../src/bench/record';
import { Engine } from '../../src/engine';
import { nodeRuntime } from '../../src/runtime/node';

function rec(p: Partial<RunRecord>): RunRecord {
  return {
    schemaVersion: 1,
    kernel: 'sq2',
    size: 1,
    seed: 1,
    backend: 'main',
    device: 'main thread',
    isolated: true,
    ok: true,
    maxAbsErr: 0,
    maxRelErr: 0,
    reps: 1,
    warmup: 0,
    coldMs: 1,
    medianMs: 1,
    p10Ms: 1,
    p90Ms: 1,
    samplesMs: [1],
    env: { runtime: 'test', cores: 2, appVersion: '0' },
    ...p,
  };
}

describe('experiments', () => {
  it('scale the pool from 1 to the core count and one beyond', () => {
    expect(scalingCounts(2)).toEqual([1, 2, 3]);
    expect(scalingCounts(1)).toEqual([1, 2]);
    expect(scalingCounts(200).at(-1)).toBe(64);
  });
  it('sweep sizes x4 apart (x2 for matmul) within the kernel and memory limits', () => {
    expect(sweepSizes({ kernel: 'sq2' })).toEqual([256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304]);
    expect(sweepSizes({ kernel: 'matmul' })).toEqual([16, 32, 64, 128, 256, 512, 1024, 2048]);
    expect(sweepSizes({ expr: 'sum(a)' }, 1 << 12)).toEqual([256, 1024, 4096]);
  });
  it('find the size from which a backend stays faster than the main thread', () => {
    const gpu = (size: number, ms: number) => rec({ size, backend: 'webgpu', device: 'gpu', medianMs: ms });
    const main = (size: number, ms: number) => rec({ size, medianMs: ms });
    const rs = [
      main(1, 1),
      gpu(1, 5),
      main(2, 2),
      gpu(2, 1.5),
      main(3, 4),
      gpu(3, 5),
      main(4, 8),
      gpu(4, 2),
      main(5, 16),
      gpu(5, 3),
    ];
    expect(crossover(rs, 'gpu')).toBe(4);
    expect(
      crossover(
        rs.filter((r) => r.size < 4),
        'gpu',
      ),
    ).toBeNull();
  });
  it('compute parallel efficiency as speedup per worker', () => {
    expect(parallelEfficiency(100, 25, 4)).toBe(1);
    expect(parallelEfficiency(100, 50, 4)).toBe(0.5);
  });
});

describe('exports', () => {
  const rs = [
    rec({}),
    rec({
      backend: 'webgpu',
      device: 'WebGPU · "x", y',
      adapterId: 'x',
      fallback: true,
      phasesMs: { upload: 1, dispatch: 2, readback: 3 },
      medianMs: 0.5,
    }),
    rec({ kernel: 'expr', expr: 'a | b', ok: false, error: 'bad\nthing' }),
  ];
  it('CSV: a header and one quoted-where-needed row per record', () => {
    const lines = toCsv(rs).trim().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[2]).toContain(',webgpu,"WebGPU · ""x"", y",x,true,');
    expect(lines[2]).toContain(',1,2,3,');
    expect(toCsv(rs)).toContain('"bad\nthing"');
  });
  it('CSV: text a spreadsheet would take for a formula stays text; numbers stay numbers', () => {
    const csv = toCsv([rec({ kernel: 'expr', expr: '-a+b*2', error: '=cmd' })]);
    expect(csv).toContain(",'-a+b*2,");
    expect(csv).toContain(",'=cmd,");
    expect(csv).not.toContain("'1,"); // numeric cells are not touched
  });
  it('Markdown: one row per record, pipes escaped, with where it was measured', () => {
    const md = toMarkdown(rs);
    expect(md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| kernel'))).toHaveLength(3);
    expect(md).toContain('| `a \\| b` |');
    expect(md).toContain('| 2.00× |');
    expect(md).toContain('Measured with Kernel Playground 0 on test, 2 cores.');
  });
});

describe('size sweep on the main thread', () => {
  it('skips points predicted to block for long, with a record that says so, and runs the rest', async () => {
    const engine = new Engine(nodeRuntime);
    try {
      const base = {
        kernel: 'matmul',
        backends: ['main' as const],
        code: ['js' as const],
        reps: 1,
        warmup: 0,
      };
      // A limit of 0.01 ms: after the first size every main-thread point is predicted past it.
      const recs = await runSweep(engine, base, [16, 32, 64], {}, 0.01);
      expect(recs.map((r) => [r.size, r.ok, Boolean(r.skipped)])).toEqual([
        [16, true, false],
        [32, false, true],
        [64, false, true],
      ]);
      expect(recs[1].skipped).toMatch(/^about .* s per run on the main thread \(predicted from size 16\)/);
      expect(recs[1].medianMs).toBeNull();
      expect(toMarkdown(recs)).toContain('skipped: about');
    } finally {
      engine.dispose();
    }
  });
});
