import { transfer } from 'comlink';
import type { KernelSpec } from '../kernels/types';
import type { KernelRef } from '../worker/api';
import type { WorkerPool } from './pool';
import { type Backend, now, type Prepared, type RunOutput, throwIfAborted } from './types';

export type Transfer = 'shared' | 'copy';

interface PoolPrepared extends Prepared {
  /** Shared mode: the inputs and output live in SharedArrayBuffers every worker sees. */
  shared: { inputs: Float32Array[]; output: Float32Array } | null;
  /** Copy mode: the caller's inputs, sliced per chunk on every run. */
  inputs: Float32Array[];
}

/** Chunk boundaries are multiples of this many items (64 floats = 256 bytes: no false sharing). */
const ALIGN = 64;

/** Splits [0, items) into at most `parts` contiguous ranges of nearly equal length. */
export function splitRange(items: number, parts: number, align: number): [number, number][] {
  const out: [number, number][] = [];
  const n = Math.max(1, Math.min(parts, Math.ceil(items / align)));
  for (let p = 0; p < n; p++) {
    const a = p === 0 ? 0 : Math.min(items, Math.round((items * p) / n / align) * align);
    const b = p === n - 1 ? items : Math.min(items, Math.round((items * (p + 1)) / n / align) * align);
    if (b > a) out.push([a, b]);
  }
  return out;
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

  constructor(
    private readonly pool: WorkerPool,
    opts: { shared: boolean },
  ) {
    this.transfer = opts.shared && typeof SharedArrayBuffer !== 'undefined' ? 'shared' : 'copy';
  }

  get label(): string {
    return `${this.pool.size} worker${this.pool.size === 1 ? '' : 's'}`;
  }

  describe(): Record<string, unknown> {
    return { workers: this.pool.size, transfer: this.transfer };
  }

  async prepare(kernel: KernelSpec, size: number, inputs: Float32Array[]): Promise<PoolPrepared> {
    const shared =
      this.transfer === 'shared'
        ? {
            inputs: inputs.map(sharedCopy),
            output: new Float32Array(new SharedArrayBuffer(4 * Math.max(1, kernel.outputLength(size)))),
          }
        : null;
    return { kernel, size, shared, inputs, release() {} };
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
    const chunks = splitRange(kernel.items(size), this.pool.size, kernel.kind === 'rows' ? 1 : ALIGN);
    const ref: KernelRef = { kernel: kernel.id, ...(kernel.source ?? {}) };
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
                }),
              signal,
            ),
          ),
        ),
      );
      // The result is already in memory the caller can read: no copy (that is the point of sharing).
      output = kernel.kind === 'reduction' ? combine(kernel, Float32Array.from(partials)) : shared.output;
    } else {
      const parts = await Promise.all(
        chunks.map(([start, end], w) => {
          const slices = inputs.map((x, i) => {
            const [a, b] = kernel.inputSpan(size, i, start, end);
            return x.slice(a, b);
          });
          const [oa, ob] = kernel.outputSpan(size, start, end);
          const chunk = {
            ...ref,
            size,
            inputs: slices,
            items: end - start,
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
      if (kernel.kind === 'reduction') {
        output = combine(
          kernel,
          Float32Array.from(parts, (p) => p[0]),
        );
      } else {
        output = new Float32Array(kernel.outputLength(size));
        for (const [w, [start, end]] of chunks.entries())
          output.set(parts[w], kernel.outputSpan(size, start, end)[0]);
      }
    }
    return { output, wallMs: now() - t0 };
  }

  dispose(): void {
    // The pool outlives backends: it is shared by every run (and every embedded widget) of a page.
  }
}

function combine(kernel: KernelSpec, partials: Float32Array): Float32Array {
  return kernel.combine ? kernel.combine(partials) : partials;
}
