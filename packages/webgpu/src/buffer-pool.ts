/**
 * Granularity of pooled sizes. Rounding to 256 bytes lets a buffer serve every tensor of
 * nearly the same size while wasting at most 255 bytes, and keeps repeated shapes in a loop
 * hitting exactly the buffers the previous iteration released.
 */
export const BUFFER_SIZE_GRANULARITY = 256;

/** Default cap on idle pooled memory; past it, released buffers are destroyed instead. */
export const DEFAULT_MAX_POOLED_BYTES = 256 * 1024 * 1024;

/** Counts of the GPU memory a pool holds. */
export interface BufferPoolStats {
  /** Buffers handed out and not yet released. */
  readonly liveBuffers: number;
  readonly liveBytes: number;
  /** Released buffers kept for reuse. */
  readonly pooledBuffers: number;
  readonly pooledBytes: number;
}

/**
 * Reuses GPU buffers by (size class, usage), so steady-state inference allocates nothing:
 * a loop that disposes what it creates keeps reusing the same buffers. Reusing a buffer
 * as the output of a later dispatch is safe because recorded commands run in order; a queue
 * write into a reused buffer is not (it runs before commands recorded earlier but submitted
 * later), so the owner submits its recorded commands before any such write.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly live = new Set<GPUBuffer>();
  private liveBytes = 0;
  private pooledBytes = 0;
  private pooledCount = 0;
  private destroyed = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly maxPooledBytes = DEFAULT_MAX_POOLED_BYTES,
    /** Called before a released buffer is destroyed: commands recorded but not yet submitted may still bind it. */
    private readonly beforeDestroy: () => void = () => undefined,
  ) {}

  /** The size a request of `bytes` is served with. */
  static sizeClass(bytes: number): number {
    return Math.max(BUFFER_SIZE_GRANULARITY, Math.ceil(bytes / BUFFER_SIZE_GRANULARITY) * BUFFER_SIZE_GRANULARITY);
  }

  /** A buffer of at least `bytes` with exactly `usage`, from the pool when one is idle. */
  acquire(bytes: number, usage: number): GPUBuffer {
    const size = BufferPool.sizeClass(bytes);
    const bucket = this.free.get(`${usage}:${size}`);
    let buffer = bucket?.pop();
    if (buffer) {
      this.pooledBytes -= size;
      this.pooledCount--;
    } else {
      buffer = this.device.createBuffer({ size, usage });
    }
    this.live.add(buffer);
    this.liveBytes += size;
    return buffer;
  }

  /** Returns a buffer for reuse (or destroys it when the pool is full); unknown buffers are ignored. */
  release(buffer: GPUBuffer): void {
    if (!this.live.delete(buffer)) return;
    this.liveBytes -= buffer.size;
    if (this.destroyed || this.pooledBytes + buffer.size > this.maxPooledBytes) {
      if (!this.destroyed) this.beforeDestroy();
      buffer.destroy();
      return;
    }
    const key = `${buffer.usage}:${buffer.size}`;
    const bucket = this.free.get(key);
    if (bucket) bucket.push(buffer);
    else this.free.set(key, [buffer]);
    this.pooledBytes += buffer.size;
    this.pooledCount++;
  }

  stats(): BufferPoolStats {
    return { liveBuffers: this.live.size, liveBytes: this.liveBytes, pooledBuffers: this.pooledCount, pooledBytes: this.pooledBytes };
  }

  /** Destroys every buffer, live or pooled; later releases destroy what they are given. */
  destroy(): void {
    this.destroyed = true;
    for (const buffer of this.live) buffer.destroy();
    for (const bucket of this.free.values()) for (const buffer of bucket) buffer.destroy();
    this.live.clear();
    this.free.clear();
    this.liveBytes = 0;
    this.pooledBytes = 0;
    this.pooledCount = 0;
  }
}
