import { transfer } from 'comlink';
import { lookupKernel } from '../kernels/lookup';
import type { CopiedChunk, SharedChunk, WorkerApi } from './api';

/**
 * The worker side of the pool, the same in browsers and Node. `crash` makes this worker die the way a
 * real crash would (the fault-crash kernel asks for it): an uncaught error in a browser worker, a
 * process exit in a Node worker thread.
 */
export function createWorkerApi(crash: () => Promise<never>): WorkerApi {
  return {
    runShared(c: SharedChunk): number | Promise<number> {
      if (c.kernel === 'fault-crash') return crash();
      const kernel = lookupKernel(c.kernel, c.expr, c.ranges);
      if (kernel.kind === 'reduction') {
        const partial = new Float32Array(1);
        kernel.cpu(c.inputs, partial, c.size, c.start, c.end);
        return partial[0];
      }
      kernel.cpu(c.inputs, c.output, c.size, c.start, c.end);
      return 0;
    },
    runCopied(c: CopiedChunk): Float32Array | Promise<Float32Array> {
      if (c.kernel === 'fault-crash') return crash();
      const kernel = lookupKernel(c.kernel, c.expr, c.ranges);
      const out = new Float32Array(kernel.kind === 'reduction' ? 1 : c.outputLength);
      kernel.cpu(c.inputs, out, c.size, 0, c.items);
      return transfer(out, [out.buffer]);
    },
    ping: () => 'pong',
  };
}
