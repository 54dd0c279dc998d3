import type { KernelSpec } from '../kernels/types';
import { type Backend, now, type Prepared, type RunOutput, throwIfAborted } from './types';

interface MainPrepared extends Prepared {
  inputs: Float32Array[];
  /** Allocated once at prepare, as the pool's shared output and the GPU's buffers are. */
  output: Float32Array;
}

/** Calls the kernel's CPU program over the whole range on the calling thread. */
export class MainThreadBackend implements Backend {
  readonly kind = 'main' as const;
  readonly label = 'main thread';

  describe(): Record<string, unknown> {
    return {};
  }

  async prepare(kernel: KernelSpec, size: number, inputs: Float32Array[]): Promise<MainPrepared> {
    return { kernel, size, inputs, output: cpuOutput(kernel, size), release() {} };
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

/** What one range of the CPU program writes: the output, or one partial of a reducing program. */
function cpuOutput(kernel: KernelSpec, size: number): Float32Array {
  return new Float32Array(kernel.cpu.reduce ? kernel.cpu.reduce.width : kernel.outputLength(size));
}

/** The whole kernel on one thread: one range, and for reducing programs one partial, combined. */
export function runCpu(
  kernel: KernelSpec,
  size: number,
  inputs: readonly Float32Array[],
  out: Float32Array = cpuOutput(kernel, size),
): Float32Array {
  const { cpu } = kernel;
  cpu.run(inputs, out, size, 0, cpu.items(size));
  return cpu.reduce ? cpu.reduce.combine(out, size) : out;
}
