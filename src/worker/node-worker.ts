import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createWorkerApi } from './impl';

if (!parentPort) throw new Error('node-worker.ts must run in a worker thread');
// A crash in a worker thread: the thread exits with a non-zero code in the middle of a call.
expose(
  createWorkerApi(() => process.exit(70)),
  nodeEndpoint(parentPort),
);
