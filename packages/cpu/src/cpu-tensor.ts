import type { DType, Tensor } from '@sepconv/tensor';
import { floatIndex, type Heap } from './heap.js';

const reclaim = new FinalizationRegistry<{ heap: Heap; address: number }>(({ heap, address }) => heap.release(address));

/**
 * A tensor whose float32 data lives in a CPU backend's WebAssembly memory, so the next
 * operation reads it in place. `backend.read(t)` copies it out; `dispose()` returns the memory
 * at once (otherwise it is returned when the tensor is garbage-collected).
 */
export class CpuTensor implements Tensor {
  readonly dtype: DType = 'float32';
  readonly location = 'cpu';
  readonly size: number;
  private disposed = false;

  constructor(
    /** The heap that owns the data. */
    readonly heap: Heap,
    /** Byte address of the first element. */
    readonly address: number,
    readonly shape: readonly number[],
  ) {
    this.size = shape.reduce((product, dim) => product * dim, 1);
    reclaim.register(this, { heap, address }, this);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The elements, as a view into the heap: valid until the heap's next allocation. */
  view(): Float32Array {
    return this.heap.floats().subarray(floatIndex(this.address), floatIndex(this.address) + this.size);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    reclaim.unregister(this);
    this.heap.release(this.address);
  }
}
