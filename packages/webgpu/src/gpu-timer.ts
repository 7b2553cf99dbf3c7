import { UnsupportedError } from '@sepconv/tensor';
import { BufferUsage, MAP_MODE_READ } from './gpu-constants.js';

/** Compute passes one {@link GpuTimer} measurement can hold: a MobileNet's 28 layers twice over, and more. */
export const MAX_TIMED_PASSES = 128;

/**
 * Begin/end timestamps of compute passes (`timestamp-query`), two queries per pass in one
 * query set, resolved and summed on request. One timer per backend, one measurement at a time.
 */
export class GpuTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolveBuffer: GPUBuffer;
  private readonly readBuffer: GPUBuffer;
  private passes = 0;
  private overflowed = false;

  constructor(private readonly device: GPUDevice) {
    const bytes = MAX_TIMED_PASSES * 2 * 8;
    this.querySet = device.createQuerySet({ label: 'sepconv timer', type: 'timestamp', count: MAX_TIMED_PASSES * 2 });
    this.resolveBuffer = device.createBuffer({ size: bytes, usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC });
    this.readBuffer = device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  }

  reset(): void {
    this.passes = 0;
    this.overflowed = false;
  }

  /** The `timestampWrites` of the next pass, or `undefined` once the query set is full. */
  nextPass(): GPUComputePassTimestampWrites | undefined {
    if (this.passes >= MAX_TIMED_PASSES) {
      this.overflowed = true;
      return undefined;
    }
    const index = this.passes++ * 2;
    return { querySet: this.querySet, beginningOfPassWriteIndex: index, endOfPassWriteIndex: index + 1 };
  }

  /** Resolves the recorded passes and returns their summed duration in seconds. */
  async seconds(): Promise<number> {
    if (this.overflowed) throw new UnsupportedError('time', 'fn', `fn recorded more than ${MAX_TIMED_PASSES} compute passes`);
    if (this.passes === 0) return 0;
    const bytes = this.passes * 2 * 8;
    const encoder = this.device.createCommandEncoder({ label: 'sepconv timer' });
    encoder.resolveQuerySet(this.querySet, 0, this.passes * 2, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, this.readBuffer, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    await this.readBuffer.mapAsync(MAP_MODE_READ, 0, bytes);
    const stamps = new BigUint64Array(this.readBuffer.getMappedRange(0, bytes).slice(0));
    this.readBuffer.unmap();
    let nanoseconds = 0;
    for (let pass = 0; pass < this.passes; pass++) {
      const begin = stamps[pass * 2]!;
      const end = stamps[pass * 2 + 1]!;
      // A pass the implementation could not time reads as 0 or end < begin; it adds nothing.
      if (end > begin) nanoseconds += Number(end - begin);
    }
    return nanoseconds / 1e9;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolveBuffer.destroy();
    this.readBuffer.destroy();
  }
}
