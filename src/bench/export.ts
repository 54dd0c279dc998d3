import type { RunRecord } from './record';

/** The record fields as CSV columns, in this order (phases and env flattened); new ones go last. */
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
  // Added later, at the end so existing columns keep their places.
  'ranges',
  'sliced',
  'skipped',
  'result',
  'code',
  'variant',
  'variantChoice',
  'gpuBytesInUse',
  'gpuBytesHeld',
  'gpuPeakBytes',
  'hostBytes',
] as const;

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = Array.isArray(v) ? v.join(' ') : String(v);
  // Text a spreadsheet would read as a formula (an expression like -a+b*2) is kept as text.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(records: readonly RunRecord[]): string {
  const rows = records.map((r) => {
    const flat: Record<string, unknown> = {
      ...r,
      uploadMs: r.phasesMs?.upload,
      dispatchMs: r.phasesMs?.dispatch,
      readbackMs: r.phasesMs?.readback,
      ...(r.memory ?? {}),
      runtime: r.env.runtime,
      cores: r.env.cores,
      appVersion: r.env.appVersion,
    };
    return CSV_COLUMNS.map((c) => cell(flat[c])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
