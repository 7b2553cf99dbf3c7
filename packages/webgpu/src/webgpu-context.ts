import { BackendError, formatShape, isHostTensor, sizeOf, UnsupportedError, type Tensor } from '@sepconv/tensor';
import { BufferPool, type BufferPoolStats } from './buffer-pool.js';
import { DispatchCache } from './dispatch-cache.js';
import { MAP_MODE_READ, STAGING_USAGE, TENSOR_USAGE } from './gpu-constants.js';
import { GpuTimer } from './gpu-timer.js';
import type { GpuProgram } from './gpu-program.js';
import { GpuTensor } from './gpu-tensor.js';
import { cachedPipeline, type CachedPipeline } from './pipeline-cache.js';

/**
 * Dispatches recorded into one command buffer before it is submitted. One submit per layer
 * costs a queue submission (and, on Vulkan, a fence) per dispatch; one per predict would keep
 * the GPU idle until the whole network is recorded. 16 lets the GPU start on the first layers
 * of a MobileNet (30–120 dispatches) while the rest are recorded — tfjs-webgpu batches 15.
 */
export const MAX_DISPATCHES_PER_SUBMIT = 16;

/** A buffer bound to one dispatch, and whether it was uploaded just for it. */
interface BoundInput {
  readonly buffer: GPUBuffer;
  readonly temporary: boolean;
}

/**
 * The state behind one WebGPU backend: its device, buffer pools, the variant forced for
 * testing, and the errors the device reports asynchronously. Kernels receive it as their
 * context (`KernelTable<WebGpuContext, …>`).
 */
export class WebGpuContext {
  private readonly pool: BufferPool;
  private readonly stagingPool: BufferPool;
  private readonly dispatches: DispatchCache;
  /** Pipelines whose compilation is known to have succeeded: their dispatches need no error tracking. */
  private readonly compiled = new WeakSet<GPUComputePipeline>();
  /** Commands recorded and not yet submitted, with the ops and programs they hold (for error messages). */
  private encoder: GPUCommandEncoder | undefined;
  private readonly recorded: { readonly op: string; readonly program: string }[] = [];
  private readonly pending = new Set<Promise<void>>();
  private deferredError: BackendError | undefined;
  private deferredErrorExplains = false;
  private lostMessage: string | undefined;
  private readonly lostSignal: Promise<string>;
  private disposed = false;
  private placeholderBuffer: GPUBuffer | undefined;
  private timer: GpuTimer | undefined;
  private timing = false;
  private readonly disposeHooks: (() => void)[] = [];

  constructor(
    readonly device: GPUDevice,
    /** Name of the kernel variant every call it supports must use; `undefined` for normal dispatch. */
    readonly forcedVariant: string | undefined,
    private readonly ownsDevice: boolean,
    /** Whether WGSL here has `dot4I8Packed` (the `packed_4x8_integer_dot_product` language feature): the int8 programs' fast path. */
    readonly packedIntegerDot = false,
  ) {
    const flush = () => this.flush();
    this.pool = new BufferPool(device, undefined, flush);
    this.stagingPool = new BufferPool(device);
    this.dispatches = new DispatchCache(device, flush);
    this.lostSignal = device.lost.then((info) => {
      this.lostMessage = `${info.reason}${info.message ? `: ${info.message}` : ''}`;
      return this.lostMessage;
    });
  }

  /** Throws when the backend can no longer run work: disposed, device lost, or an earlier GPU error. */
  checkUsable(op: string): void {
    if (this.disposed) throw new BackendError(op, 'backend', 'this WebGPU backend has been disposed');
    if (this.lostMessage !== undefined) {
      throw new BackendError(op, 'device', `the GPU device was lost (${this.lostMessage}); create a new backend`);
    }
    if (this.deferredError) {
      const error = this.deferredError;
      this.deferredError = undefined;
      this.deferredErrorExplains = false;
      throw error;
    }
  }

  /** Refuses buffers the device cannot bind before anything is allocated. */
  checkBufferSize(op: string, argument: string, shape: readonly number[]): number {
    const bytes = sizeOf(shape) * 4;
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    if (BufferPool.sizeClass(bytes) > limit) {
      throw new UnsupportedError(
        op,
        argument,
        `${argument} ${formatShape(shape)} needs ${bytes} bytes, more than this device's storage buffer limit of ${limit} bytes`,
      );
    }
    return bytes;
  }

  /** A pooled storage buffer of at least `bytes` (tensor usage), e.g. for an int8 tensor; hand it back with {@link release}. */
  acquire(bytes: number): GPUBuffer {
    return this.pool.acquire(bytes, TENSOR_USAGE);
  }

  /** Runs `hook` on `dispose()`, e.g. to destroy buffers cached outside the pool (packed int8 weights). */
  onDispose(hook: () => void): void {
    this.disposeHooks.push(hook);
  }

  /** A new device tensor of `shape`, contents undefined until a program writes it. */
  allocate(op: string, argument: string, shape: readonly number[]): GpuTensor {
    const bytes = this.checkBufferSize(op, argument, shape);
    return new GpuTensor(Object.freeze([...shape]), this.pool.acquire(bytes, TENSOR_USAGE), this);
  }

  /** Copies a host tensor into a new device tensor. */
  upload(op: string, argument: string, t: Tensor): GpuTensor {
    if (!isHostTensor(t)) {
      throw new UnsupportedError(op, argument, `${argument} is a tensor on '${t.location}'; read it back to the host first`);
    }
    const result = this.allocate(op, argument, t.shape);
    if (t.data.length === 0) return result;
    // The pooled buffer may be bound by recorded commands: they must run before the write does.
    this.flush();
    // Dawn and browsers refuse views of a SharedArrayBuffer in writeBuffer: copy those to a plain ArrayBuffer.
    const data = t.data.buffer instanceof ArrayBuffer ? t.data : t.data.slice();
    try {
      this.device.queue.writeBuffer(result.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    } catch (error) {
      result.dispose();
      throw new BackendError(op, argument, `uploading ${argument} to the GPU failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return result;
  }

  /** The buffer to bind for `t`: its own when it lives on this backend, a fresh upload when on the host. */
  bind(op: string, argument: string, t: Tensor): BoundInput {
    if (t instanceof GpuTensor) {
      if (t.owner !== this) {
        throw new UnsupportedError(op, argument, `${argument} belongs to another WebGPU backend instance; read it back and pass the data`);
      }
      return { buffer: t.buffer, temporary: false };
    }
    return { buffer: this.upload(op, argument, t).buffer, temporary: true };
  }

  /**
   * A small buffer bound where a program declares an input the call does not have (a bias
   * the uniforms say to skip): one binding layout per program, whatever the options.
   */
  placeholder(): BoundInput {
    this.placeholderBuffer ??= this.device.createBuffer({ label: 'placeholder', size: 16, usage: TENSOR_USAGE });
    return { buffer: this.placeholderBuffer, temporary: false };
  }

  /** Hands a buffer back to the pool (a disposed {@link GpuTensor} calls this). */
  release(buffer: GPUBuffer): void {
    this.pool.release(buffer);
  }

  /**
   * Records one dispatch of `program`: inputs bound at 0…n−1, `output` at n, the uniforms at
   * n+1, in a compute pass of the shared command encoder, submitted every
   * {@link MAX_DISPATCHES_PER_SUBMIT} dispatches and before any read, upload or timing.
   * Validation and out-of-memory errors, and the program's compile errors, are collected
   * asynchronously and thrown by the next call or `read()`.
   */
  run(op: string, program: GpuProgram, inputs: readonly BoundInput[], output: { readonly buffer: GPUBuffer }): void {
    try {
      const entry = cachedPipeline(this.device, program);
      this.trackCompilation(op, program, entry);
      const dispatch = this.cachedDispatch(op, program, entry.pipeline, inputs, output);
      this.record(program, entry.pipeline, dispatch.bindGroup);
      this.recorded.push({ op, program: program.name });
    } catch (error) {
      if (error instanceof BackendError) throw error;
      throw new BackendError(op, 'program', `recording ${program.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      // Even when recording threw, the call's uploads go back to the pool: recorded commands
      // only ever read from them before a later write, which flushes first.
      for (const input of inputs) if (input.temporary) this.pool.release(input.buffer);
    }
    if (this.recorded.length >= MAX_DISPATCHES_PER_SUBMIT) this.flush();
  }

  /** Until a pipeline is known to compile, each use waits for the outcome, so every use of a broken one throws. */
  private trackCompilation(op: string, program: GpuProgram, entry: CachedPipeline): void {
    if (this.compiled.has(entry.pipeline)) return;
    this.track(
      entry.failure.then((compileError) => {
        if (compileError === undefined) {
          this.compiled.add(entry.pipeline);
          return undefined;
        }
        return new BackendError(op, 'program', `WGSL program ${program.name} failed to compile: ${compileError}`);
      }),
      true,
    );
  }

  /** The dispatch's bind group and uniforms, created under error scopes the first time only. */
  private cachedDispatch(
    op: string,
    program: GpuProgram,
    pipeline: GPUComputePipeline,
    inputs: readonly BoundInput[],
    output: { readonly buffer: GPUBuffer },
  ) {
    const uniforms = program.uniforms();
    const values = new Int32Array(Math.max(4, Math.ceil(uniforms.length / 4) * 4));
    uniforms.forEach((field, i) => {
      values[i] = field.value;
    });
    const buffers = [...inputs.map((input) => input.buffer), output.buffer];
    const key = this.dispatches.key(program.cacheKey, values, buffers);
    return this.dispatches.hit(key) ?? this.scoped(op, program.name, () => this.dispatches.create(key, pipeline, values, buffers));
  }

  /** Appends one compute pass running `pipeline` to the shared encoder. */
  private record(program: GpuProgram, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup): void {
    this.encoder ??= this.device.createCommandEncoder({ label: 'sepconv' });
    const timestampWrites = this.timing ? this.timer?.nextPass() : undefined;
    const pass = this.encoder.beginComputePass({ label: program.name, ...(timestampWrites ? { timestampWrites } : {}) });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y, z] = program.dispatch();
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
  }

  /**
   * Submits the recorded commands, if any. Their validation and out-of-memory errors (known
   * when the encoder finishes) are thrown by the next call or `read()`, naming the programs.
   */
  flush(): void {
    const encoder = this.encoder;
    if (!encoder) return;
    const recorded = this.recorded.splice(0);
    this.encoder = undefined;
    if (this.disposed) return;
    const first = recorded[0]?.op ?? 'webgpu';
    const names = [...new Set(recorded.map((r) => r.program))].join(', ');
    try {
      this.scoped(first, names, () => this.device.queue.submit([encoder.finish()]));
    } catch (error) {
      if (!this.deferredError) {
        this.deferredError = new BackendError(
          first,
          'program',
          `submitting ${names} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  /** Runs `fn` under validation and out-of-memory error scopes whose errors become deferred BackendErrors naming `programs`. */
  private scoped<T>(op: string, programs: string, fn: () => T): T {
    const device = this.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    try {
      return fn();
    } finally {
      const validation = device.popErrorScope();
      const outOfMemory = device.popErrorScope();
      this.track(
        Promise.all([validation, outOfMemory]).then(([validationError, memoryError]) => {
          if (memoryError) return new BackendError(op, 'device', `the GPU ran out of memory running ${programs}: ${memoryError.message}`);
          if (validationError) return new BackendError(op, 'program', `WebGPU rejected ${programs}: ${validationError.message}`);
          return undefined;
        }),
      );
    }
  }

  /**
   * Keeps the first error `outcome` reports for the next call to throw. A compile error
   * (`explains`) replaces a validation error it caused: a broken pipeline also makes its bind
   * group and its batch invalid, and the compiler's message is the one that helps.
   */
  private track(outcome: Promise<BackendError | undefined>, explains = false): void {
    const settled: Promise<void> = outcome
      .then(
        (error) => {
          if (!error) return;
          if (!this.deferredError || (explains && !this.deferredErrorExplains)) {
            this.deferredError = error;
            this.deferredErrorExplains = explains;
          }
        },
        (reason: unknown) => {
          if (!this.deferredError) this.deferredError = new BackendError('webgpu', 'device', `error scope failed: ${String(reason)}`);
        },
      )
      .finally(() => this.pending.delete(settled));
    this.pending.add(settled);
  }

  private disposedDuringRead(): BackendError {
    return new BackendError('read', 'backend', 'the WebGPU backend was disposed during the read');
  }

  /** Waits for every submitted program's errors, then copies `t` to the host. */
  async read(t: GpuTensor): Promise<Float32Array> {
    return new Float32Array(await this.readBytes(t.buffer, t.size * 4));
  }

  /** Waits for every submitted program's errors, then copies the first `byteLength` bytes (a multiple of 4) of `buffer` to the host. */
  async readBytes(buffer: GPUBuffer, byteLength: number): Promise<ArrayBuffer> {
    this.checkUsable('read');
    this.flush();
    await Promise.all(this.pending);
    if (this.disposed) throw this.disposedDuringRead();
    this.checkUsable('read');
    if (byteLength === 0) return new ArrayBuffer(0);
    const staging = this.stagingPool.acquire(byteLength, STAGING_USAGE);
    const encoder = this.device.createCommandEncoder({ label: 'read' });
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, byteLength);
    this.device.queue.submit([encoder.finish()]);
    // A lost device may never settle mapAsync; racing the loss signal turns that into an error, not a hang.
    const lost = this.lostSignal.then((message) => {
      throw new BackendError('read', 'device', `the GPU device was lost while reading (${message})`);
    });
    try {
      await Promise.race([staging.mapAsync(MAP_MODE_READ, 0, byteLength), lost]);
    } catch (error) {
      if (error instanceof BackendError) throw error;
      // dispose() destroys the staging buffer under the mapping, which rejects with an empty message.
      if (this.disposed) throw this.disposedDuringRead();
      throw new BackendError('read', 'x', `mapping the result for reading failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      lost.catch(() => undefined);
    }
    if (this.disposed) throw this.disposedDuringRead();
    const result = staging.getMappedRange(0, byteLength).slice(0);
    staging.unmap();
    this.stagingPool.release(staging);
    return result;
  }

  /**
   * GPU seconds spent in the compute passes `fn` records, from `timestamp-query` (begin and
   * end of each pass), summed. Waits for the GPU. At most MAX_TIMED_PASSES (128) passes.
   * @throws UnsupportedError when the device was created without `timestamp-query`.
   */
  async time(fn: () => void): Promise<number> {
    this.checkUsable('time');
    if (!this.device.features.has('timestamp-query')) {
      throw new UnsupportedError('time', 'device', "the device has no 'timestamp-query' feature; time with wall clock around read() instead");
    }
    this.timer ??= new GpuTimer(this.device);
    this.timer.reset();
    this.timing = true;
    this.flush();
    try {
      fn();
    } finally {
      this.timing = false;
      this.flush();
    }
    return this.timer.seconds();
  }

  /** GPU memory held for tensors: live (in tensors) and pooled (idle, for reuse). */
  memory(): BufferPoolStats {
    return this.pool.stats();
  }

  /** Destroys every buffer; destroys the device when this backend created it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.encoder = undefined;
    this.recorded.length = 0;
    this.pool.destroy();
    this.dispatches.destroy();
    this.stagingPool.destroy();
    this.placeholderBuffer?.destroy();
    this.timer?.destroy();
    for (const hook of this.disposeHooks) hook();
    if (this.ownsDevice) this.device.destroy();
  }
}
