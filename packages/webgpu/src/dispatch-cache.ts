import { UNIFORM_USAGE } from './gpu-constants.js';

/**
 * Entries a {@link DispatchCache} keeps: a MobileNet's plan has 30–120 steps, so a few
 * networks (or one network at several input sizes) stay cached, while a loop over ever new
 * shapes holds a bounded number of small uniform buffers and bind groups.
 */
export const MAX_CACHED_DISPATCHES = 512;

/** What one dispatch binds besides its pipeline: the bind group and the `Params` buffer it holds. */
export interface CachedDispatch {
  readonly bindGroup: GPUBindGroup;
  readonly uniformBuffer: GPUBuffer;
}

/**
 * The bind group and uniform buffer of each distinct dispatch — a program, its uniform values
 * and the buffers it binds — kept across calls. A model's steps repeat exactly from one
 * predict to the next (the buffer pool hands the same buffers back in the same order), so
 * steady-state inference creates no bind group and writes no uniform buffer: per-dispatch
 * work that costs CPU time on every GPU and, in Node's Dawn binding, native memory until the
 * collector runs. Least recently used entries are evicted past {@link MAX_CACHED_DISPATCHES}.
 */
export class DispatchCache {
  private readonly entries = new Map<string, CachedDispatch>();
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Called before a uniform buffer is destroyed: recorded commands that bind it must be submitted first. */
    private readonly beforeDestroy: () => void,
    private readonly capacity = MAX_CACHED_DISPATCHES,
  ) {}

  /** The cache key of `program` (its `cacheKey`) run with `uniforms` on `buffers`. */
  key(cacheKey: string, uniforms: Int32Array, buffers: readonly GPUBuffer[]): string {
    return `${cacheKey}|${uniforms.join(',')}|${buffers.map((buffer) => this.bufferId(buffer)).join(',')}`;
  }

  /** The entry under `key`, marked most recently used; `undefined` on a miss. */
  hit(key: string): CachedDispatch | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Re-inserting moves the entry to the back of the Map's order: the front is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /**
   * Creates and caches the dispatch under `key`: `buffers` bound at 0…n−1 and a new uniform
   * buffer holding `uniforms` at n. When creation throws (a failed uniform write) nothing is cached.
   */
  create(key: string, pipeline: GPUComputePipeline, uniforms: Int32Array, buffers: readonly GPUBuffer[]): CachedDispatch {
    const uniformBuffer = this.device.createBuffer({ label: 'params', size: uniforms.byteLength, usage: UNIFORM_USAGE });
    let entry: CachedDispatch;
    try {
      this.device.queue.writeBuffer(uniformBuffer, 0, uniforms.buffer, uniforms.byteOffset, uniforms.byteLength);
      const bindGroup = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [...buffers, uniformBuffer].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      entry = { bindGroup, uniformBuffer };
    } catch (error) {
      uniformBuffer.destroy();
      throw error;
    }
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.evictOldest();
    return entry;
  }

  /** How many dispatches are cached (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** Destroys every cached uniform buffer. */
  destroy(): void {
    for (const entry of this.entries.values()) entry.uniformBuffer.destroy();
    this.entries.clear();
  }

  private evictOldest(): void {
    const [key, entry] = this.entries.entries().next().value as [string, CachedDispatch];
    this.entries.delete(key);
    this.beforeDestroy();
    entry.uniformBuffer.destroy();
  }

  // Buffers are keyed by identity: a pooled buffer destroyed and replaced gets a new id, so a
  // stale entry is never hit again and ages out.
  private bufferId(buffer: GPUBuffer): number {
    let id = this.bufferIds.get(buffer);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.bufferIds.set(buffer, id);
    }
    return id;
  }
}
