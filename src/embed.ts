/**
 * The blog widget: `<script type="module" src=".../embed.js"></script>` defines `<kernel-race>`.
 * Built into one file, dist/embed.js, with the worker and the WGSL inlined so it works when loaded from
 * another origin. Every widget on a page shares one engine (one worker pool, one GPU device per
 * adapter), also across two copies of this file; loading it twice is harmless.
 */
import { Engine } from './engine';
import { browserRuntime } from './runtime/browser';
import { KernelRace } from './ui/kernel-race';
import InlineWorker from './worker/browser-worker.ts?worker&inline';

const KEY = Symbol.for('kernel-playground.embed-engine');
type Holder = { [KEY]?: Engine };

function sharedEngine(): Engine {
  const g = globalThis as Holder;
  g[KEY] ??= new Engine(browserRuntime(() => new InlineWorker({ name: 'kernel-race-pool' })));
  return g[KEY];
}

if (!customElements.get('kernel-race')) {
  KernelRace.source = sharedEngine;
  customElements.define('kernel-race', KernelRace);
}

declare global {
  interface HTMLElementTagNameMap {
    'kernel-race': KernelRace;
  }
}
