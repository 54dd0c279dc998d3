import type { KernelSpec } from '../kernels/types';
import { type Backend, now, type Prepared, type RunOutput, throwIfAborted } from './types';

interface MainPrepared extends Prepared {
  inputs: Float32Array[];
  /** Allocated once at prepare, as the pool's shared output and the GPU's buffers are. */
  output: Float32Array;
}

/**
 * Calls the kernel's CPU program on the calling thread: in one call (Node), or in a page in slices of
 * about `sliceMs` with the event loop served between them, so the tab stays responsive and Cancel acts
 * within a slice; the time counted is the slices' own.
 */
export class MainThreadBackend implements Backend {
  readonly kind = 'main' as const;
  readonly label = 'main thread';

  constructor(private readonly sliceMs?: number) {}

  describe(): Record<string, unknown> {
    return {};
  }

  async prepare(kernel: KernelSpec, size: number, inputs: Float32Array[]): Promise<MainPrepared> {
    return { kernel, size, inputs, output: cpuOutput(kernel, size), release() {} };
  }

  async run(prep: Prepared, signal?: AbortSignal): Promise<RunOutput> {
    throwIfAborted(signal);
    const { kernel, size, inputs, output } = prep as MainPrepared;
    if (this.sliceMs) return runSliced(kernel, size, inputs, output, this.sliceMs, signal);
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

const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * The CPU program over [0, items) in slices: the first small, the next sized from the rate measured so
 * far to take about `sliceMs` (cut at the program's alignment); after each `sliceMs` of work the event
 * loop runs and a cancellation is honoured. A reducing program keeps one partial per slice and combines
 * them as the pool combines its chunks'.
 */
async function runSliced(
  kernel: KernelSpec,
  size: number,
  inputs: readonly Float32Array[],
  output: Float32Array,
  sliceMs: number,
  signal?: AbortSignal,
): Promise<RunOutput> {
  const { cpu } = kernel;
  const items = cpu.items(size);
  const align = Math.max(1, cpu.align);
  const partials: number[] = [];
  const part = cpu.reduce ? new Float32Array(cpu.reduce.width) : null;
  let busy = 0;
  let sinceYield = 0;
  let slices = 0;
  let yields = 0;
  let step = align;
  for (let start = 0; start < items; ) {
    const end = Math.min(items, start + step);
    const t0 = now();
    if (part) {
      cpu.run(inputs, part, size, start, end);
      partials.push(...part);
    } else cpu.run(inputs, output, size, start, end);
    const dt = now() - t0;
    busy += dt;
    sinceYield += dt;
    slices++;
    const perItem = Math.max(dt, 0.001) / (end - start);
    step = Math.max(align, Math.min(8 * step, Math.floor(sliceMs / perItem / align) * align));
    start = end;
    if (start < items && sinceYield >= sliceMs) {
      await yieldToEvents();
      throwIfAborted(signal);
      sinceYield = 0;
      yields++;
    }
  }
  const result = cpu.reduce ? cpu.reduce.combine(Float32Array.from(partials), size) : output;
  // A run short enough never to give way is not called sliced (its slices ran back to back).
  return { output: result, wallMs: busy, ...(yields > 0 ? { slices } : {}) };
}
