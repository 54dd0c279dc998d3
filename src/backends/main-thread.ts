import type { KernelSpec } from '../kernels/types';
import { type Backend, now, type Prepared, type RunOutput, throwIfAborted } from './types';

interface MainPrepared extends Prepared {
  inputs: Float32Array[];
  /** Allocated once at prepare, as the pool's shared output and the GPU's buffers are. */
  output: Float32Array;
}

/** Calls the kernel's CPU function over the whole range on the calling thread. */
export class MainThreadBackend implements Backend {
  readonly kind = 'main' as const;
  readonly label = 'main thread';

  describe(): Record<string, unknown> {
    return {};
  }

  async prepare(kernel: KernelSpec, size: number, inputs: Float32Array[]): Promise<MainPrepared> {
    const output = new Float32Array(kernel.kind === 'reduction' ? 1 : kernel.outputLength(size));
    return { kernel, size, inputs, output, release() {} };
  }

  async run(prep: Prepared, signal?: AbortSignal): Promise<RunOutput> {
    throwIfAborted(signal);
    const { kernel, size, inputs, output } = prep as MainPrepared;
    const t0 = now();
    const result = runCpu(kernel, size, inputs, output);
    return { output: result, wallMs: now() - t0 };
  }

  dispose(): void {}
}

/**
 * The whole kernel on one thread: one range, and for reductions one partial that is the result.
 * Writes into `out` when given (its length must be the output length, or 1 for reductions).
 */
export function runCpu(
  kernel: KernelSpec,
  size: number,
  inputs: readonly Float32Array[],
  out: Float32Array = new Float32Array(kernel.kind === 'reduction' ? 1 : kernel.outputLength(size)),
): Float32Array {
  kernel.cpu(inputs, out, size, 0, kernel.items(size));
  if (kernel.kind === 'reduction' && kernel.combine) return kernel.combine(out);
  return out;
}
