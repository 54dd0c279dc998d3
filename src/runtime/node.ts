import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import pkg from '../../package.json' with { type: 'json' };
import type { ProbedAdapter } from '../gpu/adapters';
import { dawnAdapters } from './dawn';
import { FileTuneStore } from './tune-file';
import type { Runtime } from './types';
import type { WorkerHandle } from './worker-handle';

/**
 * Starts the worker thread's entry: a bundled .mjs named by KP_NODE_WORKER (the GPU kit ships one),
 * or else the TypeScript source, loaded through tsx's loader registered inside the thread (loader
 * flags such as --import do not reach worker threads).
 */
function startWorker(): Worker {
  const bundled = process.env.KP_NODE_WORKER;
  if (bundled) return new Worker(new URL(bundled, `file://${process.cwd()}/`));
  const entry = new URL('../worker/node-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })
    .catch((e) => { setTimeout(() => { throw e; }); });`;
  return new Worker(boot, { eval: true });
}

export function nodeWorkerFactory(): WorkerHandle {
  const w = startWorker();
  w.unref(); // an idle pool never keeps the process alive
  const handle: WorkerHandle = {
    endpoint: nodeEndpoint(w),
    terminate: () => void w.terminate(),
    onFailure(cb) {
      w.on('error', (e) => cb(new Error(`a worker failed: ${e.message}`)));
      w.on('exit', (code) => cb(new Error(`a worker exited (code ${code})`)));
      w.on('messageerror', (e) => cb(new Error(`a worker message could not be read: ${String(e)}`)));
    },
  };
  return handle;
}

export const nodeRuntime: Runtime = {
  tuneStore: () => new FileTuneStore(),
  env: () => ({
    runtime: `node ${process.versions.node}`,
    cores: availableParallelism(),
    appVersion: pkg.version,
    isolated: typeof SharedArrayBuffer !== 'undefined',
  }),
  workerFactory: nodeWorkerFactory,
  defaultWorkers: Math.min(64, availableParallelism()),
  sharedMemory: typeof SharedArrayBuffer !== 'undefined',
  async probeAdapters(): Promise<ProbedAdapter[]> {
    try {
      return await dawnAdapters();
    } catch {
      return [];
    }
  },
  timerResolutionMs: () => 0.001,
  gpuUnavailableReason: () => null,
};
