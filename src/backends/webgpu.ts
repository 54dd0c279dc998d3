import { DeviceLostError, InputError, KernelError } from '../errors';
import type { AdapterDescription, ProbedAdapter } from '../gpu/adapters';
import { POOL_CAP_BYTES } from '../gpu/buffer-pool';
import { DeviceKeeper } from '../gpu/device';
import { checkLimits, deviceTraits, workgroupSize } from '../gpu/pipelines';
import { encodePlan, type Pass, readTimer, submitPasses, type Timer } from '../gpu/plan';
import { type TuneRecord, type Tuner, tuneKey, type VariantTime } from '../gpu/tuner';
import { gpuPrograms, ineligible, noSuchVariant } from '../kernels/gpu-program';
import type { GpuProgram, KernelSpec } from '../kernels/types';
import {
  type Backend,
  bytesOf,
  now,
  type Prepared,
  type RunMemory,
  type RunOutput,
  throwIfAborted,
  type VariantChoice,
} from './types';

/** What tuning remembers a kernel by: its id, or an expression's text and input ranges. */
export function kernelKey(kernel: KernelSpec): string {
  return kernel.source ? `expr:${kernel.source.expr}:${JSON.stringify(kernel.source.ranges)}` : kernel.id;
}

/** What the tuner or a pin chose for a (kernel, size). */
export interface Selection {
  program: GpuProgram;
  how: VariantChoice;
  /** The tuning behind a 'tuned' choice: every variant's time. */
  tune?: TuneRecord;
  /** Variants this device or size cannot run, with why. */
  skipped: Record<string, string>;
}

interface GpuPrepared extends Prepared {
  device: GPUDevice;
  inputs: Float32Array[];
  inputBuffers: GPUBuffer[];
  output: GPUBuffer;
  staging: GPUBuffer;
  owned: GPUBuffer[];
  /** Command buffers to submit in order, each one compute pass of one or more dispatches. */
  submissions: Pass[][];
  outputBytes: number;
  timer: Timer | null;
}

/**
 * Runs kernels as WGSL compute shaders on one adapter. The device is requested lazily with the
 * adapter's largest buffer limits and kept; pipelines are cached per (shader, workgroup size);
 * buffers come from a pool and are reused by later runs of the same shape. A lost device fails the
 * run in flight with the reason, and the next prepare requests a new one.
 */
export class WebGpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly code = 'wgsl' as const;
  readonly label: string;
  private readonly keeper: DeviceKeeper;
  /**
   * Work per submission: elements for memory-bound passes, flops for compute-bound ones; larger runs
   * are split. A software adapter gets 4 Mi elements / 2^30 flops (about 0.25 s on SwiftShader here); a
   * hardware one 64 Mi / 2^36 (about 0.7 s even at 100 GFLOP/s, under the ~2 s a desktop watchdog allows,
   * and few enough submissions not to distort a fast GPU's timings).
   */
  submitBudget: { elements: number; flops: number };
  /** Submissions the last run made (tests check the split). */
  lastSubmissions = 0;
  /** Test hook: called as each phase of prepare and run begins (a test can cancel exactly there). */
  onPhase: ((phase: 'compile' | 'upload' | 'dispatch' | 'readback') => void) | null = null;
  readonly desc: AdapterDescription;
  /** A variant pinned by the user (URL `variant=`, `--variant`), or null: the tuner or the default chooses. */
  variant: string | null = null;
  /** Chooses among a kernel's eligible variants by timing them; null: the default program runs. */
  tuner: Tuner | null = null;
  /** Time the variants again at the next selection even if a choice is remembered (the page's "Re-tune"). */
  retune = false;
  /** The last selection made (for `tune` and the page). */
  lastSelection: Selection | null = null;

  constructor(probed: ProbedAdapter) {
    this.keeper = new DeviceKeeper(probed);
    this.desc = probed.desc;
    this.label = `WebGPU · ${probed.desc.label}`;
    this.submitBudget = probed.desc.fallback
      ? { elements: 2 ** 22, flops: 2 ** 30 }
      : { elements: 2 ** 26, flops: 2 ** 36 };
  }

  get hasTimestamps(): boolean {
    return this.keeper.hasTimestamps;
  }

  /** GPU errors no error scope caught (tests require none). */
  get uncapturedErrors(): readonly string[] {
    return this.keeper.uncapturedErrors;
  }

  /** Called when the device is lost, with a message that says which device and why. */
  set onDeviceLost(cb: ((message: string) => void) | null) {
    this.keeper.onLost = cb;
  }

  describe(): Record<string, unknown> {
    return { adapterId: this.desc.id, fallback: this.desc.fallback, code: this.code };
  }

  /** The device, requested on first use and again after a loss. */
  async getDevice(): Promise<GPUDevice> {
    return (await this.keeper.get()).device;
  }

  /** Test hook: destroys the device as a driver reset would lose it. */
  loseDeviceForTest(): void {
    this.keeper.loseForTest();
  }

  /** For tests: the device's invocation limit and the workgroup size the elementwise kernels use. */
  async deviceInfoForTest(): Promise<{ maxComputeInvocationsPerWorkgroup: number; workgroupSize: number }> {
    const d = await this.getDevice();
    return {
      maxComputeInvocationsPerWorkgroup: d.limits.maxComputeInvocationsPerWorkgroup,
      workgroupSize: workgroupSize(d.limits),
    };
  }

  counters(): { liveBuffers: number; liveBytes: number; pipelines: number } {
    const set = this.keeper.peek();
    const s = set?.pool.stats();
    return {
      liveBuffers: s?.liveBuffers ?? 0,
      liveBytes: s?.liveBytes ?? 0,
      pipelines: set?.pipelines.size ?? 0,
    };
  }

  /**
   * The program a run of (kernel, size) uses: the pinned variant (refused, with why, if it cannot run
   * here), else the tuner's choice among the eligible variants (timing them unless remembered), else
   * the default. `tune: false` never times: a remembered choice or the default.
   */
  async selection(
    kernel: KernelSpec,
    size: number,
    inputs: Float32Array[] | null,
    signal?: AbortSignal,
  ): Promise<Selection> {
    const device = await this.getDevice();
    const all = gpuPrograms(kernel);
    const traits = deviceTraits(device);
    const skipped: Record<string, string> = {};
    for (const p of all) {
      const why = ineligible(p, traits, size);
      if (why) skipped[p.variant] = why;
    }
    if (this.variant) {
      const p = all.find((x) => x.variant === this.variant);
      if (!p) throw new InputError(noSuchVariant(kernel, this.variant));
      if (skipped[p.variant])
        throw new InputError(
          `GPU variant '${p.variant}' of ${kernel.id} cannot run on ${this.desc.label} at size ${size}: it ${skipped[p.variant]}`,
        );
      return { program: p, how: 'pinned', skipped };
    }
    const ok = all.filter((p) => !skipped[p.variant]);
    const fallback = ok.includes(kernel.gpu) ? kernel.gpu : (ok[0] ?? kernel.gpu);
    if (ok.length <= 1) return { program: fallback, how: 'only', skipped };
    if (!this.tuner) return { program: fallback, how: 'default', skipped };
    const key = tuneKey(this.desc, kernelKey(kernel), size);
    const names = ok.map((p) => p.variant);
    if (!inputs) {
      const hit = this.retune ? undefined : this.tuner.cached(key, names);
      return hit
        ? { program: ok.find((p) => p.variant === hit.variant)!, how: 'tuned', tune: hit, skipped }
        : { program: fallback, how: 'default', skipped };
    }
    const { record } = await this.tuner.choose(
      key,
      names,
      (v) => this.timeVariant(ok.find((p) => p.variant === v)!, kernel, size, inputs, signal),
      { retune: this.retune, skipped },
    );
    this.retune = false;
    return { program: ok.find((p) => p.variant === record.variant)!, how: 'tuned', tune: record, skipped };
  }

  /** One variant, briefly: a warm run, then three back-to-back repetitions on the GPU-resident data. */
  private async timeVariant(
    program: GpuProgram,
    kernel: KernelSpec,
    size: number,
    inputs: Float32Array[],
    signal?: AbortSignal,
  ): Promise<VariantTime> {
    const prep = await this.prepareProgram(program, kernel, size, inputs, signal, 'default');
    try {
      const warm = await this.run(prep, signal);
      // a slow adapter (seconds per run) is timed by its warm run alone
      if ((warm.gpuMs ?? warm.wallMs) > 1000)
        return warm.gpuMs !== undefined
          ? { ms: warm.gpuMs, clock: 'gpu' }
          : { ms: warm.wallMs, clock: 'wall' };
      throwIfAborted(signal);
      const t = await this.kernelOnly(prep, 3);
      return t.gpuMs !== undefined ? { ms: t.gpuMs, clock: 'gpu' } : { ms: t.wallMs, clock: 'wall' };
    } finally {
      prep.release();
    }
  }

  /**
   * This backend with a pinned variant or a re-tune for one run; the shared backend (its device, pools
   * and tuner) is the same object underneath, and stays as it was.
   */
  forRun(variant: string | null, retune: boolean): WebGpuBackend {
    if (!variant && !retune) return this;
    const view = Object.create(this) as WebGpuBackend;
    view.variant = variant;
    view.retune = retune;
    return view;
  }

  /** Settles the variant (tuning it if need be) before the runner times the cold run. */
  async select(
    kernel: KernelSpec,
    size: number,
    inputs: Float32Array[],
    signal?: AbortSignal,
  ): Promise<void> {
    this.lastSelection = await this.selection(kernel, size, inputs, signal);
  }

  /** The kernel's plan for this device at a size; refuses a size whose buffers the device cannot hold. */
  private planFor(device: GPUDevice, kernel: KernelSpec, size: number, program: GpuProgram = kernel.gpu) {
    const plan = program.plan(size, {
      wg: workgroupSize(device.limits),
      maxWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
      budget: this.submitBudget,
    });
    checkLimits(device.limits, kernel, size, plan, this.desc.label);
    return plan;
  }

  async check(kernel: KernelSpec, size: number): Promise<void> {
    const device = await this.getDevice();
    this.planFor(device, kernel, size);
    if (this.variant) await this.selection(kernel, size, null); // a pin that cannot run here is refused now
  }

  async prepare(
    kernel: KernelSpec,
    size: number,
    inputs: Float32Array[],
    signal?: AbortSignal,
  ): Promise<GpuPrepared> {
    const sel = await this.selection(kernel, size, null, signal);
    this.lastSelection = sel;
    return this.prepareProgram(sel.program, kernel, size, inputs, signal, sel.how);
  }

  private async prepareProgram(
    program: GpuProgram,
    kernel: KernelSpec,
    size: number,
    inputs: Float32Array[],
    signal: AbortSignal | undefined,
    how: VariantChoice,
  ): Promise<GpuPrepared> {
    const { device, pool, pipelines: cache } = await this.keeper.get();
    const wg = workgroupSize(device.limits);
    const plan = this.planFor(device, kernel, size, program);
    pool.resetPeak(); // this run's peak starts from what the pool holds now
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const owned: GPUBuffer[] = [];
    const take = (bytes: number, usage: number, label: string) => {
      const b = pool.acquire(bytes, usage, label);
      owned.push(b);
      return b;
    };
    const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    // Storage buffers are whole vec4s (16 bytes): a vec4 variant's last partial vec4 reads and writes
    // padding, never read back
    const vec4s = (bytes: number) => Math.ceil(bytes / 16) * 16;
    const inputBuffers = inputs.map((x, i) =>
      take(vec4s(x.byteLength), STORAGE, `${kernel.id}.${kernel.inputNames[i]}`),
    );
    const outputBytes = 4 * kernel.outputLength(size);
    const output = take(vec4s(outputBytes), STORAGE, `${kernel.id}.out`);
    const staging = take(
      outputBytes,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      `${kernel.id}.staging`,
    );
    const buffers = new Map<string, GPUBuffer>(inputBuffers.map((b, i) => [`in${i}`, b]));
    buffers.set('out', output);
    for (const sc of plan.scratch)
      buffers.set(sc.name, take(4 * sc.length, STORAGE, `${kernel.id}.${sc.name}`));
    let submissions: Pass[][];
    try {
      this.onPhase?.('compile');
      const pipelines = new Map<string, GPUComputePipeline>();
      for (const name of new Set(plan.passes.map((p) => p.shader))) {
        const shader = program.shaders[name];
        if (!shader)
          throw new KernelError(`${kernel.id}'s plan runs shader '${name}', which its program lacks`);
        pipelines.set(name, await cache.get(shader, wg));
      }
      submissions = encodePlan(device, program, plan, pipelines, buffers, (bytes, label) =>
        take(bytes, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, `${kernel.id}.${label}`),
      );
    } catch (e) {
      await device.popErrorScope();
      await device.popErrorScope();
      for (const b of owned) pool.release(b);
      throw e;
    }
    let timer: GpuPrepared['timer'] = null;
    if (this.hasTimestamps) {
      const query = device.createQuerySet({ type: 'timestamp', count: 2, label: `${kernel.id}.timestamps` });
      const resolve = take(
        16,
        GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
        `${kernel.id}.ts-resolve`,
      );
      const read = take(16, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, `${kernel.id}.ts-read`);
      timer = { query, resolve, read };
    }
    const oom = await device.popErrorScope().catch(() => null);
    const invalid = await device.popErrorScope().catch(() => null);
    const err = invalid ?? oom;
    if (err || signal?.aborted) {
      for (const b of owned) pool.release(b);
      timer?.query.destroy();
      if (err) throw new KernelError(`WebGPU rejected ${kernel.id} at size ${size}: ${err.message}`);
      throwIfAborted(signal); // cancelled while compiling: nothing is kept
    }
    return {
      device,
      kernel,
      size,
      variant: program.variant,
      variantChoice: how,
      hostBytes: bytesOf(inputs) + outputBytes, // the inputs and the readback
      inputs,
      inputBuffers,
      output,
      staging,
      owned,
      submissions,
      outputBytes,
      timer,
      release: () => {
        timer?.query.destroy();
        // Buffers of a lost device are gone with it; only a live pool takes them back.
        if (this.keeper.peek()?.pool === pool) for (const b of owned) pool.release(b);
      },
    };
  }

  /** The device a prepared run's buffers belong to; a lost or replaced device fails with why. */
  private async liveDevice(p: GpuPrepared): Promise<GPUDevice> {
    const device = await this.getDevice();
    if (p.device !== device)
      throw new DeviceLostError(
        this.keeper.lostMessage() ?? 'the WebGPU device changed since this run was prepared',
      );
    return device;
  }

  /** Copies the output to the staging buffer and reads it (the caller unmaps on failure). */
  private async readOutput(device: GPUDevice, p: GpuPrepared): Promise<Float32Array> {
    const enc = device.createCommandEncoder({ label: `${p.kernel.id} readback` });
    enc.copyBufferToBuffer(p.output, 0, p.staging, 0, p.outputBytes);
    device.queue.submit([enc.finish()]);
    await this.keeper.guard(p.staging.mapAsync(GPUMapMode.READ, 0, p.outputBytes));
    const output = new Float32Array(p.staging.getMappedRange(0, p.outputBytes).slice(0));
    p.staging.unmap();
    return output;
  }

  async run(prep: Prepared, signal?: AbortSignal): Promise<RunOutput> {
    const p = prep as GpuPrepared;
    const device = await this.liveDevice(p);
    throwIfAborted(signal);
    device.pushErrorScope('validation');
    let scoped = true;
    const phase = (name: 'upload' | 'dispatch' | 'readback') => {
      this.onPhase?.(name);
      throwIfAborted(signal);
    };
    try {
      phase('upload');
      const t0 = now();
      for (const [i, x] of p.inputs.entries()) {
        device.queue.writeBuffer(p.inputBuffers[i], 0, x.buffer, x.byteOffset, x.byteLength);
      }
      await this.keeper.guard(device.queue.onSubmittedWorkDone());
      const t1 = now();
      phase('dispatch');
      submitPasses(device, p.kernel.id, p.submissions, p.timer);
      this.lastSubmissions = p.submissions.length;
      await this.keeper.guard(device.queue.onSubmittedWorkDone());
      const t2 = now();
      phase('readback');
      const output = await this.readOutput(device, p);
      const t3 = now();
      scoped = false;
      const err = await this.keeper.guard(device.popErrorScope());
      if (err) throw new KernelError(`WebGPU validation error running ${p.kernel.id}: ${err.message}`);
      const gpuMs = p.timer ? await readTimer(p.timer, (x) => this.keeper.guard(x)) : undefined;
      return {
        output,
        wallMs: t3 - t0,
        gpuMs,
        phasesMs: { upload: t1 - t0, dispatch: t2 - t1, readback: t3 - t2 },
      };
    } catch (e) {
      // A cancelled or failed run leaves no error scope pushed and no buffer mapped.
      if (scoped) await device.popErrorScope().catch(() => null);
      for (const b of [p.staging, p.timer?.read]) {
        try {
          if (b && b.mapState !== 'unmapped') b.unmap();
        } catch {
          // the device is gone with its buffers
        }
      }
      throw e;
    }
  }

  /** The kernel once more on the data already on the GPU: dispatch and wait, no upload, no readback. */
  async runResident(prep: Prepared, signal?: AbortSignal): Promise<RunOutput> {
    await this.liveDevice(prep as GpuPrepared);
    throwIfAborted(signal);
    this.onPhase?.('dispatch');
    const { wallMs, gpuMs } = await this.kernelOnly(prep, 1);
    return { output: new Float32Array(0), wallMs, gpuMs, phasesMs: { dispatch: wallMs } };
  }

  /** The output of the data on the GPU, read back once. */
  async readback(prep: Prepared, signal?: AbortSignal): Promise<{ output: Float32Array; ms: number }> {
    const p = prep as GpuPrepared;
    const device = await this.liveDevice(p);
    throwIfAborted(signal);
    this.onPhase?.('readback');
    const t0 = now();
    try {
      const output = await this.readOutput(device, p);
      return { output, ms: now() - t0 };
    } catch (e) {
      try {
        if (p.staging.mapState !== 'unmapped') p.staging.unmap();
      } catch {
        // the device is gone with its buffers
      }
      throw e;
    }
  }

  /**
   * The kernel `times` times back to back on the data a run already put on the GPU (call after `run`):
   * GPU time per repetition from timestamps around all of them, and wall time per repetition to
   * onSubmittedWorkDone. What a GPU does when data stays on it (the GPU-machine entry reports it).
   */
  async kernelOnly(prep: Prepared, times: number): Promise<{ gpuMs?: number; wallMs: number }> {
    const p = prep as GpuPrepared;
    const device = await this.getDevice();
    const t0 = now();
    submitPasses(device, p.kernel.id, p.submissions, p.timer, times);
    await this.keeper.guard(device.queue.onSubmittedWorkDone());
    const wallMs = (now() - t0) / times;
    const gpuMs = p.timer ? await readTimer(p.timer, (x) => this.keeper.guard(x)) : undefined;
    return { gpuMs: gpuMs === undefined ? undefined : gpuMs / times, wallMs };
  }

  /** GPU bytes: in use by prepared runs, held by the pool (in use and kept for reuse), the run's peak. */
  memory(prep?: Prepared): RunMemory {
    const s = this.keeper.peek()?.pool.stats();
    return {
      ...(s
        ? {
            gpuBytesInUse: s.inUseBytes,
            gpuBytesHeld: s.liveBytes,
            gpuPeakBytes: s.peakBytes,
            gpuPoolCapBytes: POOL_CAP_BYTES,
          }
        : {}),
      ...(prep?.hostBytes !== undefined ? { hostBytes: prep.hostBytes } : {}),
    };
  }

  /** Destroys the pool's free buffers (Chainer's free_all_blocks); returns the bytes freed. */
  releaseMemory(): number {
    return this.keeper.peek()?.pool.clear() ?? 0;
  }

  dispose(): void {
    this.keeper.dispose();
  }
}
