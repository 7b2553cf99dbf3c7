import { sizeOf, type DType, type Tensor } from '@sepconv/tensor';

/** What a {@link GpuTensor} hands its buffer back to when disposed. */
export interface GpuTensorOwner {
  release(buffer: GPUBuffer): void;
}

/**
 * What every tensor in a GPU storage buffer shares, float or int8: its shape, the buffer, the
 * backend instance that owns it, and disposal (the buffer back to that backend's pool, once).
 * Not itself a tensor type: `instanceof GpuTensor` keeps meaning float32.
 */
export abstract class PooledGpuTensor {
  readonly location = 'webgpu';
  readonly size: number;
  private disposed = false;

  constructor(
    readonly shape: readonly number[],
    /** The storage buffer holding the data, row-major. */
    readonly buffer: GPUBuffer,
    /** The backend instance the tensor belongs to; other instances refuse it. */
    readonly owner: GpuTensorOwner,
  ) {
    this.size = sizeOf(shape);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Returns the buffer to its backend's pool; idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.owner.release(this.buffer);
  }
}

/**
 * A float32 tensor whose data lives in a GPU storage buffer (NHWC for activations). Created
 * by a WebGPU backend; only `backend.read(t)` brings the data back. The buffer may be larger
 * than `size` floats (pooled size classes).
 */
export class GpuTensor extends PooledGpuTensor implements Tensor {
  readonly dtype: DType = 'float32';
}
