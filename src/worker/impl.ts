import { transfer } from 'comlink';
import { InjectedCrash } from '../errors';
import { lookupKernel } from '../kernels/lookup';
import { bindEntry, instantiate, PrivateWasm } from '../wasm/runtime';
import type { CopiedChunk, ReferenceTask, SharedChunk, WorkerApi } from './api';

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
  // made on first use: a browser without WebAssembly still runs the JavaScript chunks
  let own: PrivateWasm | null = null;
  return {
    runShared: async (c: SharedChunk) => {
      if (!c.wasm) return runSharedJs(c);
      const kernel = lookupKernel(c.kernel, c.expr, c.ranges);
      if (!kernel.wasm || !c.memory) throw new Error(`kernel '${c.kernel}' has no WebAssembly program`);
      const entry = await instantiate(kernel.wasm, { shared: true, relaxed: c.wasm.relaxed }, c.memory);
      const run = bindEntry(entry, c.scratch ?? 0);
      if (!kernel.cpu.reduce) {
        run(c.inputs, c.output, c.size, c.start, c.end);
        return null;
      }
      run(c.inputs, c.partial!, c.size, c.start, c.end);
      return Float32Array.from(c.partial!);
    },
    runCopied: async (c: CopiedChunk) => {
      if (!c.wasm) return runCopiedJs(c);
      const kernel = lookupKernel(c.kernel, c.expr, c.ranges);
      const outLength = kernel.cpu.reduce ? kernel.cpu.reduce.width : c.outputLength;
      own ??= new PrivateWasm();
      const out = await own.run(kernel, c.wasm.relaxed, c.size, c.inputs, outLength, c.items, c.first);
      return transfer(out, [out.buffer]);
    },
    reference: (t: ReferenceTask) => {
      const r = lookupKernel(t.kernel, t.expr, t.ranges).reference(t.inputs, t.size);
      const buffers = [
        r.values.buffer,
        ...(r.errors ? [r.errors.buffer] : []),
        ...(r.indices ? [r.indices.buffer] : []),
      ];
      return transfer(
        { indices: r.indices, values: r.values, ...(r.errors ? { errors: r.errors } : {}) },
        buffers,
      );
    },
    ping: () => 'pong',
  };

  function runSharedJs(c: SharedChunk) {
    return guarded(() => {
      const { cpu } = lookupKernel(c.kernel, c.expr, c.ranges);
      if (!cpu.reduce) {
        cpu.run(c.inputs, c.output, c.size, c.start, c.end);
        return null;
      }
      const partial = new Float32Array(cpu.reduce.width);
      cpu.run(c.inputs, partial, c.size, c.start, c.end);
      return partial;
    });
  }

  function runCopiedJs(c: CopiedChunk) {
    return guarded(() => {
      const { cpu } = lookupKernel(c.kernel, c.expr, c.ranges);
      const out = new Float32Array(cpu.reduce ? cpu.reduce.width : c.outputLength);
      cpu.run(c.inputs, out, c.size, 0, c.items, c.first);
      return transfer(out, [out.buffer]);
    });
  }
}
