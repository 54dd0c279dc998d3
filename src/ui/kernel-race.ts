import { css, html, LitElement, nothing } from 'lit';
import { COLUMNS, residentText } from '../bench/columns';
import { baselineOf, formatMs, ladderText, speedup } from '../bench/compare';
import { OPTION_NAMES, type RunOptions, readOptions } from '../bench/options';
import type { RunRecord } from '../bench/record';
import type { Engine } from '../engine';
import { EnvironmentError } from '../errors';
import { registry } from '../kernels/registry';
import './heatmap';
import { RunController } from './run-controller';

/** One engine (one worker pool, one GPU device per adapter) for every widget on the page. */
export type EngineSource = () => Engine;

/**
 * `<kernel-race>`: a compact race of one kernel or expression across backends, for blog posts.
 *
 * @attr kernel - a built-in kernel id (any the registry lists), or
 * @attr expr - an expression (numexpr syntax); one of the two
 * @attr size - the kernel's size (elements, or n for an n×n kernel); @attr seed; @attr reps; @attr warmup; @attr workers; @attr adapter
 * @attr ranges - expression input ranges, e.g. "a:0:10,b:-1:1"
 * @attr backends - comma-separated: main,workers,webgpu (default: all that are available)
 * @attr code - the CPU backends' code: js,wasm (default: both, a row each)
 * @attr ladder - run the speedup ladder (JavaScript main thread, WebAssembly main thread, WebAssembly
 *   workers, WebGPU) and show each rung's speedup over the JavaScript loop
 * @attr autorun - run once connected
 * @fires race-complete - detail: the result records (bubbles, composed)
 * @fires race-error - detail: { message } (bubbles, composed)
 * @csspart container - the widget's box; @csspart run - the Run button; @csspart bar - each bar
 * @csspart verdict - the one-line verdict; @csspart error - the error message; @csspart notice - a notice
 *   (an adapter this browser lacks, WebGPU skipped)
 * @cssprop --kr-accent, --kr-bg, --kr-fg, --kr-border, --kr-font, --kr-radius, --kr-bad
 */
export class KernelRace extends LitElement {
  static source: EngineSource | null = null;

  /** The one run lifecycle (shared with the page): cancel on a new run, partial rows, errors. */
  private readonly runs = new RunController(this, {
    onResults: (records) =>
      this.dispatchEvent(
        new CustomEvent('race-complete', { detail: records, bubbles: true, composed: true }),
      ),
    onError: (message) =>
      this.dispatchEvent(
        new CustomEvent('race-error', { detail: { message }, bubbles: true, composed: true }),
      ),
  });

  static override styles = css`
    :host { all: initial; display: block; }
    /* Font and colour are set inside, not only on :host: page CSS aimed at the element would win there. */
    .box { font: 14px/1.4 var(--kr-font, system-ui, sans-serif); color: var(--kr-fg, #1f2328); text-align: left;
      display: block; box-sizing: border-box; max-width: 40rem; padding: 0.75rem 1rem; margin: 1rem 0;
      background: var(--kr-bg, #f6f8fa); border: 1px solid var(--kr-border, #d0d7de); border-radius: var(--kr-radius, 8px); }
    .head { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
    code { font: 13px ui-monospace, monospace; }
    button { font: inherit; padding: 0.25rem 0.9rem; border-radius: var(--kr-radius, 8px); border: 1px solid var(--kr-accent, #1f6feb);
      background: var(--kr-accent, #1f6feb); color: #fff; cursor: pointer; }
    button[disabled] { opacity: 0.6; cursor: default; }
    .rows { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr max-content; gap: 0.3rem 0.6rem; margin-top: 0.6rem; align-items: center; }
    .track { background: color-mix(in srgb, var(--kr-fg, #1f2328) 10%, transparent); border-radius: 3px; height: 0.9rem; }
    .bar { display: block; height: 100%; border-radius: 3px; background: var(--kr-accent, #1f6feb); min-width: 2px; }
    .bar.bad { background: var(--kr-bad, #cf222e); }
    .ok { color: #1a7f37; } .bad { color: var(--kr-bad, #cf222e); }
    .note, .progress { font-size: 12px; opacity: 0.85; }
    .verdict { margin-top: 0.5rem; font-weight: 600; }
    .error { color: var(--kr-bad, #cf222e); margin-top: 0.5rem; }
  `;

  /** The race's options from the attributes (the URL's and the CLI's parser); throws InputError for a bad one. */
  options(): RunOptions {
    const o = readOptions({ get: (n) => this.getAttribute(n) });
    o.reps ??= 3; // set on the parsed object itself, which keeps numbers as typed for messages
    return o;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasAttribute('autorun')) queueMicrotask(() => void this.run().catch(() => {}));
  }

  /** The attributes the race reads: a change re-renders it, and a fixed bad one clears its error. */
  static override get observedAttributes(): string[] {
    // Lit's own list first (its getter also finalizes the class: styles, properties).
    // biome-ignore lint/complexity/noThisInStatic: super's getter must run for this class (Lit finalizes it)
    return [...super.observedAttributes, ...OPTION_NAMES];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (old === value || this.runs.running || !this.runs.error) return;
    try {
      this.options(); // throws while an attribute is still bad: the error stays until it is right
      this.runs.showError('');
    } catch {}
    this.requestUpdate();
  }

  /** Runs the race. Resolves with the records, rejects with the error (also shown and fired as race-error). */
  run(): Promise<RunRecord[]> {
    return this.runs.execute('run', async (hooks) => {
      const options = this.options();
      if (!KernelRace.source) throw new EnvironmentError('kernel-race is not set up: load embed.js');
      const { records, notes } = await KernelRace.source().run(options, hooks);
      this.runs.setNotices(notes); // an adapter this browser lacks, WebGPU skipped: said, as on the page
      return records;
    });
  }

  /** " · 256×256" or " · 1000000 elements", from the kernel's own words for its size. */
  private sizeText(): string {
    const size = Number(this.getAttribute('size'));
    if (!this.hasAttribute('size') || !Number.isSafeInteger(size) || size < 1) return '';
    const kernel = this.getAttribute('kernel');
    const k = kernel !== null && registry.has(kernel) ? registry.get(kernel) : null;
    return ` · ${k ? k.describeSize(size) : `${size} elements`}`;
  }

  /** Bar widths through the CSSOM, not style attributes: a page's CSP may forbid inline styles. */
  protected override updated(): void {
    for (const bar of this.renderRoot.querySelectorAll<HTMLElement>('.bar[data-width]')) {
      bar.style.width = `${bar.dataset.width}%`;
    }
  }

  private verdict(): string {
    const ok = this.runs.records.filter((r) => r.ok && r.medianMs);
    if (!ok.length) return '';
    if (this.isLadder()) return `Speedup ladder over the JavaScript loop: ${ladderText(this.runs.records)}.`;
    const all = this.runs.records.every((r) => r.ok)
      ? 'every result verified against float64'
      : 'some results did not verify';
    // one row is no race: just whether it verified
    if (ok.length < 2) return `${all[0].toUpperCase()}${all.slice(1)}.`;
    const best = ok.reduce((a, b) => (b.medianMs! < a.medianMs! ? b : a));
    const main = baselineOf(ok);
    const vs = main && best !== main ? ` — ${speedup(this.runs.records, best)} ${main.device}` : '';
    return `Fastest: ${best.device}${vs}; ${all}.`;
  }

  /** What a data-on-GPU row's time is, and its one-off transfers (empty without such a row). */
  private residentNote(): string {
    const r = this.runs.records.find((x) => x.residency === 'device' && x.ok);
    return r ? ` A row marked "data on GPU": ${residentText(r)}.` : '';
  }

  /** The race is the speedup ladder (a `ladder` attribute that is not 0 or false). */
  private isLadder(): boolean {
    const v = this.getAttribute('ladder');
    return v !== null && v !== '0' && v !== 'false';
  }

  override render() {
    const label = this.getAttribute('expr') ?? this.getAttribute('kernel') ?? '';
    const slowest = Math.max(0, ...this.runs.records.map((r) => r.medianMs ?? 0));
    const isolated = globalThis.crossOriginIsolated === true;
    return html`<div class="box" part="container">
      <div class="head">
        <button part="run" ?disabled=${this.runs.running} @click=${() => void this.run().catch(() => {})}>${this.runs.running ? 'Running…' : 'Run'}</button>
        <span><code>${label}</code>${this.sizeText()}</span>
        ${this.runs.running ? html`<span class="progress" role="status">${this.runs.progress}</span>` : nothing}
      </div>
      ${
        this.runs.records.length
          ? html`<div class="rows">${this.runs.records.map(
              (r) => html`<span>${COLUMNS.device.text(r, this.runs.records)}</span>
                <span class="track"><span class="bar ${r.ok ? '' : 'bad'}" part="bar" data-width=${slowest && r.medianMs ? (100 * r.medianMs) / slowest : 0}></span></span>
                <span>${formatMs(r.medianMs)} ms${this.isLadder() && r.ok ? ` · ${speedup(this.runs.records, r)}` : ''} ${r.ok ? html`<span class="ok" title="verified against float64">✓</span>` : html`<span class="bad" title=${r.error ?? ''}>✗</span>`}</span>`,
            )}</div>
            <div class="verdict" part="verdict">${this.verdict()}</div>
            <div class="note">Median time to result (shorter is faster).${this.residentNote()}${
              this.runs.records.some((r) => r.fallback)
                ? ' The GPU here is a software adapter: it says nothing about GPU speed.'
                : ''
            }${isolated ? '' : ' This page is not cross-origin isolated: the workers get copies of the data, and timers are coarse, so short runs are batched.'}</div>`
          : nothing
      }
      ${this.runs.output ? html`<kp-sweep-heatmap part="heatmap" .output=${this.runs.output}></kp-sweep-heatmap>` : nothing}
      ${this.runs.notices.map((n) => html`<div class="note notice" part="notice" role="note">${n}</div>`)}
      ${this.runs.error ? html`<div class="error" part="error" role="alert">${this.runs.error}</div>` : nothing}
    </div>`;
  }
}
