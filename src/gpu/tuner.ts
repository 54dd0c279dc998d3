/**
 * Choosing a GPU program variant per adapter, as the best WebGPU libraries do: the first run of a
 * (kernel, size class) on an adapter times each eligible variant briefly, keeps the fastest, and
 * remembers the choice per adapter id and driver description (a new driver re-tunes). The store is
 * localStorage in a browser and a JSON file in the user's cache directory in Node; tests pass their own.
 * Tuning only chooses: the chosen variant's run is verified like any other.
 */
import { errorKind } from '../errors';
import type { AdapterDescription } from './adapters';

/** What one tuning found: every variant's time and the choice. */
export interface TuneRecord {
  variant: string;
  /** Median milliseconds per variant ('gpu': timestamps; 'wall': time to result). */
  ms: Record<string, number>;
  clock: 'gpu' | 'wall';
  /** When it was tuned (ms since the epoch). */
  at: number;
  /** Variants the device or size excluded, with why. */
  skipped?: Record<string, string>;
}

export interface TuneStore {
  load(): Record<string, TuneRecord>;
  save(all: Record<string, TuneRecord>): void;
}

/** A store that forgets with the process (tests; a page without localStorage). */
export class MemoryTuneStore implements TuneStore {
  private data: Record<string, TuneRecord> = {};
  load(): Record<string, TuneRecord> {
    return { ...this.data };
  }
  save(all: Record<string, TuneRecord>): void {
    this.data = { ...all };
  }
}

/** localStorage under one key; a page where storage is blocked tunes again each visit. */
export class LocalTuneStore implements TuneStore {
  constructor(private readonly key = 'kernel-playground.tune.v1') {}
  load(): Record<string, TuneRecord> {
    try {
      const text = globalThis.localStorage?.getItem(this.key);
      const v = text ? JSON.parse(text) : {};
      return v && typeof v === 'object' ? v : {};
    } catch {
      return {};
    }
  }
  save(all: Record<string, TuneRecord>): void {
    try {
      globalThis.localStorage?.setItem(this.key, JSON.stringify(all));
    } catch {
      // storage full or blocked: the choice lasts for this page only
    }
  }
}

/** Sizes tune by class: the power of two at or below the size (n for matmul, elements otherwise). */
export function sizeClass(size: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, size)));
}

/** The key of a choice: adapter id, its driver as it describes itself, the kernel, the size class. */
export function tuneKey(
  adapter: Pick<AdapterDescription, 'id' | 'vendor' | 'architecture' | 'device' | 'description'>,
  kernelKey: string,
  size: number,
): string {
  const driver = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].join('/');
  return `${adapter.id}|${driver}|${kernelKey}|${sizeClass(size)}`;
}

/** A variant's timing: median milliseconds and which clock. */
export type VariantTime = { ms: number; clock: 'gpu' | 'wall' };

export class Tuner {
  private cache: Record<string, TuneRecord> | null = null;

  constructor(
    private readonly store: TuneStore,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private all(): Record<string, TuneRecord> {
    this.cache ??= this.store.load();
    return this.cache;
  }

  /** The remembered choice for a key, if it names one of the candidates. */
  cached(key: string, candidates: readonly string[]): TuneRecord | undefined {
    const r = this.all()[key];
    return r && candidates.includes(r.variant) ? r : undefined;
  }

  /**
   * The choice for a key: remembered, or (when none, or `retune`) found by timing each candidate with
   * `time` and remembered. One candidate is chosen without timing. A candidate whose timing throws is
   * left out (its message kept in `skipped`) unless every one throws: then the first error is raised.
   * A lost device or a cancellation is no candidate's fault: it ends the tuning at once, remembering nothing.
   */
  async choose(
    key: string,
    candidates: readonly string[],
    time: (variant: string) => Promise<VariantTime>,
    opts: { retune?: boolean; skipped?: Record<string, string> } = {},
  ): Promise<{ record: TuneRecord; fresh: boolean }> {
    if (!candidates.length) throw new Error('no GPU program variant can run here');
    if (!opts.retune) {
      const hit = this.cached(key, candidates);
      if (hit) return { record: hit, fresh: false };
    }
    const ms: Record<string, number> = {};
    const skipped: Record<string, string> = { ...(opts.skipped ?? {}) };
    let clock: 'gpu' | 'wall' = 'wall';
    let firstError: unknown;
    if (candidates.length === 1) {
      ms[candidates[0]] = Number.NaN;
    } else {
      for (const v of candidates) {
        try {
          const t = await time(v);
          ms[v] = t.ms;
          clock = t.clock;
        } catch (e) {
          const kind = errorKind(e);
          if (kind === 'device-lost' || kind === 'cancelled') throw e;
          firstError ??= e;
          skipped[v] = e instanceof Error ? e.message : String(e);
        }
      }
      if (!Object.keys(ms).length) throw firstError;
    }
    const variant = Object.entries(ms).reduce((a, b) => (b[1] < a[1] ? b : a))[0];
    const record: TuneRecord = {
      variant,
      ms,
      clock,
      at: this.now(),
      ...(Object.keys(skipped).length ? { skipped } : {}),
    };
    // A tuning that timed one candidate only remembers nothing worth keeping across visits.
    if (candidates.length > 1) {
      const all = this.all();
      all[key] = record;
      this.store.save(all);
    }
    return { record, fresh: true };
  }

  /** Forgets every choice (or those of one adapter id): the next runs tune again. */
  forget(adapterId?: string): void {
    const all = this.all();
    for (const k of Object.keys(all)) if (!adapterId || k.startsWith(`${adapterId}|`)) delete all[k];
    this.store.save(all);
  }
}
