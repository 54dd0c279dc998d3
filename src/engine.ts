import { transfer } from 'comlink';
import { MainThreadBackend } from './backends/main-thread';
import { WorkerPool } from './backends/pool';
import { type Backend, type BackendKind, CODE_LABEL, type CpuCode } from './backends/types';
import { WebGpuBackend } from './backends/webgpu';
import { WorkerPoolBackend } from './backends/worker-pool';
import { MainThreadForecast } from './bench/forecast';
import { type ResolvedOptions, type RunOptions, resolveOptions } from './bench/options';
import type { RunRecord } from './bench/record';
import { type RunHooks, runBenchmark } from './bench/runner';
import { EnvironmentError, errorKind } from './errors';
import { formatRanges } from './expr/kernel';
import type { ProbedAdapter } from './gpu/adapters';
import { sizeClass, Tuner } from './gpu/tuner';
import { gpuPrograms } from './kernels/gpu-program';
import { registry } from './kernels/registry';
import type { KernelSpec } from './kernels/types';
import type { Runtime } from './runtime/types';
import { wasmUnavailableReason } from './wasm/runtime';

export interface EngineRun {
  records: RunRecord[];
  /** Things the user should know: a backend skipped, an adapter id that fell back to the default. */
  notes: string[];
  options: ResolvedOptions;
}

/**
 * The one pipeline behind the page, the embed, the URL mode and the CLI: resolves options, picks the
 * backends (one WebGPU backend per chosen adapter), and runs the benchmark. The worker pool and the
 * GPU devices are made once and kept, so later runs reuse them.
 */
export class Engine {
  private pool: WorkerPool | null = null;
  private adaptersPromise: Promise<ProbedAdapter[]> | null = null;
  private gpuBackends = new Map<string, WebGpuBackend>();
  private main: Record<CpuCode, MainThreadBackend>;
  private wasmReason: Promise<string | null> | null = null;
  private readonly forecast = new MainThreadForecast();
  onDeviceLost: ((message: string) => void) | null = null;
  /** Chooses GPU variants per adapter, remembering choices in the runtime's store. */
  readonly tuner: Tuner | null;

  constructor(readonly runtime: Runtime) {
    this.tuner = runtime.tuneStore ? new Tuner(runtime.tuneStore()) : null;
    this.main = {
      js: new MainThreadBackend(runtime.mainThreadSliceMs, 'js'),
      wasm: new MainThreadBackend(runtime.mainThreadSliceMs, 'wasm'),
    };
  }

  adapters(): Promise<ProbedAdapter[]> {
    this.adaptersPromise ??= this.runtime.probeAdapters();
    return this.adaptersPromise;
  }

  workerPool(size = this.runtime.defaultWorkers): WorkerPool {
    if (!this.pool) this.pool = new WorkerPool(this.runtime.workerFactory, size);
    else if (this.pool.size !== size) this.pool.resize(size);
    return this.pool;
  }

  gpuBackend(p: ProbedAdapter): WebGpuBackend {
    let b = this.gpuBackends.get(p.desc.id);
    if (!b) {
      b = new WebGpuBackend(p);
      b.tuner = this.tuner;
      b.onDeviceLost = (m) => this.onDeviceLost?.(m);
      this.gpuBackends.set(p.desc.id, b);
    }
    return b;
  }

  /** The backends a resolved run asks for, and notes for what had to be skipped or substituted. */
  async backendsFor(
    o: ResolvedOptions,
    explicitBackends: boolean,
    strict: RunStrictness = {},
  ): Promise<{ backends: Backend[]; notes: string[] }> {
    if (o.ladder) return this.ladderBackends(o, strict);
    const backends: Backend[] = [];
    const notes: string[] = [];
    const codes = await this.cpuCodes(o, notes);
    for (const kind of o.backends) {
      if (kind === 'main') for (const code of codes) backends.push(this.main[code]);
      else if (kind === 'workers') {
        for (const code of codes) {
          backends.push(
            new WorkerPoolBackend(this.workerPool(o.workers), { shared: this.runtime.sharedMemory, code }),
          );
        }
      } else {
        const adapters = await this.adapters();
        if (!adapters.length) {
          const why = this.runtime.gpuUnavailableReason() ?? 'no WebGPU adapter was found';
          if (explicitBackends) throw new EnvironmentError(`WebGPU was asked for, but ${why}`);
          notes.push(`WebGPU skipped: ${why}`);
          continue;
        }
        const chosen = pickAdapters(adapters, o.adapter, strict.adapters === true, notes);
        for (const p of new Set(chosen)) backends.push(this.gpuBackend(p).forRun(o.variant, o.retune));
      }
    }
    return { backends, notes };
  }

  /**
   * The speedup ladder's rungs, in order: JavaScript on the main thread (the baseline), WebAssembly on
   * the main thread, WebAssembly in the pool (JavaScript where there is no WebAssembly program), and
   * WebGPU on the first chosen adapter. A rung this machine cannot climb is skipped with a note.
   */
  private async ladderBackends(
    o: ResolvedOptions,
    strict: RunStrictness,
  ): Promise<{ backends: Backend[]; notes: string[] }> {
    const notes: string[] = [];
    const codes = await this.cpuCodes({ ...o, backends: ['main', 'workers'], code: ['js', 'wasm'] }, notes);
    const best = codes.includes('wasm') ? 'wasm' : 'js';
    const backends: Backend[] = [this.main.js];
    if (best === 'wasm') backends.push(this.main.wasm);
    backends.push(
      new WorkerPoolBackend(this.workerPool(o.workers), { shared: this.runtime.sharedMemory, code: best }),
    );
    const gpu = await this.backendsFor(
      { ...o, ladder: false, backends: ['webgpu'], adapter: o.adapter.slice(0, 1) },
      false,
      strict,
    );
    backends.push(...gpu.backends.slice(0, 1));
    notes.push(...gpu.notes);
    return { backends, notes };
  }

  /**
   * The CPU codes a run gets: those asked for that the kernel has and this page can compile. Asked
   * for WebAssembly alone where it cannot run is an environment error; otherwise a note says why the
   * WebAssembly rows are missing.
   */
  private async cpuCodes(o: ResolvedOptions, notes: string[]): Promise<CpuCode[]> {
    if (!o.code.includes('wasm') || !o.backends.some((b) => b !== 'webgpu')) return o.code;
    let why: string | null = null;
    if (!o.spec.wasm)
      why = `${o.spec.id === 'expr' ? 'the expression' : o.spec.id} has no ${CODE_LABEL.wasm} program yet`;
    else {
      this.wasmReason ??= wasmUnavailableReason();
      why = await this.wasmReason;
    }
    if (!why) return o.code;
    if (o.code.length === 1) throw new EnvironmentError(`${CODE_LABEL.wasm} was asked for, but ${why}`);
    notes.push(`${CODE_LABEL.wasm} rows skipped: ${why}`);
    return o.code.filter((c) => c !== 'wasm');
  }

  /**
   * One evaluation of a kernel on given inputs with one backend, no timing (the CLI's `eval`).
   * Returns the output and the backend's label.
   */
  async evaluate(
    kernel: KernelSpec,
    inputs: Float32Array[],
    size: number,
    o: { backend: BackendKind; adapter?: string[]; workers?: number; code?: CpuCode },
  ): Promise<{ output: Float32Array; device: string }> {
    const resolved: ResolvedOptions = {
      kernel: kernel.id,
      spec: kernel,
      ranges: {},
      size,
      seed: 1,
      backends: [o.backend],
      code: [o.code ?? 'js'],
      ladder: false,
      workers: o.workers,
      adapter: o.adapter ?? [],
      reps: 1,
      warmup: 0,
      variant: null,
      retune: false,
      residency: 'host',
    };
    const { backends } = await this.backendsFor(resolved, true, { adapters: true });
    const backend = backends[0];
    const prep = await backend.prepare(kernel, size, inputs);
    try {
      const { output } = await backend.run(prep);
      return { output: Float32Array.from(output), device: backend.label };
    } finally {
      prep.release();
    }
  }

  async run(options: RunOptions, hooks: RunHooks = {}, strict: RunStrictness = {}): Promise<EngineRun> {
    const o = resolveOptions(options);
    const kernel = o.spec;
    const { backends, notes } = await this.backendsFor(o, options.backends !== undefined, strict);
    // A size some chosen device cannot hold is bad input: refused before any input is made.
    // (A device that cannot be had fails in prepare instead, as that backend's failed record.)
    for (const b of backends) {
      try {
        await b.check?.(kernel, o.size);
      } catch (e) {
        if (errorKind(e) === 'input') throw e;
      }
    }
    const warning = this.runtime.mainThreadSliceMs ? this.forecast.warning(o, backends) : null;
    if (warning) {
      notes.push(warning);
      hooks.onNotice?.(warning);
    }
    const records = await runBenchmark(
      {
        kernel,
        size: o.size,
        seed: o.seed,
        reps: o.reps,
        warmup: o.warmup,
        expr: o.expr,
        ...(o.expr !== undefined && Object.keys(o.ranges).length ? { ranges: formatRanges(o.ranges) } : {}),
        minSampleMs: 200 * this.runtime.timerResolutionMs(),
        residency: o.residency,
        // In a page the float64 reference (seconds for the largest sweeps) is computed in a pool worker,
        // so the tab stays responsive and Cancel acts; Node computes it in place.
        ...(this.runtime.mainThreadSliceMs
          ? {
              reference: (inputs: Float32Array[], signal?: AbortSignal) =>
                this.referenceInWorker(o, inputs, signal),
            }
          : {}),
      },
      backends,
      this.runtime.env(),
      hooks,
    );
    this.forecast.learn(records, kernel);
    return { records, notes, options: o };
  }

  /**
   * Times every GPU variant of the kernels (default: every kernel with more than one) on each chosen
   * adapter at a size (default: each kernel's), remembers the choices, and reports every time.
   */
  async tune(
    options: Pick<RunOptions, 'kernel' | 'expr' | 'ranges' | 'size' | 'adapter'>,
    hooks: { signal?: AbortSignal; onProgress?: (text: string) => void } = {},
  ): Promise<TuneResult[]> {
    const given = options.kernel !== undefined || options.expr !== undefined;
    const specs = given
      ? [resolveOptions(options)]
      : registry
          .list()
          .filter((k) => gpuPrograms(k).length > 1)
          .map((k) => resolveOptions({ kernel: k.id }));
    const adapters = await this.adapters();
    if (!adapters.length)
      throw new EnvironmentError(
        `tuning needs WebGPU, but ${this.runtime.gpuUnavailableReason() ?? 'no WebGPU adapter was found'}`,
      );
    const chosen = options.adapter?.length ? pickAdapters(adapters, options.adapter, true, []) : adapters;
    const out: TuneResult[] = [];
    for (const p of chosen) {
      for (const o of specs) {
        const kernel = o.spec;
        hooks.onProgress?.(`${p.desc.id}: tuning ${o.expr ?? kernel.id} at size ${o.size}`);
        const view = this.gpuBackend(p).forRun(null, true);
        await view.check(kernel, o.size);
        await view.select(kernel, o.size, kernel.makeInputs(o.size, o.seed), hooks.signal);
        const sel = view.lastSelection!;
        out.push({
          adapterId: p.desc.id,
          device: view.label,
          kernel: o.expr !== undefined ? 'expr' : kernel.id,
          ...(o.expr !== undefined ? { expr: o.expr } : {}),
          size: o.size,
          sizeClass: sizeClass(o.size),
          choice: sel.program.variant,
          how: sel.how,
          clock: sel.tune?.clock ?? null,
          variants: gpuPrograms(kernel).map((g) => ({
            variant: g.variant,
            ...(g.summary ? { summary: g.summary } : {}),
            ms: sel.tune?.ms[g.variant] ?? null,
            ...(sel.skipped[g.variant] ? { skipped: sel.skipped[g.variant] } : {}),
            ...(sel.tune?.skipped?.[g.variant] && !sel.skipped[g.variant]
              ? { skipped: sel.tune.skipped[g.variant] }
              : {}),
          })),
        });
      }
    }
    return out;
  }

  /** GPU memory per adapter in use (a device made): bytes in use, held by the pool, peak, and the pool's cap. */
  memoryReport(): {
    adapterId: string;
    device: string;
    inUse: number;
    held: number;
    peak: number;
    cap: number;
  }[] {
    return [...this.gpuBackends.values()].flatMap((b) => {
      const m = b.memory();
      return m.gpuBytesHeld === undefined
        ? []
        : [
            {
              adapterId: b.desc.id,
              device: b.label,
              inUse: m.gpuBytesInUse ?? 0,
              held: m.gpuBytesHeld,
              peak: m.gpuPeakBytes ?? 0,
              cap: m.gpuPoolCapBytes ?? 0,
            },
          ];
    });
  }

  /** Frees every GPU buffer pool's free buffers (Chainer's free_all_blocks); returns the bytes freed. */
  releaseGpuMemory(): number {
    let freed = 0;
    for (const b of this.gpuBackends.values()) freed += b.releaseMemory();
    return freed;
  }

  /**
   * The float64 reference in a pool worker (copies of the inputs transferred there, the arrays
   * transferred back). A worker that cannot do it (none can start) leaves it to this thread.
   */
  private async referenceInWorker(o: ResolvedOptions, inputs: Float32Array[], signal?: AbortSignal) {
    const kernel = o.spec;
    try {
      const copies = inputs.map((x) => x.slice());
      return await this.workerPool(o.workers).call(
        0,
        (w) =>
          w.reference(
            transfer(
              { kernel: kernel.id, ...(kernel.source ?? {}), size: o.size, inputs: copies },
              copies.map((x) => x.buffer),
            ),
          ),
        signal,
      );
    } catch (e) {
      if (signal?.aborted) throw e;
      return kernel.reference(inputs, o.size);
    }
  }

  /** Live resources, for tests and leak checks: workers, pending calls, GPU devices and buffers. */
  counters(): {
    workersStarted: number;
    workersLive: number;
    pendingCalls: number;
    gpuBackends: number;
    gpuBuffers: number;
    pipelines: number;
  } {
    const p = this.pool?.counters();
    let gpuBuffers = 0;
    let pipelines = 0;
    for (const b of this.gpuBackends.values()) {
      const c = b.counters();
      gpuBuffers += c.liveBuffers;
      pipelines += c.pipelines;
    }
    return {
      workersStarted: p?.started ?? 0,
      workersLive: p?.live ?? 0,
      pendingCalls: p?.pending ?? 0,
      gpuBackends: this.gpuBackends.size,
      gpuBuffers,
      pipelines,
    };
  }

  /** Test hook: device limits of an adapter's backend, made if needed. */
  async deviceInfoForTest(adapterId: string) {
    const p = (await this.adapters()).find((a) => a.desc.id === adapterId);
    if (!p) throw new Error(`no adapter '${adapterId}'`);
    return this.gpuBackend(p).deviceInfoForTest();
  }

  /** Test hook: loses the device of an adapter's backend (the first made, without an id). */
  loseDeviceForTest(adapterId?: string): boolean {
    const b = adapterId ? this.gpuBackends.get(adapterId) : this.gpuBackends.values().next().value;
    b?.loseDeviceForTest();
    return Boolean(b);
  }

  dispose(): void {
    this.pool?.dispose();
    this.pool = null;
    for (const b of this.gpuBackends.values()) b.dispose();
    this.gpuBackends.clear();
  }
}

/**
 * The adapters named by id (the first one when none is named or found). An id this machine lacks is an
 * EnvironmentError when `strict` (the CLI), else a note and a fallback to the default adapter (a link).
 */
function pickAdapters(
  adapters: ProbedAdapter[],
  ids: readonly string[],
  strict: boolean,
  notes: string[],
): ProbedAdapter[] {
  const chosen: ProbedAdapter[] = [];
  const have = adapters.map((a) => a.desc.id).join(', ');
  for (const id of ids) {
    const p = adapters.find((a) => a.desc.id === id);
    if (p) chosen.push(p);
    else if (strict) throw new EnvironmentError(`adapter '${id}' is not on this machine: it has ${have}`);
    else
      notes.push(
        `adapter '${id}' is not on this machine (it has ${have}); using the default adapter '${adapters[0].desc.id}'`,
      );
  }
  if (!chosen.length) chosen.push(adapters[0]);
  return chosen;
}

/** What `tune` found for one (adapter, kernel, size). */
export interface TuneResult {
  adapterId: string;
  device: string;
  kernel: string;
  expr?: string;
  size: number;
  /** Choices are remembered per size class: the power of two at or below the size. */
  sizeClass: number;
  choice: string;
  how: string;
  /** 'gpu': timestamps; 'wall': time to result on GPU-resident data; null when nothing was timed. */
  clock: 'gpu' | 'wall' | null;
  variants: { variant: string; summary?: string; ms: number | null; skipped?: string }[];
}

export interface RunStrictness {
  /** An adapter id this machine lacks is an error (the CLI), not a fallback with a notice (a shared URL). */
  adapters?: boolean;
}
