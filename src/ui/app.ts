import { html, LitElement, nothing } from 'lit';
import {
  BACKEND_KINDS,
  BACKEND_LABEL,
  type BackendKind,
  CODE_LABEL,
  CPU_CODES,
  type CpuCode,
} from '../backends/types';
import { type ExperimentHooks, runScaling, runSweep, sweepSizes } from '../bench/experiments';
import type { RunOptions } from '../bench/options';
import type { RunRecord } from '../bench/record';
import type { Engine } from '../engine';
import {
  cachedExpression,
  EXPR_DEFAULT_SIZE,
  formatRanges,
  parseRanges,
  type VarInput,
} from '../expr/kernel';
import { largestSize, MAX_ELEMENTS } from '../kernels/common';
import { gpuPrograms } from '../kernels/gpu-program';
import { registry } from '../kernels/registry';
import type { GpuProgram } from '../kernels/types';
import { toQuery } from '../url';
import { AdapterChoice } from './adapter-choice';
import { checkGroup } from './check-group';
import type { ExprChange } from './expr-editor';
import './adapter-picker';
import { APP_STYLES } from './app-styles';
import { keepFocus } from './focus';
import './expr-editor';
import './heartbeat';
import type { View } from './results-panel';
import { bytesText } from './results-table';
import { RunController } from './run-controller';
import './results-panel';

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
    code: { state: true },
    ladder: { state: true },
    workers: { state: true },
    reps: { state: true },
    warmup: { state: true },
    variant: { state: true },
    released: { state: true },
    resident: { state: true },
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
  /** The CPU backends' code: JavaScript, WebAssembly SIMD, or both (a row each). */
  declare code: CpuCode[];
  /** What is on screen is the speedup ladder (the URL says ladder=1). */
  declare ladder: boolean;
  declare workers: number;
  declare reps: number;
  declare warmup: number;
  /** A pinned GPU variant, or '' for the tuner's choice per adapter. */
  declare variant: string;
  /** WebGPU keeps the data on the device between repetitions (residency=device). */
  declare resident: boolean;
  /** What the last "Release GPU memory" freed, in words. */
  declare released: string;
  /** The WebGPU adapters, the chosen ones and the notice when a chosen one is missing. */
  readonly gpus = new AdapterChoice(this);
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
    this.code = [...CPU_CODES];
    this.ladder = false;
    this.workers = Math.max(1, Math.min(64, navigator.hardwareConcurrency || 1));
    this.reps = 5;
    this.warmup = 1;
    this.variant = '';
    this.released = '';
    this.resident = false;
    this.expr = 'a**2 + b**2';
    this.ranges = {};
    this.exprError = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // The page sets `engine` after the element is upgraded: enumerate adapters once it is there.
    if (changed.has('engine') && this.engine) this.gpus.load(this.engine);
  }

  private onAdaptersChange(e: CustomEvent<{ selected: string[] }>) {
    this.gpus.choose(e.detail.selected);
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
    if (o.code) this.code = [...o.code];
    this.ladder = o.ladder === true;
    if (o.workers !== undefined) this.workers = o.workers;
    if (o.reps !== undefined) this.reps = o.reps;
    if (o.warmup !== undefined) this.warmup = o.warmup;
    if (o.adapter) this.gpus.set(o.adapter);
    this.variant = o.variant ?? '';
    this.resident = o.residency === 'device';
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
      code: this.code,
      ...(this.ladder ? { ladder: true } : {}),
      workers: this.workers,
      reps: this.reps,
      warmup: this.warmup,
      ...(this.gpus.ids.length ? { adapter: this.gpus.ids } : {}),
      ...(this.variant ? { variant: this.variant } : {}),
      ...(this.resident ? { residency: 'device' as const } : {}),
    };
  }

  showError(message: string): void {
    this.runs.showError(message);
  }

  /**
   * Runs with the given options (default: the controls'). A new run cancels the one in flight; the
   * older run's results never overwrite the newer one's. Rejects with the run's error.
   */
  /** One run; with `ladder`, the speedup ladder (its own chart). */
  run(options: RunOptions = this.options()): Promise<RunRecord[]> {
    return this.execute(options.ladder ? 'ladder' : 'run', options, async (o, hooks) => {
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
    this.released = '';
    this.syncUrl();
    const run = this.runs.execute(view, (hooks) => body(options, hooks));
    keepFocus(this, run, ['run', 'ladder', 'scaling', 'sweep'], 'cancel');
    return run;
  }

  cancel(): void {
    this.runs.cancel();
  }

  private onRunClick() {
    this.run({ ...this.options(), ladder: false }).catch(() => {}); // the error is shown on the page
  }

  /** Times the GPU variants again on the chosen adapters (a remembered choice is replaced), then runs. */
  private onRetuneClick() {
    this.run({ ...this.options(), ladder: false, retune: true }).catch(() => {});
  }

  private onVariant(e: Event) {
    this.variant = (e.target as HTMLSelectElement).value;
    this.syncUrl();
  }

  /** The GPU program variants of what is selected (none for an expression that does not compile). */
  private variantsOf(): readonly GpuProgram[] {
    try {
      const k =
        this.kernel === KpApp.EXPR
          ? cachedExpression(this.expr, this.ranges).kernel
          : registry.get(this.kernel);
      return gpuPrograms(k);
    } catch {
      return [];
    }
  }

  private onLadderClick() {
    this.run({ ...this.options(), ladder: true }).catch(() => {});
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
    this.variant = ''; // variants belong to a kernel
    this.syncUrl();
  }

  private onExpr(e: CustomEvent<ExprChange>) {
    this.expr = e.detail.expr;
    this.ranges = e.detail.ranges;
    this.exprError = e.detail.error;
    // a pinned variant the new expression does not have (sum's items16 after editing to a*b) is dropped;
    // while it does not compile (a typo mid-edit) the pin is kept
    if (this.variant && !this.exprError && !this.variantsOf().some((v) => v.variant === this.variant))
      this.variant = '';
    this.syncUrl();
  }

  /** The URL follows the controls, so a link reproduces the setup. */
  private syncUrl() {
    history.replaceState(null, '', toQuery(this.options()));
  }

  private choose(c: { backends?: BackendKind[]; code?: CpuCode[] }) {
    Object.assign(this, c);
    this.syncUrl();
  }

  private onNumber(field: 'size' | 'seed' | 'workers' | 'reps' | 'warmup', e: Event) {
    const v = (e.target as HTMLInputElement).valueAsNumber;
    if (Number.isFinite(v)) this[field] = v;
    this.syncUrl();
  }

  /** The GPU variant control: the tuner's choice per adapter, or one variant pinned; and Re-tune. */
  private renderVariant() {
    const variants = this.variantsOf();
    const gpu = this.backends.includes('webgpu');
    if (variants.length < 2) return nothing;
    return html`<label>GPU variant
        <select id="variant" ?disabled=${!gpu} @change=${this.onVariant}
          title="Which WGSL program runs: by default each adapter's fastest, timed once per size class and remembered">
          <option value="" ?selected=${!this.variant}>auto (tuned per adapter)</option>
          ${variants.map((v) => html`<option value=${v.variant} ?selected=${this.variant === v.variant} title=${v.summary ?? ''}>${v.variant}</option>`)}
        </select>
      </label>
      <button id="retune" type="button" ?disabled=${!gpu || this.runs.running || Boolean(this.variant)} @click=${this.onRetuneClick}
        title=${this.variant ? 'A variant is pinned: choose auto to let the tuner choose (and re-tune)' : !gpu ? 'Check WebGPU to tune its variants' : 'Time every GPU variant again on the chosen adapters, remember the fastest, and run'}>Re-tune GPU</button>`;
  }

  /** GPU memory per adapter now, and the release action (Chainer's free_all_blocks). */
  private renderMemory() {
    const report = this.engine?.memoryReport() ?? [];
    if (!report.length) return nothing;
    return html`<div class="memory" id="memory" role="group" aria-label="GPU memory">
      ${report.map(
        (m) =>
          html`<span>${m.device}: ${bytesText(m.inUse)} in use, ${bytesText(m.held)} held by the buffer pool (peak ${bytesText(m.peak)}; the pool keeps at most ${bytesText(m.cap)} of free buffers)</span>`,
      )}
      <button type="button" id="release" ?disabled=${this.runs.running} @click=${this.onRelease}
        title="Destroy the buffers the pool keeps for reuse; the next run allocates afresh">Release GPU memory</button>
      <span role="status">${this.released}</span>
    </div>`;
  }

  private onRelease() {
    const freed = this.engine.releaseGpuMemory();
    this.released = `released ${bytesText(freed)}`;
  }

  static override styles = APP_STYLES;

  override render() {
    const kernels = registry.list();
    const isExpr = this.kernel === KpApp.EXPR;
    const k = registry.get(registry.has(this.kernel) ? this.kernel : kernels[0].id);
    const sizeLabel = isExpr ? 'elements' : k.sizeLabel;
    return html`
      <h1>Kernel Playground</h1>
      <p class="lede">The same kernel on the main thread, a pool of Web Workers and WebGPU — checked against a float64 reference.</p>
      ${this.engine ? this.gpus.renderStatus(this.engine) : nothing}
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
          <input id="size" type="number" min="1" max=${isExpr ? MAX_ELEMENTS : largestSize(k)} step="1" .value=${String(this.size)} @change=${(e: Event) => this.onNumber('size', e)} />
        </label>
        ${checkGroup({ name: 'backend', legend: 'Backends', all: BACKEND_KINDS, chosen: this.backends, label: (b) => BACKEND_LABEL[b], onChange: (v) => this.choose({ backends: v }) })}
        ${checkGroup({ name: 'code', legend: 'CPU code', all: CPU_CODES, chosen: this.code, label: (c) => CODE_LABEL[c], title: (c) => (c === 'js' ? 'A plain JavaScript loop' : 'Compiled: four float32 lanes at a time'), onChange: (v) => this.choose({ code: v }) })}
        ${this.renderVariant()}
        <label class="inline" title="Upload once, repeat the kernel on data that stays on the GPU, read back once: the kernel's own time, with the transfers shown apart (CuPy's story with the data already on the device)">
          <input id="resident" type="checkbox" ?disabled=${!this.backends.includes('webgpu')} .checked=${this.resident}
            @change=${(e: Event) => {
              this.resident = (e.target as HTMLInputElement).checked;
              this.syncUrl();
            }} /> Keep data on the GPU
        </label>
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
        <button id="ladder" type="button" ?disabled=${this.runs.running || (isExpr && this.exprError !== null)} @click=${this.onLadderClick}
          title="JavaScript, then WebAssembly on the main thread, WebAssembly in the workers, and WebGPU: each rung's speedup over the JavaScript loop">Speedup ladder</button>
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
      ${this.runs.renderError()}
      ${this.runs.notices.map((n) => html`<div class="notice" role="note">${n}</div>`)}
      ${
        this.gpus.adapters?.length && this.backends.includes('webgpu')
          ? html`<kp-adapters .adapters=${this.gpus.adapters.map((a) => a.desc)} .selected=${this.gpus.ids}
              @adapters-change=${this.onAdaptersChange}></kp-adapters>`
          : nothing
      }
      ${this.gpus.notice ? html`<div class="notice" id="adapter-notice" role="note">${this.gpus.notice}</div>` : nothing}
      ${
        this.runs.backgrounded
          ? html`<div class="notice" id="background-warning" role="note">The tab was in the background during this run: browsers throttle background tabs, so these timings may be too slow. Keep the tab visible while it runs.</div>`
          : nothing
      }
      <kp-results-panel .records=${this.runs.records} .output=${this.runs.output} .view=${this.runs.view}></kp-results-panel>
      ${this.renderMemory()}
    `;
  }
}

customElements.define('kp-app', KpApp);
declare global {
  interface HTMLElementTagNameMap {
    'kp-app': KpApp;
  }
}
