import type { RunRecord } from './record';

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
