import { css, html, LitElement, nothing } from 'lit';
import { toMarkdown } from '../bench/columns';
import { toCsv } from '../bench/export';
import type { RunRecord } from '../bench/record';
import type { RunOutput } from '../bench/runner';
import './charts';
import './heatmap';
import './results-table';

export type View = 'run' | 'scaling' | 'sweep' | 'ladder';

/**
 * What a run shows: for a single run the table, the bars and the spread; for the experiments their
 * chart and the table of every point; and export (JSON, CSV, Markdown) of exactly the records shown.
 * @csspart exports - the export buttons
 */
export class KpResultsPanel extends LitElement {
  static override properties = {
    records: { attribute: false },
    output: { attribute: false },
    view: {},
    copied: { state: true },
  };
  declare records: RunRecord[];
  /** A verified output to draw (the backtest sweep's heatmap), or null. */
  declare output: RunOutput | null;
  declare view: View;
  declare copied: string;

  constructor() {
    super();
    this.records = [];
    this.output = null;
    this.view = 'run';
    this.copied = '';
  }

  static override styles = css`
    :host { display: block; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); gap: 1rem; margin: 1rem 0; }
    .exports { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.75rem 0; font-size: 0.85rem; }
    button { font: inherit; padding: 0.3rem 0.8rem; border-radius: 6px; cursor: pointer; }
  `;

  private download(name: string, type: string, text: string) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  private async copyMarkdown() {
    const text = toMarkdown(this.records);
    try {
      await navigator.clipboard.writeText(text);
      this.copied = 'Markdown table copied';
    } catch {
      this.copied = 'The clipboard is not available here: use the downloads';
    }
  }

  private fileBase(): string {
    const r = this.records[0];
    const what = r ? (r.kernel === 'expr' ? 'expr' : r.kernel) : 'results';
    return `kernel-playground-${what}-${this.view}`;
  }

  override render() {
    if (!this.records.length) return html`<kp-results .records=${[]}></kp-results>`;
    const charts =
      this.view === 'scaling'
        ? html`<kp-scaling-chart id="scaling-chart" .records=${this.records}></kp-scaling-chart>`
        : this.view === 'sweep'
          ? html`<kp-sweep-chart id="sweep-chart" .records=${this.records}></kp-sweep-chart>`
          : this.view === 'ladder'
            ? html`<kp-ladder-chart id="ladder-chart" .records=${this.records}></kp-ladder-chart>`
            : html`<kp-speedup-chart id="speedup-chart" .records=${this.records}></kp-speedup-chart>
              <kp-spread-chart id="spread-chart" .records=${this.records}></kp-spread-chart>`;
    return html`
      <kp-results id="results" .records=${this.records}></kp-results>
      ${this.output ? html`<kp-sweep-heatmap id="heatmap" .output=${this.output}></kp-sweep-heatmap>` : nothing}
      <div class="exports" part="exports">
        <button type="button" id="export-json" @click=${() => this.download(`${this.fileBase()}.json`, 'application/json', `${JSON.stringify(this.records, null, 2)}\n`)}>Download JSON</button>
        <button type="button" id="export-csv" @click=${() => this.download(`${this.fileBase()}.csv`, 'text/csv', toCsv(this.records))}>Download CSV</button>
        <button type="button" id="export-md" @click=${() => this.copyMarkdown()}>Copy as Markdown</button>
        ${this.copied ? html`<span role="status">${this.copied}</span>` : nothing}
      </div>
      <div class="charts">${charts}</div>
    `;
  }
}

customElements.define('kp-results-panel', KpResultsPanel);
declare global {
  interface HTMLElementTagNameMap {
    'kp-results-panel': KpResultsPanel;
  }
}
