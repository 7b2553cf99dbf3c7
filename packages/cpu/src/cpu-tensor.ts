import type { DType, Tensor } from '@sepconv/tensor';
import { floatIndex, type Heap } from './heap.js';

const reclaim = new FinalizationRegistry<{ heap: Heap; address: number }>(({ heap, address }) => heap.release(address));

/**
 * A tensor whose float32 data lives in a CPU backend's WebAssembly memory, so the next
 * operation reads it in place. `backend.read(t)` copies it out; `dispose()` returns the memory
 * at once, and the weights packed from it when it served as a filter. Dispose what you create:
 * a tensor that is only forgotten is freed when the JavaScript collector gets to it, which it
 * does not hurry to do, as it does not see the WebAssembly memory the tensor holds.
 */
export class CpuTensor implements Tensor {
  readonly dtype: DType = 'float32';
  readonly location = 'cpu';
  readonly size: number;
  private disposed = false;
  private disposers: (() => void)[] | undefined;

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

  /**
   * The elements, as a view into the heap: valid until the heap's next allocation. Runs the
   * backend's queued jobs first, so the view holds this tensor's result (and host writes
   * through it cannot reach memory a queued job still reads).
   * @throws BackendError when the job that computes it failed or never ran.
   */
  view(): Float32Array {
    this.heap.settle();
    const failure = this.heap.failure(this.address);
    if (failure) throw failure;
    return this.heap.floats().subarray(floatIndex(this.address), floatIndex(this.address) + this.size);
  }

  /**
   * Runs `callback` once when this tensor is disposed: the backend frees the weights it packed
   * from it. Internal to `@sepconv/cpu`.
   * @internal
   */
  whenDisposed(callback: () => void): void {
    (this.disposers ??= []).push(callback);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    reclaim.unregister(this);
    this.heap.release(this.address);
    for (const callback of this.disposers ?? []) callback();
    this.disposers = undefined;
  }
}
