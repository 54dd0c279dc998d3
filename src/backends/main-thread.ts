import type { KernelSpec } from '../kernels/types';
import { type Backend, now, type Prepared, type RunOutput, throwIfAborted } from './types';

interface MainPrepared extends Prepared {
  inputs: Float32Array[];
}

/** Calls the kernel's CPU function over the whole range on the calling thread. */
export class MainThreadBackend implements Backend {
  readonly kind = 'main' as const;
  readonly label = 'main thread';

  describe(): Record<string, unknown> {
    return {};
  }

  async prepare(kernel: KernelSpec, size: number, inputs: Float32Array[]): Promise<MainPrepared> {
    return { kernel, size, inputs, release() {} };
  }

  async run(prep: Prepared, signal?: AbortSignal): Promise<RunOutput> {
    throwIfAborted(signal);
    const { kernel, size, inputs } = prep as MainPrepared;
    const t0 = now();
    const output = runCpu(kernel, size, inputs);
    return { output, wallMs: now() - t0 };
  }

  dispose(): void {}
}

/** The whole kernel on one thread: one range, and for reductions one partial that is the result. */
export function runCpu(kernel: KernelSpec, size: number, inputs: readonly Float32Array[]): Float32Array {
  if (kernel.kind === 'reduction') {
    const partial = new Float32Array(1);
    kernel.cpu(inputs, partial, size, 0, kernel.items(size));
    return kernel.combine ? kernel.combine(partial) : partial;
  }
  const out = new Float32Array(kernel.outputLength(size));
  kernel.cpu(inputs, out, size, 0, kernel.items(size));
  return out;
}
