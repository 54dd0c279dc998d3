import type { RunOptions } from './bench/options';
import type { RunRecord } from './bench/record';
import { Engine } from './engine';
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
  };
}

declare global {
  interface Window {
    playground: PlaygroundApi;
  }
}

const engine = new Engine(browserRuntime());
const app = document.querySelector('kp-app') as KpApp;
app.engine = engine;
engine.onDeviceLost = (m) => app.showError(m);

const api: PlaygroundApi = {
  run: (options) => app.run(options),
  results: null,
  scaling: (options) => app.scaling(options),
  sweep: (options) => app.sweep(options),
  debug: {
    loseDevice: (id) => engine.loseDeviceForTest(id),
    deviceInfo: (id) => engine.deviceInfoForTest(id),
    counters: () => engine.counters(),
  },
};
window.playground = api;

try {
  const { options, autorun } = parseUrl(location.search, registry.list()[0].id);
  app.applyOptions(options);
  if (autorun) {
    api.results = app.run(options);
    api.results.catch(() => {}); // shown on the page; the caller holds the promise
  }
} catch (e) {
  const msg = e instanceof Error ? e.message : String(e);
  app.showError(msg);
  api.results = Promise.reject(new Error(msg));
  api.results.catch(() => {});
}
