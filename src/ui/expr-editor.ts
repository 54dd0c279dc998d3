import { css, html, LitElement, nothing } from 'lit';
import { ExprError } from '../expr/errors';
import {
  type CompiledExpression,
  cachedExpression,
  DEFAULT_INPUT,
  type Ranges,
  type VarInput,
} from '../expr/kernel';
import { IDENT } from '../expr/lexer';
import { parseScript } from '../expr/parser';

export interface ExprChange {
  expr: string;
  ranges: Record<string, VarInput>;
  /** The compile error, if any (the run button should not run an invalid expression). */
  error: string | null;
}

/**
 * An expression editor: compiles as you type and shows errors with a caret under the column, the
 * variables with the range each is drawn from, and the generated JavaScript and WGSL side by side.
 * @fires expr-change - detail: ExprChange, on every edit
 * @csspart input - the expression field
 */
export class KpExprEditor extends LitElement {
  static override properties = { value: {}, ranges: { attribute: false }, showCode: { state: true } };
  declare value: string;
  declare ranges: Ranges;
  declare showCode: boolean;

  constructor() {
    super();
    this.value = 'a**2 + b**2';
    this.ranges = {};
    this.showCode = false;
  }

  static override styles = css`
    :host { display: block; margin-bottom: 0.75rem; }
    label { display: block; font-size: 0.85rem; }
    input.expr { font: 1rem ui-monospace, monospace; width: min(48rem, 100%); padding: 0.3rem; box-sizing: border-box; }
    pre.caret { font: 1rem ui-monospace, monospace; margin: 0; padding: 0 0.3rem; color: #cf222e; white-space: pre; }
    .error { color: #cf222e; font-size: 0.9rem; }
    .vars { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; margin: 0.5rem 0; font-size: 0.85rem; align-items: center; }
    .vars input { width: 5rem; }
    .code { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 0.75rem; }
    .code pre { font-size: 0.75rem; overflow: auto; max-height: 22rem; padding: 0.5rem; margin: 0; border: 1px solid color-mix(in srgb, currentColor 20%, transparent); border-radius: 6px; }
    .code h3 { font-size: 0.85rem; margin: 0 0 0.25rem; }
  `;

  /** The current compile, or the error (messages from the catalogue, with a column). */
  private compile(): { compiled: CompiledExpression | null; error: ExprError | Error | null } {
    try {
      return { compiled: cachedExpression(this.value, this.rangesFor(this.value)), error: null };
    } catch (e) {
      return { compiled: null, error: e instanceof Error ? e : new Error(String(e)) };
    }
  }

  /** Only the ranges of variables the expression uses (a stale range would be an error). */
  private rangesFor(expr: string): Record<string, VarInput> {
    const names = new Set(expr.match(new RegExp(IDENT, 'gu')) ?? []);
    // a chain's step names (x in `x = a*a; sqrt(x)`) are not inputs
    try {
      for (const step of parseScript(expr).steps) names.delete(step.name);
    } catch {
      // a malformed expression: its error is shown, and any range kept is checked once it compiles
    }
    const out: Record<string, VarInput> = {};
    for (const [k, v] of Object.entries(this.ranges)) if (names.has(k)) out[k] = { ...v };
    return out;
  }

  private emit(): void {
    const { error } = this.compile();
    const detail: ExprChange = {
      expr: this.value,
      ranges: this.rangesFor(this.value),
      error: error ? error.message : null,
    };
    this.dispatchEvent(new CustomEvent('expr-change', { detail, bubbles: true, composed: true }));
  }

  private onInput(e: Event) {
    this.value = (e.target as HTMLInputElement).value;
    this.emit();
  }

  /** The two numbers of a variable's distribution: low and high, or mean and standard deviation. */
  private onRange(name: string, which: 0 | 1, e: Event) {
    const x = (e.target as HTMLInputElement).valueAsNumber;
    if (!Number.isFinite(x)) return;
    const cur = this.ranges[name] ?? DEFAULT_INPUT;
    const next: VarInput =
      cur.dist === 'uniform'
        ? { dist: 'uniform', lo: which === 0 ? x : cur.lo, hi: which === 1 ? x : cur.hi }
        : { dist: 'normal', mean: which === 0 ? x : cur.mean, sd: which === 1 ? x : cur.sd };
    this.ranges = { ...this.ranges, [name]: next };
    this.emit();
  }

  private onDist(name: string, e: Event) {
    const dist = (e.target as HTMLSelectElement).value;
    const next: VarInput = dist === 'normal' ? { dist: 'normal', mean: 0, sd: 1 } : { ...DEFAULT_INPUT };
    this.ranges = { ...this.ranges, [name]: next };
    this.emit();
  }

  private renderVar(v: string) {
    const spec = this.ranges[v] ?? DEFAULT_INPUT;
    const [a, b, la, lb, sep] =
      spec.dist === 'uniform'
        ? [spec.lo, spec.hi, 'low', 'high', '…']
        : [spec.mean, spec.sd, 'mean', 'sd', '±'];
    return html`<span data-var=${v}><code>${v}</code>
      <select aria-label=${`${v} distribution`} @change=${(e: Event) => this.onDist(v, e)}>
        <option value="uniform" ?selected=${spec.dist === 'uniform'}>uniform</option>
        <option value="normal" ?selected=${spec.dist === 'normal'}>normal</option>
      </select>
      <input type="number" step="any" aria-label=${`${v} ${la}`} .value=${String(a)} @change=${(e: Event) => this.onRange(v, 0, e)} /> ${sep}
      <input type="number" step="any" aria-label=${`${v} ${lb}`} .value=${String(b)} @change=${(e: Event) => this.onRange(v, 1, e)} /></span>`;
  }

  override render() {
    const { compiled, error } = this.compile();
    const col = error instanceof ExprError ? error.column : 0;
    return html`
      <label for="expr">Expression (numexpr syntax: + - * / ** %, comparisons, & | ~, where(), sin… ; sum/prod/min/max around the whole; steps: x = a*a + b*b; sqrt(x))</label>
      <input id="expr" class="expr" part="input" spellcheck="false" autocomplete="off" .value=${this.value}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby="expr-error" @input=${this.onInput} />
      ${col ? html`<pre class="caret" aria-hidden="true">${' '.repeat(col - 1)}^</pre>` : nothing}
      <div id="expr-error" class="error" role=${error ? 'alert' : 'status'}>${error ? error.message : ''}</div>
      ${
        compiled
          ? html`<div class="vars">
              <span>Inputs (drawn from the seed):</span>
              ${compiled.program.vars.map((v) => this.renderVar(v))}
              <button type="button" @click=${() => {
                this.showCode = !this.showCode;
              }} aria-expanded=${String(this.showCode)}>${this.showCode ? 'Hide' : 'Show'} generated code</button>
            </div>
            ${
              this.showCode
                ? html`<div class="code">
                    <div><h3>JavaScript (main thread and workers)</h3><pre id="code-js">${compiled.js}</pre></div>
                    <div><h3>WGSL (WebGPU)</h3><pre id="code-wgsl">${compiled.wgsl}</pre></div>
                  </div>`
                : nothing
            }`
          : nothing
      }
    `;
  }
}

customElements.define('kp-expr-editor', KpExprEditor);
declare global {
  interface HTMLElementTagNameMap {
    'kp-expr-editor': KpExprEditor;
  }
}
