import { css, html, LitElement } from 'lit';
import { formatMs, formatRate, speedup } from '../bench/compare';
import type { RunRecord } from '../bench/record';

/**
 * One row per backend: device, cold, warm median, p10–p90, GPU kernel time, GB/s or GFLOP/s,
 * speedup over the main thread, max error and whether the output verified.
 * @attr kernel-kind - "rows" shows GFLOP/s, else GB/s
 * @csspart table - the results table
 */
export class KpResults extends LitElement {
  static override properties = { records: { attribute: false }, compute: { type: Boolean } };
  declare records: RunRecord[];
  declare compute: boolean;

  constructor() {
    super();
    this.records = [];
    this.compute = false;
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

  override render() {
    if (!this.records.length) return html`<p>No results yet: choose a kernel and press Run.</p>`;
    return html`<table part="table">
      <caption>
        Median and p10–p90: warm time to result (inputs in host memory → result in host memory, upload and
        readback included). Cold: the first run, with compile and setup. Kernel: GPU timestamps with the data
        already on the GPU (browsers quantize them to 100 µs). Max error: against a float64 reference.
      </caption>
      <thead><tr>
        <th scope="col">device</th>${this.manySizes() ? html`<th scope="col">size</th>` : ''}<th scope="col">cold ms</th><th scope="col">median ms</th>
        <th scope="col">p10–p90 ms</th><th scope="col">kernel ms</th>
        <th scope="col">${this.compute ? 'GFLOP/s' : 'GB/s'}</th><th scope="col">vs main</th>
        <th scope="col">max abs err</th><th scope="col">verified</th>
      </tr></thead>
      <tbody>${this.records.map((r) => this.row(r))}</tbody>
    </table>`;
  }

  private manySizes(): boolean {
    return new Set(this.records.map((r) => r.size)).size > 1;
  }

  private row(r: RunRecord) {
    const notes: string[] = [];
    if (r.transfer)
      notes.push(
        r.transfer === 'shared' ? 'SharedArrayBuffer: zero-copy' : 'no shared memory: inputs copied each run',
      );
    if (r.fallback) notes.push('software adapter — says nothing about GPU speed');
    if (r.phasesMs) {
      const p = r.phasesMs;
      notes.push(
        `upload ${formatMs(p.upload)} · dispatch ${formatMs(p.dispatch)} · readback ${formatMs(p.readback)} ms`,
      );
    }
    if (r.batch) notes.push(`batched: ${r.batch} runs per sample (one run is too short for the timer)`);
    return html`<tr data-backend=${r.backend} data-ok=${String(r.ok)}>
      <th scope="row">${r.device}${notes.map((n) => html`<span class="note">${n}</span>`)}</th>
      ${this.manySizes() ? html`<td>${r.size}</td>` : ''}
      <td>${formatMs(r.coldMs)}</td>
      <td>${formatMs(r.medianMs)}</td>
      <td>${r.p10Ms === null ? '—' : `${formatMs(r.p10Ms)}–${formatMs(r.p90Ms)}`}</td>
      <td>${formatMs(r.kernelMedianMs)}</td>
      <td>${formatRate(this.compute ? r.gflops : r.gbps)}</td>
      <td>${speedup(this.records, r)}</td>
      <td>${r.maxAbsErr === null ? '—' : r.maxAbsErr.toExponential(1)}</td>
      <td class="verified">${
        r.ok
          ? html`<span class="ok" title="within tolerance of the float64 reference">✓</span>`
          : html`<span class="bad" role="img" aria-label="not verified">✗</span> <span class="note">${r.error ?? 'not verified'}</span>`
      }</td>
    </tr>`;
  }
}

customElements.define('kp-results', KpResults);
declare global {
  interface HTMLElementTagNameMap {
    'kp-results': KpResults;
  }
}
