import { BackendError, formatShape, isHostQuantizedTensor, sizeOf, UnsupportedError, type QuantizedTensor, type QuantParams } from '@sepconv/tensor';
import { BufferPool } from './buffer-pool.js';
import { GpuQuantizedTensor, int8BufferBytes } from './gpu-quantized-tensor.js';
import type { WebGpuContext } from './webgpu-context.js';

/** A buffer bound to one dispatch, and whether it was uploaded just for it (released after the dispatch). */
export interface BoundBuffer {
  readonly buffer: GPUBuffer;
  readonly temporary: boolean;
}

/** Refuses an int8 tensor the device cannot bind, before anything is allocated; returns its packed bytes. */
export function checkInt8BufferSize(ctx: WebGpuContext, op: string, argument: string, shape: readonly number[]): number {
  const bytes = int8BufferBytes(sizeOf(shape));
  const limit = Math.min(ctx.device.limits.maxStorageBufferBindingSize, ctx.device.limits.maxBufferSize);
  if (BufferPool.sizeClass(bytes) > limit) {
    throw new UnsupportedError(
      op,
      argument,
      `${argument} ${formatShape(shape)} needs ${bytes} bytes, more than this device's storage buffer limit of ${limit} bytes`,
    );
  }
  return bytes;
}

/** A new int8 device tensor, contents undefined until a program writes it. */
export function allocateInt8(
  ctx: WebGpuContext,
  op: string,
  argument: string,
  shape: readonly number[],
  quantization: QuantParams,
): GpuQuantizedTensor {
  const bytes = checkInt8BufferSize(ctx, op, argument, shape);
  return new GpuQuantizedTensor(Object.freeze([...shape]), quantization, ctx.acquire(bytes), ctx);
}

/** Copies `data` (whole words) into a pooled buffer; the caller releases it. */
export function uploadWords(ctx: WebGpuContext, op: string, argument: string, data: Int32Array | Uint32Array): GPUBuffer {
  const buffer = ctx.acquire(Math.max(data.byteLength, 4));
  if (data.byteLength === 0) return buffer;
  // The pooled buffer may be bound by recorded commands: they must run before the write does.
  ctx.flush();
  try {
    ctx.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    ctx.release(buffer);
    throw new BackendError(op, argument, `uploading ${argument} to the GPU failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return buffer;
}

/** `values` packed 4 per word (little-endian bytes), the last word zero-filled. */
export function packInt8Words(values: Int8Array): Uint32Array {
  const words = new Uint32Array(Math.ceil(values.length / 4));
  new Int8Array(words.buffer).set(values);
  return words;
}

/**
 * The buffer to bind for int8 `t`: its own when it lives on this backend, a fresh packed upload
 * of a host tensor's data otherwise.
 * @throws UnsupportedError naming `op` and `argument` for a tensor of another backend; BackendError for a disposed one.
 */
export function bindInt8(ctx: WebGpuContext, op: string, argument: string, t: QuantizedTensor): BoundBuffer {
  if (t instanceof GpuQuantizedTensor) {
    if (t.owner !== ctx)
      throw new UnsupportedError(op, argument, `${argument} belongs to another WebGPU backend instance; read it back and pass the data`);
    if (t.isDisposed) throw new BackendError(op, argument, `${argument} has been disposed`);
    return { buffer: t.buffer, temporary: false };
  }
  if (!isHostQuantizedTensor(t)) {
    throw new UnsupportedError(op, argument, `${argument} is an int8 tensor on '${t.location}'; read it back to the host first`);
  }
  checkInt8BufferSize(ctx, op, argument, t.shape);
  return { buffer: uploadWords(ctx, op, argument, packInt8Words(t.data)), temporary: true };
}

/** Binds every int8 input, releasing the uploads already made when a later one is refused. */
export function bindAllInt8(ctx: WebGpuContext, op: string, inputs: readonly (readonly [string, QuantizedTensor])[]): BoundBuffer[] {
  const bound: BoundBuffer[] = [];
  try {
    for (const [argument, t] of inputs) bound.push(bindInt8(ctx, op, argument, t));
  } catch (error) {
    releaseTemporary(ctx, bound);
    throw error;
  }
  return bound;
}

/** Hands back the buffers uploaded for one call. */
export function releaseTemporary(ctx: WebGpuContext, bound: readonly BoundBuffer[]): void {
  for (const input of bound) if (input.temporary) ctx.release(input.buffer);
}

/** The elements of this backend's int8 tensor `x`, once every program writing it has run. */
export async function readInt8(ctx: WebGpuContext, x: QuantizedTensor): Promise<Int8Array> {
  if (!(x instanceof GpuQuantizedTensor) || x.owner !== ctx) {
    throw new UnsupportedError('readQuantized', 'x', `x is an int8 tensor on '${x.location}' that this WebGPU backend does not own`);
  }
  if (x.isDisposed) throw new BackendError('readQuantized', 'x', 'x has been disposed');
  const bytes = await ctx.readBytes(x.buffer, int8BufferBytes(x.size));
  return new Int8Array(bytes, 0, x.size);
}
