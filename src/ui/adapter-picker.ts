import { css, html, LitElement } from 'lit';
import type { AdapterDescription } from '../gpu/adapters';

const FEATURES = ['timestamp-query', 'shader-f16', 'subgroups'] as const;

function mib(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '—' : `${Math.round(n / 2 ** 20)} MiB`;
}

/**
 * The distinct WebGPU adapters this browser returned, one row each, with a checkbox to run on it.
 * @fires adapters-change - detail: { selected: string[] } (adapter ids, in table order)
 * @csspart table - the adapter table
 */
export class KpAdapters extends LitElement {
  static override properties = { adapters: { attribute: false }, selected: { attribute: false } };
  declare adapters: AdapterDescription[];
  declare selected: string[];

  constructor() {
    super();
    this.adapters = [];
    this.selected = [];
  }

  static override styles = css`
    :host { display: block; overflow-x: auto; font-size: 0.85rem; }
    table { border-collapse: collapse; }
    caption { text-align: left; }
    th, td { padding: 0.25rem 0.5rem; text-align: left; border-bottom: 1px solid color-mix(in srgb, currentColor 15%, transparent); white-space: nowrap; }
    .soft { color: #9a6700; }
    p { margin: 0.4rem 0; max-width: 60rem; }
  `;

  private toggle(id: string, on: boolean) {
    // Start from what the boxes show: nothing chosen means the default (first) adapter is.
    const set = new Set(this.selected.length ? this.selected : this.adapters.slice(0, 1).map((a) => a.id));
    if (on) set.add(id);
    else set.delete(id);
    const selected = this.adapters.map((a) => a.id).filter((x) => set.has(x));
    this.dispatchEvent(
      new CustomEvent('adapters-change', { detail: { selected }, bubbles: true, composed: true }),
    );
  }

  override render() {
    if (!this.adapters.length) return html``;
    const effective = this.selected.length ? this.selected : [this.adapters[0].id];
    return html`<table part="table" id="adapter-table">
        <caption>WebGPU adapters found (check one or more to run on each)</caption>
        <thead><tr>
          <th scope="col">run on</th><th scope="col">id</th><th scope="col">adapter</th><th scope="col">mode</th>
          <th scope="col">features</th><th scope="col">max binding</th><th scope="col">max invocations</th><th scope="col">subgroups</th>
        </tr></thead>
        <tbody>${this.adapters.map(
          (a) => html`<tr data-adapter=${a.id}>
            <td><input type="checkbox" aria-label=${`run on ${a.label}`} .checked=${effective.includes(a.id)}
              @change=${(e: Event) => this.toggle(a.id, (e.target as HTMLInputElement).checked)} /></td>
            <td><code>${a.id}</code></td>
            <td>${a.label}${a.fallback ? html` <span class="soft">— software: says nothing about GPU speed</span>` : ''}</td>
            <td>${a.mode}</td>
            <td>${FEATURES.filter((f) => a.features.includes(f)).join(', ') || 'none of timestamp-query, shader-f16, subgroups'}</td>
            <td>${mib(a.limits.maxStorageBufferBindingSize)}</td>
            <td>${a.limits.maxComputeInvocationsPerWorkgroup}</td>
            <td>${a.subgroupMinSize ? `${a.subgroupMinSize}–${a.subgroupMaxSize}` : '—'}</td>
          </tr>`,
        )}</tbody>
      </table>
      <p>These are the distinct adapters this browser returned when asked with each option set (no options,
        high-performance, low-power, fallback, compatibility). Browsers may ignore <code>powerPreference</code>
        and may expose only some of this machine's GPUs; there is no API to list them all.</p>`;
  }
}

customElements.define('kp-adapters', KpAdapters);
declare global {
  interface HTMLElementTagNameMap {
    'kp-adapters': KpAdapters;
  }
}
