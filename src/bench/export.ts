import { speedup } from './compare';
import type { RunRecord } from './record';

/** The record fields as CSV columns, in this order (phases and env flattened). */
export const CSV_COLUMNS = [
  'kernel',
  'expr',
  'size',
  'seed',
  'backend',
  'device',
  'adapterId',
  'fallback',
  'workers',
  'transfer',
  'isolated',
  'ok',
  'error',
  'maxAbsErr',
  'maxRelErr',
  'reps',
  'warmup',
  'batch',
  'coldMs',
  'medianMs',
  'p10Ms',
  'p90Ms',
  'kernelMedianMs',
  'uploadMs',
  'dispatchMs',
  'readbackMs',
  'gbps',
  'gflops',
  'samplesMs',
  'runtime',
  'cores',
  'appVersion',
] as const;

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = Array.isArray(v) ? v.join(' ') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(records: readonly RunRecord[]): string {
  const rows = records.map((r) => {
    const flat: Record<string, unknown> = {
      ...r,
      uploadMs: r.phasesMs?.upload,
      dispatchMs: r.phasesMs?.dispatch,
      readbackMs: r.phasesMs?.readback,
      runtime: r.env.runtime,
      cores: r.env.cores,
      appVersion: r.env.appVersion,
    };
    return CSV_COLUMNS.map((c) => cell(flat[c])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

const md = (s: string) => s.replace(/\|/g, '\\|');
const num = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));

/** A Markdown table for blog posts, with where it was measured and what the times are. */
export function toMarkdown(records: readonly RunRecord[]): string {
  const env = records[0]?.env;
  const lines = [
    '| kernel | size | device | cold ms | median ms | p10–p90 ms | kernel ms | GB/s | GFLOP/s | vs main | verified |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...records.map(
      (r) =>
        `| ${md(r.kernel === 'expr' ? `\`${r.expr}\`` : r.kernel)} | ${r.size} | ${md(r.device + (r.transfer ? ` (${r.transfer})` : ''))} | ${num(r.coldMs, 1)} | ${num(r.medianMs)} | ${num(r.p10Ms)}–${num(r.p90Ms)} | ${num(r.kernelMedianMs, 3)} | ${num(r.gbps)} | ${num(r.gflops)} | ${speedup(records, r)} | ${r.ok ? '✓' : `✗ ${md(r.error ?? '')}`} |`,
    ),
  ];
  if (env) {
    lines.push(
      '',
      `Median and p10–p90: warm time to result; kernel: GPU timestamps with data on the GPU. Measured with Kernel Playground ${env.appVersion} on ${md(env.runtime)}, ${env.cores} cores.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
