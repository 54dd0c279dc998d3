import { transfer } from 'comlink';
import { InjectedCrash } from '../errors';
import { lookupKernel } from '../kernels/lookup';
import type { CopiedChunk, SharedChunk, WorkerApi } from './api';

/**
 * The worker side of the pool, the same in browsers and Node: it runs the kernel's CPU program on the
 * chunk it is given. `crash` makes this worker die the way a real crash would, when a fault-injection
 * kernel throws InjectedCrash: an uncaught error in a browser worker, a process exit in a Node thread.
 */
export function createWorkerApi(crash: () => Promise<never>): WorkerApi {
  const guarded = <T>(f: () => T): T | Promise<never> => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InjectedCrash) return crash();
      throw e;
    }
  };
  return {
    runShared: (c: SharedChunk) =>
      guarded(() => {
        const { cpu } = lookupKernel(c.kernel, c.expr, c.ranges);
        if (!cpu.reduce) {
          cpu.run(c.inputs, c.output, c.size, c.start, c.end);
          return null;
        }
        const partial = new Float32Array(cpu.reduce.width);
        cpu.run(c.inputs, partial, c.size, c.start, c.end);
        return partial;
      }),
    runCopied: (c: CopiedChunk) =>
      guarded(() => {
        const { cpu } = lookupKernel(c.kernel, c.expr, c.ranges);
        const out = new Float32Array(cpu.reduce ? cpu.reduce.width : c.outputLength);
        cpu.run(c.inputs, out, c.size, 0, c.items, c.first);
        return transfer(out, [out.buffer]);
      }),
    ping: () => 'pong',
  };
}
