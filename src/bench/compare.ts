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

/**
 * The record speedups are measured against: the main thread running JavaScript (the plain loop, the
 * first rung of the ladder) of the same kernel and size; the main thread's WebAssembly when no
 * JavaScript row ran.
 */
export function baselineOf(records: readonly RunRecord[], r?: RunRecord): RunRecord | undefined {
  const main = records.filter(
    (x) =>
      x.backend === 'main' &&
      x.ok &&
      (!r || (x.kernel === r.kernel && x.size === r.size && x.expr === r.expr)),
  );
  return main.find((x) => x.code !== 'wasm') ?? main[0];
}

/** The baseline's median (see baselineOf), for speedups. */
export function baselineMs(records: readonly RunRecord[], r: RunRecord): number | null {
  return baselineOf(records, r)?.medianMs ?? null;
}

export function speedup(records: readonly RunRecord[], r: RunRecord): string {
  const base = baselineMs(records, r);
  if (!base || !r.ok || !r.medianMs) return '—';
  const x = base / r.medianMs;
  return `${x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`;
}

/** The speedup ladder in one line: each rung's device and its speedup over the JavaScript loop. */
export function ladderText(records: readonly RunRecord[]): string {
  return records.map((r) => `${r.device} ${r.ok ? speedup(records, r) : '(did not verify)'}`).join(' → ');
}
