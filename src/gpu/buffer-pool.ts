/** The most bytes of free buffers a device's pool keeps for reuse. */
export const POOL_CAP_BYTES = 256 * 2 ** 20;

/**
 * GPU buffers kept for reuse, as Chainer's memory pool keeps device memory: a released buffer goes to
 * a free list keyed by (usage, size) and the next prepare of the same shape takes it back instead of
 * allocating. Free buffers beyond `maxFreeBytes` are destroyed, oldest first.
 */
export class BufferPool {
  private free = new Map<string, GPUBuffer[]>();
  private freeOrder: { key: string; buf: GPUBuffer }[] = [];
  private freeBytes = 0;
  liveBuffers = 0;
  liveBytes = 0;
  allocations = 0;
  /** The most bytes allocated at once since the last resetPeak (a run's peak). */
  peakBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    /** The pool keeps at most this many bytes of free buffers for reuse (its cap). */
    readonly maxFreeBytes = POOL_CAP_BYTES,
  ) {}

  /** Starts a new peak from what is allocated now. */
  resetPeak(): void {
    this.peakBytes = this.liveBytes;
  }

  acquire(size: number, usage: number, label: string): GPUBuffer {
    const bytes = Math.max(16, Math.ceil(size / 4) * 4);
    const key = `${usage}:${bytes}`;
    const list = this.free.get(key);
    const reused = list?.pop();
    if (reused) {
      this.freeOrder = this.freeOrder.filter((f) => f.buf !== reused);
      this.freeBytes -= bytes;
      reused.label = label;
      return reused;
    }
    const buf = this.device.createBuffer({ size: bytes, usage, label });
    this.allocations++;
    this.liveBuffers++;
    this.liveBytes += bytes;
    this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
    return buf;
  }

  release(buf: GPUBuffer): void {
    const key = `${buf.usage}:${buf.size}`;
    const list = this.free.get(key) ?? [];
    list.push(buf);
    this.free.set(key, list);
    this.freeOrder.push({ key, buf });
    this.freeBytes += buf.size;
    while (this.freeBytes > this.maxFreeBytes && this.freeOrder.length) {
      const old = this.freeOrder.shift()!;
      const l = this.free.get(old.key)!;
      l.splice(l.indexOf(old.buf), 1);
      this.freeBytes -= old.buf.size;
      this.destroy(old.buf);
    }
  }

  private destroy(buf: GPUBuffer): void {
    this.liveBuffers--;
    this.liveBytes -= buf.size;
    buf.destroy();
  }

  /** Bytes held on the GPU: in use plus kept for reuse. */
  stats(): {
    liveBuffers: number;
    liveBytes: number;
    freeBytes: number;
    inUseBytes: number;
    peakBytes: number;
    allocations: number;
  } {
    return {
      liveBuffers: this.liveBuffers,
      liveBytes: this.liveBytes,
      freeBytes: this.freeBytes,
      inUseBytes: this.liveBytes - this.freeBytes,
      peakBytes: this.peakBytes,
      allocations: this.allocations,
    };
  }

  /** Destroys every free buffer (Chainer's free_all_blocks); buffers in use stay. Returns the bytes freed. */
  clear(): number {
    const freed = this.freeBytes;
    for (const { buf } of this.freeOrder) this.destroy(buf);
    this.free.clear();
    this.freeOrder = [];
    this.freeBytes = 0;
    this.resetPeak();
    return freed;
  }
}
