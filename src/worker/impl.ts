import { transfer } from 'comlink';
import { getKernel } from '../kernels/registry';
import type { CopiedChunk, SharedChunk, WorkerApi } from './api';

/**
 * The worker side of the pool, the same in browsers and Node. `crash` makes this worker die the way a
 * real crash would (the fault-crash kernel asks for it): an uncaught error in a browser worker, a
 * process exit in a Node worker thread.
 */
export function createWorkerApi(crash: () => Promise<never>): WorkerApi {
  return {
    runShared({ kernel: id, size, inputs, output, start, end }: SharedChunk): number | Promise<number> {
      if (id === 'fault-crash') return crash();
      const kernel = getKernel(id);
      if (kernel.kind === 'reduction') {
        const partial = new Float32Array(1);
        kernel.cpu(inputs, partial, size, start, end);
        return partial[0];
      }
      kernel.cpu(inputs, output, size, start, end);
      return 0;
    },
    runCopied({
      kernel: id,
      size,
      inputs,
      items,
      outputLength,
    }: CopiedChunk): Float32Array | Promise<Float32Array> {
      if (id === 'fault-crash') return crash();
      const kernel = getKernel(id);
      const out = new Float32Array(kernel.kind === 'reduction' ? 1 : outputLength);
      kernel.cpu(inputs, out, size, 0, items);
      return transfer(out, [out.buffer]);
    },
    ping: () => 'pong',
  };
}
