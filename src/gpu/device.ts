import { DeviceLostError, EnvironmentError } from '../errors';
import type { AdapterDescription, ProbedAdapter } from './adapters';
import { BufferPool } from './buffer-pool';
import { PipelineCache } from './pipelines';

/** A device with what lives and dies with it: its buffer pool and its compiled pipelines. */
export interface DeviceSet {
  device: GPUDevice;
  pool: BufferPool;
  pipelines: PipelineCache;
}

/**
 * Keeps one WebGPU device for an adapter: requested lazily with the adapter's largest buffer limits
 * (and timestamp-query when offered), kept across runs, and replaced after a loss. An adapter makes one
 * device, so a replacement comes from a fresh adapter requested with the same options.
 */
export class DeviceKeeper {
  private current: DeviceSet | null = null;
  private pending: Promise<DeviceSet> | null = null;
  private adapter: GPUAdapter;
  private adapterUsed = false;
  private disposing = false;
  private lost: { promise: Promise<never>; message: string | null } | null = null;
  readonly desc: AdapterDescription;
  /** GPU errors no error scope caught (tests require none). */
  readonly uncapturedErrors: string[] = [];
  /** Called when the device is lost, with a message that says which device and why. */
  onLost: ((message: string) => void) | null = null;

  constructor(private readonly probed: ProbedAdapter) {
    this.adapter = probed.adapter;
    this.desc = probed.desc;
  }

  get hasTimestamps(): boolean {
    return this.adapter.features.has('timestamp-query');
  }

  /** The device set now, without requesting one (counters). */
  peek(): DeviceSet | null {
    return this.current;
  }

  /** Why the last device was lost, if it was. */
  lostMessage(): string | null {
    return this.lost?.message ?? null;
  }

  get(): Promise<DeviceSet> {
    if (this.current) return Promise.resolve(this.current);
    this.pending ??= this.request();
    return this.pending;
  }

  private async freshAdapter(): Promise<GPUAdapter> {
    const a = await this.probed.gpu.requestAdapter(this.probed.options);
    if (!a) throw new DeviceLostError(`the adapter ${this.desc.label} is no longer available`);
    return a;
  }

  private async request(): Promise<DeviceSet> {
    const a = this.adapter.limits;
    const descriptor = {
      requiredLimits: {
        maxBufferSize: a.maxBufferSize,
        maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
        maxComputeWorkgroupsPerDimension: a.maxComputeWorkgroupsPerDimension,
      },
      // timestamps for kernel times; subgroups for the variants that use them (when the adapter has it)
      requiredFeatures: ['timestamp-query', 'subgroups'].filter((f) =>
        this.adapter.features.has(f),
      ) as GPUFeatureName[],
      label: `kernel-playground ${this.desc.id}`,
    };
    let device: GPUDevice;
    try {
      if (this.adapterUsed) this.adapter = await this.freshAdapter();
      this.adapterUsed = true;
      try {
        device = await this.adapter.requestDevice(descriptor);
      } catch {
        // Another backend may have taken this adapter object ("consumed"): a fresh one is equivalent.
        this.adapter = await this.freshAdapter();
        device = await this.adapter.requestDevice(descriptor);
      }
    } catch (e) {
      this.pending = null;
      throw new EnvironmentError(
        `could not create a WebGPU device on ${this.desc.label}: ${(e as Error).message}`,
      );
    }
    let rejectLost: (e: Error) => void = () => {};
    const promise = new Promise<never>((_, reject) => {
      rejectLost = reject;
    });
    promise.catch(() => {}); // observed by guard()'s races; never an unhandled rejection
    const lost = { promise, message: null as string | null };
    this.lost = lost;
    const set: DeviceSet = { device, pool: new BufferPool(device), pipelines: new PipelineCache(device) };
    device.lost.then((info) => {
      const message = `the WebGPU device on ${this.desc.label} was lost (${info.reason ?? 'unknown'}): ${info.message || 'no details'}; the next run will use a new device`;
      lost.message = message;
      rejectLost(new DeviceLostError(message));
      if (this.current === set) {
        this.current = null;
        this.pending = null;
      }
      if (!this.disposing) this.onLost?.(message);
    });
    device.addEventListener('uncapturederror', (ev) => {
      this.uncapturedErrors.push((ev as GPUUncapturedErrorEvent).error.message);
    });
    this.current = set;
    return set;
  }

  /** Awaits a GPU promise, or fails with the loss's message when the device is lost meanwhile. */
  async guard<T>(p: Promise<T>): Promise<T> {
    const lost = this.lost;
    if (lost?.message) throw new DeviceLostError(lost.message);
    try {
      return await (lost ? Promise.race([p, lost.promise]) : p);
    } catch (e) {
      // An operation failing because its device went away may say so first in its own words ("Buffer
      // was unmapped before mapping was resolved"): give the loss a moment to report, and prefer it.
      if (lost && !lost.message)
        await Promise.race([lost.promise.catch(() => {}), new Promise((r) => setTimeout(r, 100))]);
      if (lost?.message) throw new DeviceLostError(lost.message);
      throw e;
    }
  }

  /** Test hook: destroys the device as a driver reset would lose it. */
  loseForTest(): void {
    this.current?.device.destroy();
  }

  dispose(): void {
    this.disposing = true;
    this.current?.pool.clear();
    this.current?.device.destroy();
    this.current = null;
    this.pending = null;
  }
}
