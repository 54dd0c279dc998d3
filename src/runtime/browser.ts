import type { Endpoint } from 'comlink';
import { type ProbedAdapter, probeAdapters } from '../gpu/adapters';
import { LocalTuneStore } from '../gpu/tuner';
import type { Runtime } from './types';
import type { WorkerHandle } from './worker-handle';

declare const __APP_VERSION__: string;

/**
 * A worker handle around any Worker: the page starts the worker from its own file; the embed, loaded
 * from another origin, starts it from code inlined in embed.js (a blob URL), since a worker script
 * must be same-origin.
 */
export function workerHandle(w: Worker): WorkerHandle {
  return {
    endpoint: w as unknown as Endpoint,
    terminate: () => w.terminate(),
    onFailure(cb) {
      w.addEventListener('error', (e) => {
        e.preventDefault();
        cb(new Error(`a worker failed: ${e.message || 'it could not start or crashed'}`));
      });
      w.addEventListener('messageerror', () => cb(new Error('a worker message could not be read')));
    },
  };
}

/** The page's worker: a module worker from its own (hashed) file. */
export function pageWorker(): Worker {
  return new Worker(new URL('../worker/browser-worker.ts', import.meta.url), {
    type: 'module',
    name: 'kernel-pool',
  });
}

/** The browser runtime, with a way to start a pool worker. */
export function browserRuntime(startWorker: () => Worker = pageWorker): Runtime {
  return {
    env: () => ({
      runtime: navigator.userAgent,
      cores: navigator.hardwareConcurrency || 1,
      appVersion: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev',
      isolated: globalThis.crossOriginIsolated === true,
    }),
    workerFactory: () => workerHandle(startWorker()),
    defaultWorkers: Math.min(64, Math.max(1, navigator.hardwareConcurrency || 1)),
    sharedMemory: globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined',
    async probeAdapters(): Promise<ProbedAdapter[]> {
      if (!('gpu' in navigator) || !navigator.gpu) return [];
      return probeAdapters(navigator.gpu);
    },
    // Chromium: 5 µs when cross-origin isolated, 100 µs otherwise (coarsened against timing attacks).
    tuneStore: () => new LocalTuneStore(),
    timerResolutionMs: () => (globalThis.crossOriginIsolated ? 0.005 : 0.1),
    mainThreadSliceMs: 100,
    gpuUnavailableReason() {
      if (!globalThis.isSecureContext)
        return 'WebGPU needs a secure context: open the page over https or on localhost';
      if (!('gpu' in navigator) || !navigator.gpu) {
        return 'this browser has no WebGPU (navigator.gpu is missing): try a recent Chrome, Edge or Safari, or enable WebGPU in its flags';
      }
      return null;
    },
  };
}
