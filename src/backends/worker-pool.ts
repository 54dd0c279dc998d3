import { transfer } from 'comlink';
import { splitRange } from '../kernels/common';
import type { KernelSpec } from '../kernels/types';
import { arenaSize, hasRelaxedSimd, WasmArena } from '../wasm/runtime';
import type { KernelRef } from '../worker/api';
import type { WorkerPool } from './pool';
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

export type Transfer = 'shared' | 'copy';

interface PoolPrepared extends Prepared {
  /**
   * Shared mode: the inputs and output live in SharedArrayBuffers every worker sees; for WebAssembly,
   * in one shared WebAssembly.Memory, with each worker's scratch and partial beside them.
   */
  shared: {
    inputs: Float32Array[];
    output: Float32Array;
    wasm?: { memory: WebAssembly.Memory; scratch: number[]; partials: Float32Array[] };
  } | null;
  /** Copy mode: the caller's inputs, sliced per chunk on every run. */
  inputs: Float32Array[];
}

function sharedCopy(src: Float32Array): Float32Array {
  const v = new Float32Array(new SharedArrayBuffer(src.byteLength));
  v.set(src);
  return v;
}

/**
 * Splits a kernel's work items into one contiguous chunk per worker. With SharedArrayBuffer (a
 * cross-origin isolated page, or Node) inputs are copied into shared memory once, at prepare, and
 * workers write their part of the output in place; otherwise each run copies every chunk's input
 * slices to its worker and the output slices back (the record says which: `transfer`).
 */
export class WorkerPoolBackend implements Backend {
  readonly kind = 'workers' as const;
  readonly transfer: Transfer;
  readonly code: CpuCode;
  /** WebAssembly: use relaxed SIMD's fused multiply-add when the engine has it. */
  readonly relaxed: boolean;

  constructor(
    private readonly pool: WorkerPool,
    opts: { shared: boolean; code?: CpuCode; relaxed?: boolean },
  ) {
    this.transfer = opts.shared && typeof SharedArrayBuffer !== 'undefined' ? 'shared' : 'copy';
    this.code = opts.code ?? 'js';
    this.relaxed = this.code === 'wasm' && (opts.relaxed ?? hasRelaxedSimd());
  }

  get label(): string {
    const workers = `${this.pool.size} worker${this.pool.size === 1 ? '' : 's'}`;
    return this.code === 'js' ? workers : `${workers} · ${CODE_LABEL[this.code]}`;
  }

  describe(): Record<string, unknown> {
    return { workers: this.pool.size, transfer: this.transfer, code: this.code };
  }

  async prepare(kernel: KernelSpec, size: number, inputs: Float32Array[]): Promise<PoolPrepared> {
    if (this.code === 'wasm' && this.transfer === 'shared')
      return this.prepareSharedWasm(kernel, size, inputs);
    const shared =
      this.transfer === 'shared'
        ? {
            inputs: inputs.map(sharedCopy),
            output: new Float32Array(new SharedArrayBuffer(4 * Math.max(1, kernel.outputLength(size)))),
          }
        : null;
    const outBytes = 4 * (kernel.cpu.reduce ? kernel.cpu.reduce.width : kernel.outputLength(size));
    // shared: the caller's inputs and their shared copies, and the output; copy: each run's slices and
    // the chunks' outputs on top of the caller's inputs and the output
    const hostBytes = shared ? 2 * bytesOf(inputs) + outBytes : 2 * bytesOf(inputs) + 2 * outBytes;
    return { kernel, size, shared, inputs, hostBytes, release() {} };
  }

  /** One shared WebAssembly.Memory: inputs, output, and per worker its scratch and partial. */
  private prepareSharedWasm(kernel: KernelSpec, size: number, inputs: Float32Array[]): PoolPrepared {
    const code = kernel.wasm;
    if (!code) throw new Error(`kernel '${kernel.id}' has no WebAssembly program`);
    const workers = this.pool.size;
    const scratch = code.scratchBytes?.(size) ?? 0;
    const width = kernel.cpu.reduce?.width ?? 0;
    const outputLength = Math.max(1, kernel.outputLength(size));
    const bytes = arenaSize(
      [...inputs.map((x) => x.length), outputLength, ...Array<number>(workers).fill(Math.max(1, width))],
      Array<number>(workers).fill(scratch),
    );
    const arena = new WasmArena(bytes, true);
    const shared = {
      inputs: inputs.map((x) => arena.copyIn(x)),
      output: arena.alloc(outputLength),
      wasm: {
        memory: arena.memory,
        scratch: Array.from({ length: workers }, () => arena.allocBytes(scratch)),
        partials: Array.from({ length: workers }, () => arena.alloc(Math.max(1, width))),
      },
    };
    return { kernel, size, shared, inputs, hostBytes: bytesOf(inputs) + bytes, release() {} };
  }

  memory(prep: Prepared): RunMemory {
    return { hostBytes: prep.hostBytes };
  }

  async run(prep: Prepared, outer?: AbortSignal): Promise<RunOutput> {
    throwIfAborted(outer);
    // When one chunk fails, the others' work is useless: abort them too (their workers are replaced),
    // so no worker that is about to die, or still busy, gets the next run's chunks.
    const ctl = new AbortController();
    const onOuterAbort = () => ctl.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      return await this.runChunks(prep as PoolPrepared, ctl);
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  private async runChunks(prep: PoolPrepared, ctl: AbortController): Promise<RunOutput> {
    const { signal } = ctl;
    const failFast = <T>(p: Promise<T>): Promise<T> =>
      p.catch((e: unknown) => {
        if (!signal.aborted) ctl.abort(e instanceof Error ? e : new Error(String(e)));
        throw e;
      });
    const { kernel, size, shared, inputs } = prep;
    const { cpu } = kernel;
    // Shared WebAssembly memory has a scratch and partial slot per worker the pool had at prepare; the
    // pool (shared by every widget of a page) may have been resized since: use no more chunks than slots.
    const parts = shared?.wasm ? Math.min(this.pool.size, shared.wasm.scratch.length) : this.pool.size;
    const chunks = splitRange(cpu.items(size), parts, cpu.align);
    const ref: KernelRef = {
      kernel: kernel.id,
      ...(kernel.source ?? {}),
      ...(this.code === 'wasm' ? { wasm: { relaxed: this.relaxed } } : {}),
    };
    const t0 = now();
    let output: Float32Array;
    if (shared) {
      const partials = await Promise.all(
        chunks.map(([start, end], w) =>
          failFast(
            this.pool.call(
              w,
              (r) =>
                r.runShared({
                  ...ref,
                  size,
                  inputs: shared.inputs,
                  output: shared.output,
                  start,
                  end,
                  ...(shared.wasm
                    ? {
                        memory: shared.wasm.memory,
                        scratch: shared.wasm.scratch[w],
                        partial: shared.wasm.partials[w],
                      }
                    : {}),
                }),
              signal,
            ),
          ),
        ),
      );
      // The result is already in memory the caller can read: no copy (that is the point of sharing).
      output = cpu.reduce ? cpu.reduce.combine(concat(partials), size) : shared.output;
    } else {
      const parts = await Promise.all(
        chunks.map(([start, end], w) => {
          const slices = inputs.map((x, i) => {
            const [a, b] = cpu.inputSpan(size, i, start, end);
            return x.slice(a, b);
          });
          const [oa, ob] = cpu.outputSpan(size, start, end);
          const chunk = {
            ...ref,
            size,
            inputs: slices,
            items: end - start,
            first: start,
            outputLength: ob - oa,
          };
          return failFast(
            this.pool.call(
              w,
              (r) =>
                r.runCopied(
                  transfer(
                    chunk,
                    slices.map((s) => s.buffer as ArrayBuffer),
                  ),
                ),
              signal,
            ),
          );
        }),
      );
      if (cpu.reduce) output = cpu.reduce.combine(concat(parts), size);
      else {
        output = new Float32Array(kernel.outputLength(size));
        for (const [w, [start, end]] of chunks.entries())
          output.set(parts[w], cpu.outputSpan(size, start, end)[0]);
      }
    }
    return { output, wallMs: now() - t0 };
  }

  dispose(): void {
    // The pool outlives backends: it is shared by every run (and every embedded widget) of a page.
  }
}

/** The chunks' partials end to end, in chunk order. */
function concat(parts: readonly (Float32Array | null)[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, p) => n + (p?.length ?? 0), 0));
  let at = 0;
  for (const p of parts) {
    if (!p) continue;
    all.set(p, at);
    at += p.length;
  }
  return all;
}
