import type { CpuProgram, KernelSpec } from '../kernels/types';
import { bindKernel, hasRelaxedSimd } from '../wasm/runtime';
import {
  type Backend,
  bytesOf,
  CODE_LABEL,
  type CpuCode,
  now,
  type Prepared,
  type RunMemory,
  type RunOutput,
  throwIfAborted,
} from './types';

interface MainPrepared extends Prepared {
  /** The program that runs: the kernel's JavaScript, or its WebAssembly bound to this run's memory. */
  cpu: CpuProgram;
  /** WebAssembly: copies of the inputs in the module's memory (made at prepare, not timed). */
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
  readonly label: string;
  /** WebAssembly: use relaxed SIMD's fused multiply-add when the engine has it. */
  readonly relaxed: boolean;

  constructor(
    private readonly sliceMs?: number,
    readonly code: CpuCode = 'js',
    opts: { relaxed?: boolean } = {},
  ) {
    this.label = code === 'js' ? 'main thread' : `main thread · ${CODE_LABEL[code]}`;
    this.relaxed = code === 'wasm' && (opts.relaxed ?? hasRelaxedSimd());
  }

  describe(): Record<string, unknown> {
    return { code: this.code };
  }

  async prepare(kernel: KernelSpec, size: number, inputs: Float32Array[]): Promise<MainPrepared> {
    const outputLength = kernel.cpu.reduce ? kernel.cpu.reduce.width : kernel.outputLength(size);
    if (this.code === 'wasm') {
      const w = await bindKernel(kernel, size, inputs, outputLength, {
        shared: false,
        relaxed: this.relaxed,
      });
      return {
        kernel,
        size,
        cpu: w.cpu,
        inputs: w.inputs,
        output: w.output,
        hostBytes: bytesOf(inputs) + w.arena.memory.buffer.byteLength,
        release() {},
      };
    }
    const output = new Float32Array(outputLength);
    return {
      kernel,
      size,
      cpu: kernel.cpu,
      inputs,
      output,
      hostBytes: bytesOf([...inputs, output]),
      release() {},
    };
  }

  async run(prep: Prepared, signal?: AbortSignal): Promise<RunOutput> {
    throwIfAborted(signal);
    const { cpu, size, inputs, output } = prep as MainPrepared;
    if (this.sliceMs) return runSliced(cpu, size, inputs, output, this.sliceMs, signal);
    const t0 = now();
    const result = runProgram(cpu, size, inputs, output);
    return { output: result, wallMs: now() - t0 };
  }

  memory(prep: Prepared): RunMemory {
    return { hostBytes: prep.hostBytes };
  }

  dispose(): void {}
}

/** The kernel's JavaScript program on one thread: one range, and for reducing programs one partial, combined. */
export function runCpu(kernel: KernelSpec, size: number, inputs: readonly Float32Array[]): Float32Array {
  const { cpu } = kernel;
  return runProgram(
    cpu,
    size,
    inputs,
    new Float32Array(cpu.reduce ? cpu.reduce.width : kernel.outputLength(size)),
  );
}

function runProgram(
  cpu: CpuProgram,
  size: number,
  inputs: readonly Float32Array[],
  out: Float32Array,
): Float32Array {
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
  cpu: CpuProgram,
  size: number,
  inputs: readonly Float32Array[],
  output: Float32Array,
  sliceMs: number,
  signal?: AbortSignal,
): Promise<RunOutput> {
  const items = cpu.items(size);
  const align = Math.max(1, cpu.align);
  const partials: number[] = [];
  // a reducing program's output is one partial's room (in WebAssembly memory when that code runs)
  const part = cpu.reduce ? output : null;
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
