import { registry } from '../kernels/registry';
import { formatMs, formatRate, speedup } from './compare';
import type { RunRecord } from './record';

/**
 * The one column specification of a results table: the CLI's text table, the Markdown export and the
 * page's table all take their headers and cell text from here (the CSV export writes raw record fields).
 */
export interface Column {
  id: ColumnId;
  head: string;
  text(r: RunRecord, all: readonly RunRecord[]): string;
}

export type ColumnId =
  | 'kernel'
  | 'size'
  | 'device'
  | 'cold'
  | 'median'
  | 'spread'
  | 'kernelMs'
  | 'gbps'
  | 'gflops'
  | 'speedup'
  | 'maxAbsErr'
  | 'verified';

/** The GPU variant a row ran, when there was a choice: " · tile128 (tuned)". */
export function variantText(r: RunRecord, lead = ''): string {
  return r.variant && r.variantChoice && r.variantChoice !== 'only'
    ? `${lead}${r.variant} (${r.variantChoice})`
    : '';
}

const spread = (r: RunRecord) => (r.p10Ms === null ? '—' : `${formatMs(r.p10Ms)}–${formatMs(r.p90Ms)}`);

/** A data-on-GPU row's one-off transfers around its per-repetition kernel time, in words. */
export function residentText(r: RunRecord): string {
  const p = r.phasesMs ?? {};
  return `uploaded once (${formatMs(p.upload)} ms), each repetition the kernel alone, read back once (${formatMs(p.readback)} ms)`;
}

export const COLUMNS: Readonly<Record<ColumnId, Column>> = {
  kernel: { id: 'kernel', head: 'kernel', text: (r) => (r.kernel === 'expr' ? `expr ${r.expr}` : r.kernel) },
  size: { id: 'size', head: 'size', text: (r) => String(r.size) },
  device: {
    id: 'device',
    head: 'device',
    text: (r) =>
      r.device +
      (r.transfer ? ` (${r.transfer})` : '') +
      variantText(r, ' · ') +
      (r.residency === 'device' ? ' · data on GPU' : ''),
  },
  cold: { id: 'cold', head: 'cold ms', text: (r) => formatMs(r.coldMs) },
  median: { id: 'median', head: 'median ms', text: (r) => formatMs(r.medianMs) },
  spread: { id: 'spread', head: 'p10–p90 ms', text: spread },
  kernelMs: { id: 'kernelMs', head: 'kernel ms', text: (r) => formatMs(r.kernelMedianMs) },
  gbps: { id: 'gbps', head: 'GB/s', text: (r) => formatRate(r.gbps) },
  gflops: { id: 'gflops', head: 'GFLOP/s', text: (r) => formatRate(r.gflops) },
  speedup: { id: 'speedup', head: 'vs main', text: (r, all) => speedup(all, r) },
  maxAbsErr: {
    id: 'maxAbsErr',
    head: 'max abs err',
    text: (r) => (r.maxAbsErr === null ? '—' : r.maxAbsErr.toExponential(1)),
  },
  verified: {
    id: 'verified',
    head: 'verified',
    text: (r) => (r.ok ? '✓' : r.skipped ? `skipped: ${r.skipped}` : `✗ ${r.error ?? 'not verified'}`),
  },
};

/**
 * The rate that matters for these records, from the records themselves (not from whatever kernel is
 * selected now): GFLOP/s when every one is of a compute-bound kernel, else GB/s.
 */
export function headlineRate(records: readonly RunRecord[]): 'gbps' | 'gflops' {
  const compute = (r: RunRecord) => registry.has(r.kernel) && registry.get(r.kernel).bound === 'compute';
  return records.length > 0 && records.every(compute) ? 'gflops' : 'gbps';
}

/** Every summary column, in table order. */
export const SUMMARY: readonly ColumnId[] = [
  'kernel',
  'size',
  'device',
  'cold',
  'median',
  'spread',
  'kernelMs',
  'gbps',
  'gflops',
  'speedup',
  'maxAbsErr',
  'verified',
];

/** What the times mean, said under every table. */
export const TIMING_NOTE =
  'Median and p10–p90: warm time to result (inputs in host memory → result in host memory, upload and readback included). Cold: the first run, with compile and setup. Kernel: GPU timestamps with the data already on the GPU.';

/** What the times mean for these records: the note, plus what a data-on-GPU row's time is. */
export function timingNote(records: readonly RunRecord[]): string {
  return records.some((r) => r.residency === 'device')
    ? `${TIMING_NOTE} Rows marked "data on GPU" are the kernel alone per repetition on GPU-resident data (uploaded and read back once, shown apart), so their speedup compares a kernel time with the other rows' time to result.`
    : TIMING_NOTE;
}

/** A plain-text table, one row per record (the CLI's output). */
export function formatTable(records: readonly RunRecord[]): string {
  const cols = SUMMARY.map((id) => COLUMNS[id]);
  const rows = records.map((r) => cols.map((c) => c.text(r, records)));
  const widths = cols.map((c, i) => Math.max(c.head.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const results = records
    .filter((r) => r.result)
    .map((r) => `${COLUMNS.device.text(r, records)}: ${r.result}`);
  return [
    line(cols.map((c) => c.head)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(results.length ? ['', ...results] : []),
    '',
    timingNote(records),
  ].join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|');

/** A Markdown table for blog posts, with where it was measured and what the times are. */
export function toMarkdown(records: readonly RunRecord[]): string {
  const cols = SUMMARY.filter((id) => id !== 'maxAbsErr').map((id) => COLUMNS[id]);
  const cell = (c: Column, r: RunRecord) =>
    c.id === 'kernel' && r.kernel === 'expr' ? `\`${md(r.expr ?? '')}\`` : md(c.text(r, records));
  const lines = [
    `| ${cols.map((c) => c.head).join(' | ')} |`,
    `|${cols.map(() => '---|').join('')}`,
    ...records.map((r) => `| ${cols.map((c) => cell(c, r)).join(' | ')} |`),
  ];
  const env = records[0]?.env;
  if (env) {
    lines.push(
      '',
      `${timingNote(records)} Measured with Kernel Playground ${env.appVersion} on ${md(env.runtime)}, ${env.cores} cores.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
