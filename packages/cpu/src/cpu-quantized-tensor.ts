import type { QuantizedTensor, QuantParams } from '@sepconv/tensor';
import type { Heap } from './heap.js';

const reclaim = new FinalizationRegistry<{ heap: Heap; address: number }>(({ heap, address }) => heap.release(address));

/**
 * An int8 tensor (NHWC, per-tensor `quantization`) whose data lives in a CPU backend's
 * WebAssembly memory, one byte per element, so the next int8 operation reads it in place — the
 * int8 twin of `CpuTensor`. `backend.readQuantized(t)` copies it out; `dispose()` returns the
 * memory at once (a forgotten one is freed when the JavaScript collector gets to it).
 */
export class CpuQuantizedTensor implements QuantizedTensor {
  readonly dtype = 'int8' as const;
  readonly location = 'cpu';
  readonly size: number;
  private disposed = false;

  constructor(
    /** The heap that owns the data. */
    readonly heap: Heap,
    /** Byte address of the first element. */
    readonly address: number,
    readonly shape: readonly number[],
    readonly quantization: QuantParams,
  ) {
    this.size = shape.reduce((product, dim) => product * dim, 1);
    reclaim.register(this, { heap, address }, this);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * The elements, as a view into the heap: valid until the heap's next allocation. Runs the
   * backend's queued jobs first (as `CpuTensor.view` does), so the view holds this tensor's result.
   * @throws BackendError when the job that computes it failed or never ran.
   */
  view(): Int8Array {
    this.heap.settle();
    const failure = this.heap.failure(this.address);
    if (failure) throw failure;
    return new Int8Array(this.heap.memory.buffer, this.address, this.size);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    reclaim.unregister(this);
    this.heap.release(this.address);
  }
}
