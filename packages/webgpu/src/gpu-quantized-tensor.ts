import type { QuantizedTensor, QuantParams } from '@sepconv/tensor';
import { PooledGpuTensor, type GpuTensorOwner } from './gpu-tensor.js';

/**
 * An int8 tensor whose data lives in a GPU storage buffer: the elements in row-major order
 * (NHWC for activations), packed 4 per `u32` word, little-endian (element `i` is byte `i % 4` of
 * word `⌊i / 4⌋`), the last word's unused bytes undefined. Created by a WebGPU backend's int8
 * kernels; `backend.readQuantized(t)` brings it back as a `HostQuantizedTensor`.
 */
export class GpuQuantizedTensor extends PooledGpuTensor implements QuantizedTensor {
  readonly dtype = 'int8' as const;

  constructor(
    shape: readonly number[],
    /** The scale and zero point of every element. */
    readonly quantization: QuantParams,
    /** The storage buffer holding the packed data; at least {@link int8BufferBytes}(size) bytes. */
    buffer: GPUBuffer,
    /** The backend instance the tensor belongs to; other instances refuse it. */
    owner: GpuTensorOwner,
  ) {
    super(shape, buffer, owner);
  }
}

/** Bytes of the packed words holding `size` int8 elements (whole words: WGSL reads and writes `u32`). */
export function int8BufferBytes(size: number): number {
  return Math.ceil(size / 4) * 4;
}
