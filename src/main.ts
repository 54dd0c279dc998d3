import { optionsObject, type RunOptions } from './bench/options';
import type { RunRecord } from './bench/record';
import { Engine } from './engine';
import { errorMessage } from './errors';
import { registry } from './kernels/registry';
import { browserRuntime } from './runtime/browser';
import type { KpApp } from './ui/app';
import './ui/app';
import { parseUrl } from './url';

export interface PlaygroundApi {
  run(options: RunOptions): Promise<RunRecord[]>;
  results: Promise<RunRecord[]> | null;
  /** The pool at 1 … cores (+1) workers, with the main thread as the baseline (records of every point). */
  scaling(options: RunOptions): Promise<RunRecord[]>;
  /** The chosen backends from tiny to large sizes (records of every point). */
  sweep(options: RunOptions): Promise<RunRecord[]>;
  /** For tests: fault injection and counters. Not part of the URL contract. */
  debug: {
    loseDevice(adapterId?: string): boolean;
    deviceInfo(
      adapterId: string,
    ): Promise<{ maxComputeInvocationsPerWorkgroup: number; workgroupSize: number }>;
    counters(): ReturnType<Engine['counters']>;
    /** The ids of the adapters this browser has (headless checks --adapter against them). */
    adapters(): Promise<string[]>;
  };
}

declare global {
  interface Window {
    playground: PlaygroundApi;
  }
}

/** A bad options object rejects (and is shown) like a failed run, never throws synchronously. */
function settle(f: () => Promise<RunRecord[]>): Promise<RunRecord[]> {
  try {
    return f();
  } catch (e) {
    app.showError(errorMessage(e));
    return Promise.reject(e);
  }
}

const engine = new Engine(browserRuntime());
const app = document.querySelector('kp-app') as KpApp;
app.engine = engine;
engine.onDeviceLost = (m) => app.showError(m);

const api: PlaygroundApi = {
  // Options objects are checked with the URL's messages (a typo, run(null), ranges as arrays).
  run: (options) => settle(() => app.run(optionsObject(options))),
  results: null,
  scaling: (options) => settle(() => app.scaling(optionsObject(options))),
  sweep: (options) => settle(() => app.sweep(optionsObject(options))),
  debug: {
    loseDevice: (id) => engine.loseDeviceForTest(id),
    deviceInfo: (id) => engine.deviceInfoForTest(id),
    counters: () => engine.counters(),
    adapters: async () => (await engine.adapters()).map((a) => a.desc.id),
  },
};
window.playground = api;

try {
  const { options, autorun } = parseUrl(location.search, registry.list()[0].id);
  app.applyOptions(options);
  // A link that runs is the whole setup: no adapter named means the default one, whatever this browser
  // chose last time, so the run, the controls and the URL all say the same (a plain visit restores it).
  if (autorun && !options.adapter) app.gpus.set([]);
  if (autorun) {
    api.results = app.run(options);
    api.results.catch(() => {}); // shown on the page; the caller holds the promise
  }
} catch (e) {
  app.showError(errorMessage(e));
  // The error itself: its name carries its kind (InputError) to whoever awaits results (headless).
  api.results = Promise.reject(e instanceof Error ? e : new Error(errorMessage(e)));
  api.results.catch(() => {});
}
