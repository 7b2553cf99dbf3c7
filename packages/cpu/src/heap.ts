import { BackendError, type SepconvError } from '@sepconv/tensor';

/** Allocation granule and alignment: a cache line, so no two tensors share one. */
const ALIGN = 64;
/**
 * Bytes kept free past every block: SIMD kernels load whole f32x4 vectors at channel tails,
 * up to 12 bytes past the last element, and must never leave memory.
 */
const SLACK = 64;
const PAGE = 65536;

interface FreeBlock {
  start: number;
  size: number;
}

/** Work recorded against the heap to run later (the wasm runtime's job queue). */
export interface DeferredWork {
  readonly pending: boolean;
  /** Runs the work; throws what it failed with. */
  flush(): void;
}

/** The heap's bookkeeping, for leak and steady-state checks. */
export interface HeapStats {
  /** Bytes of live blocks (with their slack and alignment). */
  readonly allocatedBytes: number;
  /** Live blocks. */
  readonly blocks: number;
  /** Free blocks (1 when nothing is fragmented). */
  readonly freeBlocks: number;
  /** Bytes of the WebAssembly memory, reserved area included. */
  readonly memoryBytes: number;
}

/**
 * The backend's memory: a WebAssembly.Memory (shared when workers use it) carved up by a
 * first-fit allocator with coalescing. Addresses are byte offsets; `floats()` gives a
 * Float32Array view that is refreshed after the memory grows.
 *
 * Jobs that read and write the heap may be queued to run later ({@link defer}): a block freed
 * while jobs are queued may still be read by one of them, so the host writes only into blocks
 * from {@link allocHost} (which runs the queue first when such a block could be handed out)
 * or through a tensor's view (which runs it first anyway). A deterministic first-fit over the
 * same sequence of allocations and frees lands every block where it landed before, so a model
 * that runs the same calls each time reuses the same memory, growing it never after the first.
 */
export class Heap {
  private readonly free: FreeBlock[] = [];
  private readonly sizes = new Map<number, number>();
  private deferred: DeferredWork | undefined;
  /** A block was freed since the queued work was recorded: it may still read it. */
  private releasedWhilePending = false;
  /** Blocks whose producing job failed or never ran, with the error reading them gives. */
  private readonly failures = new Map<number, SepconvError>();
  private view: Float32Array;
  private words: Int32Array;

  /** `reserved` bytes at the start are not handed out (job records, pool control). */
  constructor(
    readonly memory: WebAssembly.Memory,
    reserved: number,
  ) {
    const start = align(reserved);
    this.free.push({ start, size: memory.buffer.byteLength - start });
    this.view = new Float32Array(memory.buffer);
    this.words = new Int32Array(memory.buffer);
  }

  /**
   * Allocates `bytes` (64-byte aligned, not zeroed) and returns its address; `op` names the
   * operation in the BackendError thrown when the memory cannot hold it.
   */
  alloc(bytes: number, op: string): number {
    const size = align(bytes + SLACK);
    let index = this.free.findIndex((block) => block.size >= size);
    if (index < 0) {
      this.grow(size, op);
      index = this.free.findIndex((block) => block.size >= size);
      if (index < 0) throw new BackendError(op, 'memory', `could not allocate ${bytes} bytes`);
    }
    const block = this.free[index]!;
    const address = block.start;
    block.start += size;
    block.size -= size;
    if (block.size === 0) this.free.splice(index, 1);
    this.sizes.set(address, size);
    return address;
  }

  /**
   * Like {@link alloc}, for a block the host writes now (an input copied in, weights packed,
   * zeros): runs the queued work first if the block could be one that queued work still reads.
   */
  allocHost(bytes: number, op: string): number {
    if (this.releasedWhilePending) this.settle();
    return this.alloc(bytes, op);
  }

  /** Attaches the queue whose jobs read and write this heap later (see {@link settle}). */
  defer(work: DeferredWork): void {
    this.deferred = work;
  }

  /** Runs the queued work, if any, so the host sees every result; throws what it failed with. */
  settle(): void {
    if (this.deferred?.pending) this.deferred.flush();
  }

  /** The queue is starting to run: blocks freed so far are no longer read by anything pending. */
  settling(): void {
    this.releasedWhilePending = false;
  }

  /**
   * Marks live block `address` as not computed: {@link failure} gives `error` until it is freed
   * (a BackendError, or the typed error of bad data a kernel found, e.g. `quantize`'s NaN).
   */
  fail(address: number, error: SepconvError): void {
    if (this.sizes.has(address)) this.failures.set(address, error);
  }

  /** Why block `address` holds no result, if its producing job failed or never ran. */
  failure(address: number): SepconvError | undefined {
    return this.failures.get(address);
  }

  /** Returns a block from {@link alloc}; freeing twice or an unknown address does nothing. */
  release(address: number): void {
    const size = this.sizes.get(address);
    if (size === undefined) return;
    this.sizes.delete(address);
    this.failures.delete(address);
    if (this.deferred?.pending) this.releasedWhilePending = true;
    let index = 0;
    while (index < this.free.length && this.free[index]!.start < address) index++;
    this.free.splice(index, 0, { start: address, size });
    const next = this.free[index + 1];
    if (next && address + size === next.start) {
      this.free[index]!.size += next.size;
      this.free.splice(index + 1, 1);
    }
    const previous = this.free[index - 1];
    if (previous && previous.start + previous.size === address) {
      previous.size += this.free[index]!.size;
      this.free.splice(index, 1);
    }
  }

  /** Bytes currently allocated (for tests and leak checks). */
  get allocatedBytes(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /** Live and free blocks and the memory's size (see {@link HeapStats}). */
  get stats(): HeapStats {
    return { allocatedBytes: this.allocatedBytes, blocks: this.sizes.size, freeBlocks: this.free.length, memoryBytes: this.memory.buffer.byteLength };
  }

  /** A Float32Array over the whole memory, valid until the next allocation. */
  floats(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.refresh();
    return this.view;
  }

  /** An Int32Array over the whole memory, valid until the next allocation. */
  ints(): Int32Array {
    if (this.words.buffer !== this.memory.buffer) this.refresh();
    return this.words;
  }

  private refresh(): void {
    this.view = new Float32Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
  }

  /**
   * Grows the memory so that a block of `size` bytes fits at its end. A free block that already
   * ends the memory counts towards it, so only the rest is added.
   */
  private grow(size: number, op: string): void {
    const oldBytes = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last && last.start + last.size === oldBytes ? last.size : 0;
    const needed = Math.ceil((size - tail) / PAGE);
    // Half again where the memory allows, so a run of allocations does not grow page by page;
    // else exactly what is needed, so a heap near its maximum still serves what fits.
    const generous = Math.max(needed, Math.ceil(oldBytes / PAGE / 2));
    let pages = generous;
    try {
      this.memory.grow(generous);
    } catch {
      pages = needed;
      try {
        this.memory.grow(needed);
      } catch (error) {
        throw new BackendError(
          op,
          'memory',
          `out of memory: a block of ${size} bytes does not fit in the ${oldBytes}-byte heap, and growing it by ${needed * PAGE} bytes failed (${String(error)})`,
        );
      }
    }
    this.refresh();
    if (tail > 0) last!.size += pages * PAGE;
    else this.free.push({ start: oldBytes, size: pages * PAGE });
  }
}

/**
 * The index of the float32 element at byte `address` of the heap. Unsigned: addresses past
 * 2 GiB are negative as signed 32-bit integers (`address >> 2`), and a wasm32 heap reaches 4 GiB.
 */
export function floatIndex(address: number): number {
  return address >>> 2;
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
