import { formatMs, formatRate, speedup } from '../bench/compare';
import type { RunRecord } from '../bench/record';

/** A plain-text table, one row per record; the columns say what was timed. */
export function formatTable(records: readonly RunRecord[]): string {
  const head = [
    'kernel',
    'size',
    'device',
    'cold ms',
    'median ms',
    'p10–p90 ms',
    'kernel ms',
    'GB/s',
    'GFLOP/s',
    'vs main',
    'max abs err',
    'ok',
  ];
  const rows = records.map((r) => [
    r.kernel === 'expr' ? `expr ${r.expr}` : r.kernel,
    String(r.size),
    r.device + (r.transfer ? ` (${r.transfer})` : ''),
    formatMs(r.coldMs),
    formatMs(r.medianMs),
    r.p10Ms === null ? '—' : `${formatMs(r.p10Ms)}–${formatMs(r.p90Ms)}`,
    formatMs(r.kernelMedianMs),
    formatRate(r.gbps),
    formatRate(r.gflops),
    speedup(records, r),
    r.maxAbsErr === null ? '—' : r.maxAbsErr.toExponential(1),
    r.ok ? 'yes' : `NO: ${r.error ?? 'not verified'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const notes = [
    'median and p10–p90: warm time to result (host data in, host result out: upload + compute + readback);',
    'cold: the first run with compile and setup; kernel ms: GPU timestamps with data already on the GPU.',
  ];
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', ...notes].join('\n');
}
