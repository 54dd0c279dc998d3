import { type Remote, releaseProxy, wrap } from 'comlink';
import { InputError } from '../errors';
import type { WorkerFactory, WorkerHandle } from '../runtime/worker-handle';
import type { WorkerApi } from '../worker/api';
import { abortError } from './types';

export const MIN_WORKERS = 1;
export const MAX_WORKERS = 64;

interface Slot {
  handle: WorkerHandle;
  remote: Remote<WorkerApi>;
  /** Rejecters of the calls in flight on this worker: a failure or abort rejects them all. */
  pending: Set<(err: Error) => void>;
  dead: boolean;
}

export interface PoolCounters {
  /** Workers started since the pool was made (replacements included). */
  started: number;
  /** Workers alive now. */
  live: number;
  /** Calls whose promise has not settled. */
  pending: number;
}

/**
 * A fixed set of workers, created once and reused. Every call owns its promise: it settles when the
 * worker answers, or rejects when the worker errors, exits, is terminated, times out or the caller
 * aborts — Comlink alone would leave it pending forever. A worker that failed or was aborted is
 * terminated and replaced on its next use.
 */
export class WorkerPool {
  private slots: (Slot | null)[] = [];
  private startedCount = 0;

  constructor(
    private readonly factory: WorkerFactory,
    size: number,
    private readonly callTimeoutMs = 600_000,
  ) {
    this.resize(size);
  }

  get size(): number {
    return this.slots.length;
  }

  resize(size: number): void {
    if (!Number.isInteger(size) || size < MIN_WORKERS || size > MAX_WORKERS) {
      throw new InputError(`workers must be an integer from ${MIN_WORKERS} to ${MAX_WORKERS}, got ${size}`);
    }
    while (this.slots.length > size) {
      const s = this.slots.pop();
      if (s) this.kill(s, new Error('the pool was resized'));
    }
    while (this.slots.length < size) this.slots.push(null);
  }

  counters(): PoolCounters {
    let live = 0;
    let pending = 0;
    for (const s of this.slots) {
      if (s && !s.dead) live++;
      if (s) pending += s.pending.size;
    }
    return { started: this.startedCount, live, pending };
  }

  private slot(i: number): Slot {
    const existing = this.slots[i];
    if (existing && !existing.dead) return existing;
    const handle = this.factory();
    this.startedCount++;
    const s: Slot = { handle, remote: wrap<WorkerApi>(handle.endpoint), pending: new Set(), dead: false };
    handle.onFailure((err) => this.kill(s, err));
    this.slots[i] = s;
    return s;
  }

  private kill(s: Slot, err: Error): void {
    if (s.dead) return;
    s.dead = true;
    for (const reject of [...s.pending]) reject(err);
    s.pending.clear();
    try {
      s.remote[releaseProxy]();
    } catch {
      // the endpoint may already be gone
    }
    s.handle.terminate();
  }

  /** Runs `fn` against worker `i`, owning the promise as described above. */
  call<T>(i: number, fn: (remote: Remote<WorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const s = this.slot(i);
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        s.pending.delete(fail);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (err: Error) => {
        done();
        reject(err);
      };
      const onAbort = () => this.kill(s, abortError(signal));
      s.pending.add(fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(
        () =>
          this.kill(
            s,
            new Error(`a worker did not answer within ${this.callTimeoutMs / 1000} s; it was restarted`),
          ),
        this.callTimeoutMs,
      );
      fn(s.remote).then(
        (v) => {
          if (!s.pending.has(fail)) return; // already rejected by a failure or abort
          done();
          resolve(v);
        },
        (e: unknown) => {
          if (!s.pending.has(fail)) return;
          fail(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  dispose(): void {
    for (const s of this.slots) if (s) this.kill(s, new Error('the worker pool was disposed'));
    this.slots = this.slots.map(() => null);
  }
}
