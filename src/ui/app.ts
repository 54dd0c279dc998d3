import { css, html, LitElement, nothing } from 'lit';
import { BACKEND_KINDS, type BackendKind } from '../backends/types';
import { type ExperimentHooks, runScaling, runSweep, sweepSizes } from '../bench/experiments';
import type { RunOptions } from '../bench/options';
import type { RunRecord } from '../bench/record';
import type { Engine } from '../engine';
import { EXPR_DEFAULT_SIZE, formatRanges, parseRanges, type VarInput } from '../expr/kernel';
import type { ProbedAdapter } from '../gpu/adapters';
import { MAX_ELEMENTS } from '../kernels/common';
import { registry } from '../kernels/registry';
import { toQuery } from '../url';
import type { ExprChange } from './expr-editor';
import './adapter-picker';
import './expr-editor';
import './heartbeat';
import type { View } from './results-panel';
import { RunController } from './run-controller';
import './results-panel';

const ADAPTERS_KEY = 'kernel-playground.adapters';

function storedAdapters(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(ADAPTERS_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const BACKEND_NAMES: Record<BackendKind, string> = {
  main: 'Main thread',
  workers: 'Worker pool',
  webgpu: 'WebGPU',
};

/**
 * The app shell: pick a kernel, a size and backends, run, and read a live results table.
 * Fires `playground-results` on window after every completed run (the URL contract).
 */
export class KpApp extends LitElement {
  static override properties = {
    engine: { attribute: false },
    kernel: { state: true },
    size: { state: true },
    seed: { state: true },
    backends: { state: true },
    workers: { state: true },
    reps: { state: true },
    warmup: { state: true },
    adapters: { state: true },
    adapterIds: { state: true },
    adapterNotice: { state: true },
    expr: { state: true },
    ranges: { state: true },
    exprError: { state: true },
  };
  /** The kernel select's value for "your own expression". */
  static readonly EXPR = 'expr';
  /** Runs and their async state (records, progress, errors, cancel). */
  readonly runs = new RunController(this, {
    onResults: (records) => window.dispatchEvent(new CustomEvent('playground-results', { detail: records })),
  });
  declare engine: Engine;
  declare kernel: string;
  declare size: number;
  declare seed: number;
  declare backends: BackendKind[];
  declare workers: number;
  declare reps: number;
  declare warmup: number;
  declare adapters: ProbedAdapter[] | null;
  /** Chosen adapter ids (empty: the default adapter); from the URL, else from the last visit. */
  declare adapterIds: string[];
  declare adapterNotice: string;
  declare expr: string;
  declare ranges: Record<string, VarInput>;
  declare exprError: string | null;

  constructor() {
    super();
    const k = registry.list()[0];
    this.kernel = k.id;
    this.size = k.defaultSize;
    this.seed = 1;
    this.backends = [...BACKEND_KINDS];
    this.workers = Math.max(1, Math.min(64, navigator.hardwareConcurrency || 1));
    this.reps = 5;
    this.warmup = 1;
    this.adapters = null;
    this.adapterIds = storedAdapters();
    this.adapterNotice = '';
    this.expr = 'a**2 + b**2';
    this.ranges = {};
    this.exprError = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // The page sets `engine` after the element is upgraded: enumerate adapters once it is there.
    if (!changed.has('engine') || !this.engine) return;
    this.engine.adapters().then(
      (a) => {
        this.adapters = a;
        this.checkAdapterIds();
      },
      () => {
        this.adapters = [];
      },
    );
  }

  /** Ids this machine lacks (a link made elsewhere) fall back to the default adapter, with a notice. */
  private checkAdapterIds(): void {
    const have = new Set((this.adapters ?? []).map((a) => a.desc.id));
    const missing = this.adapterIds.filter((id) => !have.has(id));
    if (!missing.length || !this.adapters?.length) return;
    this.adapterIds = this.adapterIds.filter((id) => have.has(id));
    const fallback = this.adapterIds.length
      ? this.adapterIds.join(', ')
      : `the default adapter '${this.adapters[0].desc.id}'`;
    this.adapterNotice = `Adapter ${missing.map((m) => `'${m}'`).join(', ')} is not available in this browser (it has ${[...have].join(', ')}); using ${fallback}.`;
  }

  private onAdaptersChange(e: CustomEvent<{ selected: string[] }>) {
    this.adapterIds = e.detail.selected;
    this.adapterNotice = '';
    try {
      localStorage.setItem(ADAPTERS_KEY, JSON.stringify(this.adapterIds));
    } catch {
      // storage may be disabled; the URL still carries the choice
    }
    this.syncUrl();
  }

  /** Puts options (from the URL) into the controls. */
  applyOptions(o: RunOptions): void {
    if (o.expr !== undefined) {
      this.kernel = KpApp.EXPR;
      this.expr = o.expr;
      try {
        this.ranges = typeof o.ranges === 'string' ? parseRanges(o.ranges) : { ...(o.ranges ?? {}) };
      } catch {
        this.ranges = {};
      }
    } else if (o.kernel !== undefined) {
      this.kernel = o.kernel;
    }
    const k = registry.has(this.kernel) ? registry.get(this.kernel) : null;
    this.size = o.size ?? (this.kernel === KpApp.EXPR ? EXPR_DEFAULT_SIZE : k?.defaultSize) ?? this.size;
    if (o.seed !== undefined) this.seed = o.seed;
    if (o.backends) this.backends = [...o.backends];
    if (o.workers !== undefined) this.workers = o.workers;
    if (o.reps !== undefined) this.reps = o.reps;
    if (o.warmup !== undefined) this.warmup = o.warmup;
    if (o.adapter) {
      this.adapterIds = [...o.adapter];
      if (this.adapters) this.checkAdapterIds();
    }
  }

  options(): RunOptions {
    const what: RunOptions =
      this.kernel === KpApp.EXPR
        ? {
            expr: this.expr,
            ...(Object.keys(this.ranges).length ? { ranges: formatRanges(this.ranges) } : {}),
          }
        : { kernel: this.kernel };
    return {
      ...what,
      size: this.size,
      seed: this.seed,
      backends: this.backends,
      workers: this.workers,
      reps: this.reps,
      warmup: this.warmup,
      ...(this.adapterIds.length ? { adapter: this.adapterIds } : {}),
    };
  }

  showError(message: string): void {
    this.runs.showError(message);
  }

  /**
   * Runs with the given options (default: the controls'). A new run cancels the one in flight; the
   * older run's results never overwrite the newer one's. Rejects with the run's error.
   */
  run(options: RunOptions = this.options()): Promise<RunRecord[]> {
    return this.execute('run', options, async (o, hooks) => {
      const { records, notes } = await this.engine.run(o, hooks);
      this.runs.setNotices(notes);
      return records;
    });
  }

  /** The pool at 1 … cores (+1) workers against the main thread. */
  scaling(options: RunOptions = this.options()): Promise<RunRecord[]> {
    const cores = navigator.hardwareConcurrency || 1;
    return this.execute('scaling', options, (o, hooks) => runScaling(this.engine, o, cores, hooks));
  }

  /** Every chosen backend from tiny to large sizes. */
  sweep(options: RunOptions = this.options()): Promise<RunRecord[]> {
    return this.execute('sweep', options, (o, hooks) => runSweep(this.engine, o, sweepSizes(o), hooks));
  }

  private execute(
    view: View,
    options: RunOptions,
    body: (o: RunOptions, hooks: ExperimentHooks) => Promise<RunRecord[]>,
  ): Promise<RunRecord[]> {
    this.applyOptions(options);
    this.syncUrl();
    return this.runs.execute(view, (hooks) => body(options, hooks));
  }

  cancel(): void {
    this.runs.cancel();
  }

  private onRunClick() {
    this.run().catch(() => {}); // the error is shown on the page
  }

  private onScalingClick() {
    this.scaling().catch(() => {});
  }

  private onSweepClick() {
    this.sweep().catch(() => {});
  }

  private onKernel(e: Event) {
    this.kernel = (e.target as HTMLSelectElement).value;
    this.size = this.kernel === KpApp.EXPR ? EXPR_DEFAULT_SIZE : registry.get(this.kernel).defaultSize;
    this.syncUrl();
  }

  private onExpr(e: CustomEvent<ExprChange>) {
    this.expr = e.detail.expr;
    this.ranges = e.detail.ranges;
    this.exprError = e.detail.error;
    this.syncUrl();
  }

  /** The URL follows the controls, so a link reproduces the setup. */
  private syncUrl() {
    history.replaceState(null, '', toQuery(this.options()));
  }

  private onNumber(field: 'size' | 'seed' | 'workers' | 'reps' | 'warmup', e: Event) {
    const v = (e.target as HTMLInputElement).valueAsNumber;
    if (Number.isFinite(v)) this[field] = v;
    this.syncUrl();
  }

  private onBackend(kind: BackendKind, e: Event) {
    const on = (e.target as HTMLInputElement).checked;
    this.backends = BACKEND_KINDS.filter((b) => (b === kind ? on : this.backends.includes(b)));
    this.syncUrl();
  }

  static override styles = css`
    :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
    h1 { font-size: 1.4rem; margin: 0 0 0.25rem; }
    .lede { margin: 0 0 1rem; opacity: 0.85; }
    form { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end; margin-bottom: 1rem; }
    label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85rem; }
    fieldset { border: 1px solid color-mix(in srgb, currentColor 25%, transparent); border-radius: 6px; display: flex; gap: 0.8rem; }
    fieldset label { flex-direction: row; align-items: center; }
    input[type='number'] { width: 8rem; }
    button { font: inherit; padding: 0.4rem 1rem; border-radius: 6px; cursor: pointer; }
    .status { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; font-size: 0.85rem; margin-bottom: 0.75rem; }
    .error { color: #cf222e; border: 1px solid #cf222e; padding: 0.5rem 0.75rem; border-radius: 6px; margin-bottom: 0.75rem; white-space: pre-wrap; }
    .notice { border: 1px solid #9a6700; padding: 0.5rem 0.75rem; border-radius: 6px; margin-bottom: 0.75rem; }
    .progress { min-height: 1.4em; font-size: 0.9rem; }
    .progress-row { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin-bottom: 0.5rem; }
  `;

  private chosenStatus(all: ProbedAdapter[]): string {
    const chosen = all.filter((x) => this.adapterIds.includes(x.desc.id));
    const list = chosen.length ? chosen : [all[0]];
    const soft = list.some((x) => x.desc.fallback)
      ? ' — a software (CPU) adapter: its timings say nothing about GPU speed'
      : '';
    return `WebGPU adapter${list.length > 1 ? 's' : ''}: ${list.map((x) => x.desc.label).join(', ')}${soft}`;
  }

  private renderStatus() {
    if (!this.engine) return nothing;
    const isolated = globalThis.crossOriginIsolated === true;
    const gpuWhy = this.engine.runtime.gpuUnavailableReason();
    const a = this.adapters;
    const gpu = gpuWhy
      ? `WebGPU: unavailable — ${gpuWhy}`
      : a === null
        ? 'WebGPU: looking for adapters…'
        : a.length === 0
          ? 'WebGPU: no adapter was found (the browser may block WebGPU on this machine)'
          : this.chosenStatus(a);
    return html`<div class="status" id="status">
      <span id="isolation">Cross-origin isolated: ${isolated ? 'yes — workers share memory (SharedArrayBuffer)' : 'no — workers get copies of the data'}</span>
      <span id="gpu-status">${gpu}</span>
    </div>`;
  }

  override render() {
    const kernels = registry.list();
    const isExpr = this.kernel === KpApp.EXPR;
    const k = registry.get(registry.has(this.kernel) ? this.kernel : kernels[0].id);
    const sizeLabel = isExpr ? 'elements' : k.sizeLabel;
    return html`
      <h1>Kernel Playground</h1>
      <p class="lede">The same kernel on the main thread, a pool of Web Workers and WebGPU — checked against a float64 reference.</p>
      ${this.renderStatus()}
      <form novalidate @submit=${(e: Event) => {
        e.preventDefault();
        this.onRunClick();
      }}>
        <label>Kernel
          <select id="kernel" @change=${this.onKernel}>
            ${kernels.map((x) => html`<option value=${x.id} ?selected=${!isExpr && x.id === k.id}>${x.id} — ${x.title}</option>`)}
            <option value=${KpApp.EXPR} ?selected=${isExpr}>expr — your own expression</option>
          </select>
        </label>
        <label>Size (${sizeLabel})
          <input id="size" type="number" min="1" max=${isExpr ? MAX_ELEMENTS : k.maxSize} step="1" .value=${String(this.size)} @change=${(e: Event) => this.onNumber('size', e)} />
        </label>
        <fieldset><legend>Backends</legend>
          ${BACKEND_KINDS.map((b) => html`<label><input type="checkbox" name="backend" value=${b} .checked=${this.backends.includes(b)} @change=${(e: Event) => this.onBackend(b, e)} />${BACKEND_NAMES[b]}</label>`)}
        </fieldset>
        <label>Workers
          <input id="workers" type="number" min="1" max="64" step="1" .value=${String(this.workers)} @change=${(e: Event) => this.onNumber('workers', e)} />
        </label>
        <label>Repetitions
          <input id="reps" type="number" min="1" max="1000" step="1" .value=${String(this.reps)} @change=${(e: Event) => this.onNumber('reps', e)} />
        </label>
        <label>Warm-up
          <input id="warmup" type="number" min="0" max="100" step="1" .value=${String(this.warmup)} @change=${(e: Event) => this.onNumber('warmup', e)} />
        </label>
        <label>Seed
          <input id="seed" type="number" min="0" max="4294967295" step="1" .value=${String(this.seed)} @change=${(e: Event) => this.onNumber('seed', e)} />
        </label>
        <button id="run" type="submit" ?disabled=${this.runs.running || (isExpr && this.exprError !== null)}>Run</button>
        <button id="scaling" type="button" ?disabled=${this.runs.running || (isExpr && this.exprError !== null)} @click=${this.onScalingClick}
          title="The pool at 1, 2, … workers against the main thread">Worker scaling</button>
        <button id="sweep" type="button" ?disabled=${this.runs.running || (isExpr && this.exprError !== null)} @click=${this.onSweepClick}
          title="Every chosen backend from tiny to large sizes">Size sweep</button>
        <button id="cancel" type="button" ?disabled=${!this.runs.running} @click=${() => this.cancel()}>Cancel</button>
      </form>
      ${
        isExpr
          ? html`<kp-expr-editor .value=${this.expr} .ranges=${this.ranges} @expr-change=${this.onExpr}></kp-expr-editor>`
          : html`<p class="summary">${k.summary}</p>`
      }
      <div class="progress-row">
        <kp-heartbeat ?running=${this.runs.running}></kp-heartbeat>
        <div class="progress" id="progress" role="status" aria-live="polite">${this.runs.running ? this.runs.progress || 'starting…' : ''}</div>
      </div>
      ${this.runs.error ? html`<div class="error" id="error" role="alert">${this.runs.error}</div>` : nothing}
      ${this.runs.notices.map((n) => html`<div class="notice" role="note">${n}</div>`)}
      ${
        this.adapters?.length && this.backends.includes('webgpu')
          ? html`<kp-adapters .adapters=${this.adapters.map((a) => a.desc)} .selected=${this.adapterIds}
              @adapters-change=${this.onAdaptersChange}></kp-adapters>`
          : nothing
      }
      ${this.adapterNotice ? html`<div class="notice" id="adapter-notice" role="note">${this.adapterNotice}</div>` : nothing}
      ${
        this.runs.backgrounded
          ? html`<div class="notice" id="background-warning" role="note">The tab was in the background during this run: browsers throttle background tabs, so these timings may be too slow. Keep the tab visible while it runs.</div>`
          : nothing
      }
      <kp-results-panel .records=${this.runs.records} .view=${this.runs.view}></kp-results-panel>
    `;
  }
}

customElements.define('kp-app', KpApp);
declare global {
  interface HTMLElementTagNameMap {
    'kp-app': KpApp;
  }
}
