import { css, html, LitElement } from 'lit';
import {
  COLUMNS,
  type Column,
  type ColumnId,
  headlineRate,
  residentText,
  timingNote,
  variantText,
} from '../bench/columns';
import { formatMs } from '../bench/compare';
import type { RunRecord } from '../bench/record';
import { registry } from '../kernels/registry';

/**
 * One row per backend: device, cold, warm median, p10–p90, GPU kernel time, GB/s or GFLOP/s,
 * speedup over the main thread, max error and whether the output verified.
 * The rate column is GFLOP/s when every record is of a compute-bound kernel, else GB/s.
 * @csspart table - the results table
 */
export class KpResults extends LitElement {
  static override properties = { records: { attribute: false } };
  declare records: RunRecord[];

  constructor() {
    super();
    this.records = [];
  }

  static override styles = css`
    :host { display: block; overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid color-mix(in srgb, currentColor 20%, transparent); text-align: right; white-space: nowrap; }
    th:first-child, td:first-child { text-align: left; white-space: normal; }
    th { font-weight: 600; font-size: 0.85rem; }
    .ok { color: #1a7f37; font-weight: 700; }
    .bad { color: #cf222e; font-weight: 700; }
    .note { font-size: 0.8rem; opacity: 0.8; display: block; }
    caption { caption-side: bottom; text-align: left; font-size: 0.8rem; opacity: 0.85; padding-top: 0.5rem; }
  `;

  /** The page's columns: the shared specification, with the rate that matters for these records. */
  private columns(): Column[] {
    const ids: ColumnId[] = ['device', 'cold', 'median', 'spread', 'kernelMs', headlineRate(this.records)];
    if (new Set(this.records.map((r) => r.size)).size > 1) ids.splice(1, 0, 'size');
    return [...ids, 'speedup', 'maxAbsErr', 'verified'].map((id) => COLUMNS[id as ColumnId]);
  }

  override render() {
    if (!this.records.length) return html`<p>No results yet: choose a kernel and press Run.</p>`;
    const cols = this.columns();
    return html`<table part="table">
      <caption><strong id="results-what">${ranWhat(this.records)}</strong> ${timingNote(this.records)} Browsers quantize GPU timestamps to 100 µs. Max error: against a float64 reference.</caption>
      <thead><tr>${cols.map((c) => html`<th scope="col">${c.head}</th>`)}</tr></thead>
      <tbody>${this.records.map((r) => this.row(r, cols))}</tbody>
    </table>`;
  }

  private notes(r: RunRecord): string[] {
    const notes: string[] = [];
    if (r.transfer)
      notes.push(
        r.transfer === 'shared' ? 'SharedArrayBuffer: zero-copy' : 'no shared memory: inputs copied each run',
      );
    if (r.fallback) notes.push('software adapter — says nothing about GPU speed');
    if (variantText(r)) notes.push(`GPU variant ${variantText(r)}`);
    else if (r.variant && r.variantChoice === 'only')
      notes.push(`GPU variant ${r.variant} (the only one this device and size allow)`);
    const m = r.memory;
    if (m) {
      const gpu =
        m.gpuBytesHeld !== undefined
          ? `GPU memory during the run: ${bytesText(m.gpuBytesInUse)} in use, ${bytesText(m.gpuBytesHeld)} held by the pool (pool peak ${bytesText(m.gpuPeakBytes)})`
          : '';
      const host = m.hostBytes !== undefined ? `host memory ${bytesText(m.hostBytes)}` : '';
      if (gpu || host) notes.push([gpu, host].filter(Boolean).join(' · '));
    }
    if (r.residency === 'device') {
      notes.push(`data on the GPU: ${residentText(r)}`);
    } else if (r.phasesMs) {
      const p = r.phasesMs;
      notes.push(
        `upload ${formatMs(p.upload)} · dispatch ${formatMs(p.dispatch)} · readback ${formatMs(p.readback)} ms`,
      );
    }
    if (r.batch) notes.push(`batched: ${r.batch} runs per sample (one run is too short for the timer)`);
    if (r.sliced)
      notes.push(`sliced: ${r.sliced} slices with the page served between them (that time not counted)`);
    if (r.skipped) notes.push(`skipped: ${r.skipped}`);
    if (r.result) notes.push(r.result);
    return notes;
  }

  private cell(c: Column, r: RunRecord) {
    switch (c.id) {
      case 'device':
        return html`<th scope="row">${r.device}${this.notes(r).map((n) => html`<span class="note">${n}</span>`)}</th>`;
      case 'verified':
        return html`<td class="verified">${
          r.ok
            ? html`<span class="ok" title="within tolerance of the float64 reference">✓</span>`
            : r.skipped
              ? html`<span class="note">skipped</span>`
              : html`<span class="bad" role="img" aria-label="not verified">✗</span> <span class="note">${r.error ?? 'not verified'}</span>`
        }</td>`;
      default:
        return html`<td>${c.text(r, this.records)}</td>`;
    }
  }

  private row(r: RunRecord, cols: Column[]) {
    return html`<tr data-backend=${r.backend} data-code=${r.code ?? ''} data-ok=${String(r.ok)}>${cols.map((c) => this.cell(c, r))}</tr>`;
  }
}

/** Bytes in binary units: "12.0 MiB". */
export function bytesText(b: number | undefined): string {
  if (b === undefined) return '—';
  if (b < 1024) return `${b} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = b / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** What the rows are of, from the records themselves (not from whatever the controls show now). */
function ranWhat(records: readonly RunRecord[]): string {
  const r = records[0];
  const k = registry.has(r.kernel) ? registry.get(r.kernel) : null;
  const what = r.kernel === 'expr' ? `expr ${r.expr}${r.ranges ? ` (${r.ranges})` : ''}` : r.kernel;
  const sizes = [...new Set(records.map((x) => x.size))];
  const size = sizes.length > 1 ? `${sizes.length} sizes` : k ? k.describeSize(r.size) : `${r.size} elements`;
  return `Results: ${what} · ${size} · seed ${r.seed}.`;
}

customElements.define('kp-results', KpResults);
declare global {
  interface HTMLElementTagNameMap {
    'kp-results': KpResults;
  }
}
