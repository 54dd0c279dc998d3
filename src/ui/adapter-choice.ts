import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Engine } from '../engine';
import type { ProbedAdapter } from '../gpu/adapters';

const ADAPTERS_KEY = 'kernel-playground.adapters';

function storedAdapters(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(ADAPTERS_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The page's choice of WebGPU adapters: the enumerated adapters, the chosen ids (from the URL, else the
 * last visit's, kept in localStorage), the notice when a chosen id is not on this machine, and the
 * status line that says which adapter runs and whether it is a software one.
 */
export class AdapterChoice implements ReactiveController {
  /** null until enumerated. */
  adapters: ProbedAdapter[] | null = null;
  /** Chosen adapter ids (empty: the default adapter). */
  ids: string[] = storedAdapters();
  notice = '';

  constructor(private readonly host: ReactiveControllerHost & { requestUpdate(): void }) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Enumerates the engine's adapters once. */
  load(engine: Engine): void {
    engine.adapters().then(
      (a) => {
        this.adapters = a;
        this.check();
        this.host.requestUpdate();
      },
      () => {
        this.adapters = [];
        this.host.requestUpdate();
      },
    );
  }

  /** Ids given by a URL (they win over the stored choice). */
  set(ids: readonly string[]): void {
    this.ids = [...ids];
    if (this.adapters) this.check();
  }

  /** The user chose in the adapter table: remembered for the next visit. */
  choose(ids: string[]): void {
    this.ids = ids;
    this.notice = '';
    try {
      localStorage.setItem(ADAPTERS_KEY, JSON.stringify(ids));
    } catch {
      // storage may be disabled; the URL still carries the choice
    }
    this.host.requestUpdate();
  }

  /** Ids this machine lacks (a link made elsewhere) fall back to the default adapter, with a notice. */
  private check(): void {
    const have = new Set((this.adapters ?? []).map((a) => a.desc.id));
    const missing = this.ids.filter((id) => !have.has(id));
    if (!missing.length || !this.adapters?.length) return;
    this.ids = this.ids.filter((id) => have.has(id));
    const fallback = this.ids.length
      ? this.ids.join(', ')
      : `the default adapter '${this.adapters[0].desc.id}'`;
    this.notice = `Adapter ${missing.map((m) => `'${m}'`).join(', ')} is not available in this browser (it has ${[...have].join(', ')}); using ${fallback}.`;
  }

  private chosenStatus(all: ProbedAdapter[]): string {
    const chosen = all.filter((x) => this.ids.includes(x.desc.id));
    const list = chosen.length ? chosen : [all[0]];
    const soft = list.some((x) => x.desc.fallback)
      ? ' — a software (CPU) adapter: its timings say nothing about GPU speed'
      : '';
    return `WebGPU adapter${list.length > 1 ? 's' : ''}: ${list.map((x) => x.desc.label).join(', ')}${soft}`;
  }

  /** Cross-origin isolation and the WebGPU adapter(s) in use, in one status line. */
  renderStatus(engine: Engine) {
    const isolated = globalThis.crossOriginIsolated === true;
    const gpuWhy = engine.runtime.gpuUnavailableReason();
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
}
