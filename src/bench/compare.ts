import type { RunRecord } from './record';

/** Milliseconds with about three significant digits; '—' when there is no value. */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** GB/s or GFLOP/s: whole numbers from 100, one decimal below; '—' when there is none. */
export function formatRate(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** The main-thread median of the same kernel and size, for speedups. */
export function baselineMs(records: readonly RunRecord[], r: RunRecord): number | null {
  const m = records.find(
    (x) => x.backend === 'main' && x.kernel === r.kernel && x.size === r.size && x.expr === r.expr && x.ok,
  );
  return m?.medianMs ?? null;
}

export function speedup(records: readonly RunRecord[], r: RunRecord): string {
  const base = baselineMs(records, r);
  if (!base || !r.ok || !r.medianMs) return '—';
  const x = base / r.medianMs;
  return `${x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`;
}
