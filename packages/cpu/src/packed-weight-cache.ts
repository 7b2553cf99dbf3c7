import type { QuantizedConvWeights, Tensor } from '@sepconv/tensor';
import { CpuTensor } from './cpu-tensor.js';
import { floatIndex, type Heap } from './heap.js';

/**
 * What packed weights are cached by: a float filter tensor, or an int8 layer's
 * `QuantizedConvWeights` (immutable, with its bias and requantization inside; never disposed,
 * so only collection or the backend's disposal frees its packing).
 */
export type PackedWeightKey = Tensor | QuantizedConvWeights;

/** One filter's packings: by format, each with the bias it was packed with. */
interface FilterPacks {
  readonly filter: WeakRef<PackedWeightKey>;
  readonly formats: Map<string, { bias: Tensor | undefined; address: number }>;
}

/** Packings below which a sweep for disposed host filters is not worth starting. */
const MIN_SWEEP = 16;

/**
 * Packed weights of one CPU backend, cached per filter tensor and format (with the bias packed
 * into them) and freed when the filter is disposed:
 * - a `CpuTensor` filter (what `upload()` and mobilenet's `instantiate` make) frees its packings
 *   in its own `dispose()`;
 * - a host filter's `dispose()` tells no one, so packing sweeps the cache for disposed filters
 *   whenever the number of filters held has doubled since the last sweep (amortised O(1) per
 *   packing, and at most twice the live filters' packings held);
 * - {@link release} frees one filter's packings at its owner's word (mobilenet's `dispose()` of a
 *   model whose host weights were packed by `prepareWeights`);
 * - {@link clear} frees everything when the backend is disposed.
 * A FinalizationRegistry frees the packings of a filter garbage-collected without being
 * disposed, as a backstop only: the collector does not see WebAssembly memory pressure.
 */
export class PackedWeightCache {
  private readonly byFilter = new WeakMap<PackedWeightKey, FilterPacks>();
  private readonly held = new Set<FilterPacks>();
  private sweepAt = MIN_SWEEP;
  private readonly reclaim = new FinalizationRegistry<FilterPacks>((packs) => this.free(packs));
  private packCount = 0;

  constructor(private readonly heap: Heap) {}

  /**
   * The address of `filter` (with `bias`) packed in `format`: cached, or `floats` floats
   * allocated (naming `op` if that fails) and filled by `pack` at their element offset.
   */
  get(
    op: string,
    format: string,
    filter: PackedWeightKey,
    bias: Tensor | undefined,
    floats: number,
    pack: (out: Float32Array, offset: number) => void,
  ): number {
    const packs = this.byFilter.get(filter) ?? this.track(filter);
    const cached = packs.formats.get(format);
    if (cached && cached.bias === bias) return cached.address;
    if (this.held.size >= this.sweepAt) this.sweep();
    // The host writes it now: allocHost keeps it clear of blocks queued jobs may still read.
    const address = this.heap.allocHost(floats * 4, op);
    try {
      pack(this.heap.floats(), floatIndex(address));
    } catch (error) {
      this.heap.release(address);
      throw error;
    }
    if (cached) this.heap.release(cached.address);
    packs.formats.set(format, { bias, address });
    this.packCount++;
    return address;
  }

  /** How many packings {@link get} has made (its cache misses), for tests and diagnostics. */
  get packings(): number {
    return this.packCount;
  }

  /** Frees the packings of `filter`, if any (its owner is done with it but does not dispose it). */
  release(filter: PackedWeightKey): void {
    const packs = this.byFilter.get(filter);
    if (packs) this.free(packs);
  }

  /** Frees every packing (the backend is being disposed). */
  clear(): void {
    for (const packs of [...this.held]) this.free(packs);
  }

  private track(filter: PackedWeightKey): FilterPacks {
    const packs: FilterPacks = { filter: new WeakRef(filter), formats: new Map() };
    this.byFilter.set(filter, packs);
    this.held.add(packs);
    this.reclaim.register(filter, packs, packs);
    if (filter instanceof CpuTensor) filter.whenDisposed(() => this.free(packs));
    return packs;
  }

  /** Frees the packings of filters that have been disposed or collected. */
  private sweep(): void {
    for (const packs of [...this.held]) {
      const filter = packs.filter.deref();
      if (filter === undefined || ('isDisposed' in filter && filter.isDisposed)) this.free(packs);
    }
    this.sweepAt = Math.max(MIN_SWEEP, 2 * this.held.size);
  }

  private free(packs: FilterPacks): void {
    if (!this.held.delete(packs)) return;
    this.reclaim.unregister(packs);
    for (const { address } of packs.formats.values()) this.heap.release(address);
    packs.formats.clear();
    const filter = packs.filter.deref();
    if (filter !== undefined) this.byFilter.delete(filter);
  }
}
