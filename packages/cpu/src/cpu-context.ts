import {
  assertFloat32Data,
  BackendError,
  formatShape,
  isHostQuantizedTensor,
  isHostTensor,
  selectVariant,
  UnsupportedError,
  type GeometryOf,
  type KernelName,
  type QuantizedConvWeights,
  type QuantizedTensor,
  type QuantParams,
  type Tensor,
  type VariantFor,
} from '@sepconv/tensor';
import { CpuQuantizedTensor } from './cpu-quantized-tensor.js';
import { CpuTensor } from './cpu-tensor.js';
import { floatIndex, type Heap } from './heap.js';
import { PackedWeightCache } from './packed-weight-cache.js';
import type { Isa } from './isa.js';
import { cpuQuantizedVariants, type CpuQuantizedVariant } from './quantized-variants.js';
import { dispatchableOn } from './variant-support.js';
import { cpuVariants, type CpuKernelVariant } from './variants.js';
import type { WasmRuntime } from './wasm/wasm-runtime.js';

/** An input placed in the heap; `release()` frees it when it was a temporary copy. */
export interface HeapInput {
  address: number;
  release(): void;
}

/**
 * The state kernels of one CPU backend share: the heap, the WebAssembly runtime (absent when
 * only JavaScript kernels run), the ISA dispatch picks from, the forced variant, and packed
 * weights cached per filter tensor.
 */
export class CpuContext {
  private readonly packs: PackedWeightCache;
  private disposed = false;

  constructor(
    readonly heap: Heap,
    readonly runtime: WasmRuntime | undefined,
    readonly isa: Isa,
    readonly forced: CpuKernelVariant | undefined,
    /** The forced int8 variant, if any (`createCpuBackend({ variant })` names one of either table). */
    readonly forcedQuantized: CpuQuantizedVariant | undefined = undefined,
  ) {
    this.packs = new PackedWeightCache(heap);
  }

  /**
   * The variant that runs `op` on `geometry`: the call's own `variant` (checked by
   * `defineBackend`), else the backend's forced one when it applies, else the first of this ISA
   * that supports it.
   */
  select<Op extends KernelName>(op: Op, geometry: GeometryOf<Op>, variant?: string): VariantFor<CpuKernelVariant, Op> {
    return selectVariant(cpuVariants, op, geometry, { forced: variant ?? this.forced, where: (v) => v.isa === this.isa, label: this.isa });
  }

  /**
   * The int8 variant that runs an int8 op on `geometry` (`op` is the float op whose geometry it
   * has): the forced one when it applies, else the first of this ISA that supports it.
   */
  selectQuantized<Op extends KernelName>(op: Op, geometry: GeometryOf<Op>): VariantFor<CpuQuantizedVariant, Op> {
    return selectVariant(cpuQuantizedVariants, op, geometry, {
      forced: this.forcedQuantized,
      where: (v) => dispatchableOn(v, this.isa),
      label: this.isa,
    });
  }

  /** Places int8 tensor `t` in this backend's heap: in place for its own tensors, otherwise copied. */
  int8Input(op: string, argument: string, t: QuantizedTensor): HeapInput {
    if (t instanceof CpuQuantizedTensor && t.heap === this.heap) {
      if (t.isDisposed) throw new BackendError(op, argument, `${argument} has been disposed`);
      const failure = this.heap.failure(t.address);
      if (failure) throw new BackendError(op, argument, `${argument} holds no result: ${failure.message}`);
      return { address: t.address, release: () => {} };
    }
    const data = this.int8Data(op, argument, t);
    const address = this.heap.allocHost(data.length, op);
    new Int8Array(this.heap.memory.buffer, address, data.length).set(this.int8Data(op, argument, t));
    return { address, release: () => this.heap.release(address) };
  }

  /** The elements of a host int8 tensor or of any CPU backend's int8 tensor, without copying (valid until the next allocation). */
  int8Data(op: string, argument: string, t: QuantizedTensor): Int8Array {
    if (isHostQuantizedTensor(t)) return t.data;
    if (t instanceof CpuQuantizedTensor) {
      if (t.isDisposed) throw new BackendError(op, argument, `${argument} has been disposed`);
      return t.view();
    }
    throw new UnsupportedError(
      op,
      argument,
      `${argument} lives on '${t.location}', which the CPU backend cannot read; read it back to the host first`,
    );
  }

  /** A new uninitialised int8 output tensor in the heap. */
  int8Output(op: string, shape: readonly number[], quantization: QuantParams): CpuQuantizedTensor {
    const size = shape.reduce((product, dim) => product * dim, 1);
    if (size > 2 ** 32 - 2 ** 20) {
      throw new UnsupportedError(op, 'x', `output ${formatShape(shape)} needs more than the 4 GiB a WebAssembly memory can hold`);
    }
    return new CpuQuantizedTensor(this.heap, this.heap.alloc(size, op), Object.freeze([...shape]), quantization);
  }

  /**
   * The address of an int8 layer's `weights` packed by `pack` into `bytes` bytes (at a byte
   * offset of the heap), packed once per weights object and format (see {@link PackedWeightCache}).
   */
  packedInt8(op: string, format: string, weights: QuantizedConvWeights, bytes: number, pack: (out: DataView, byteOffset: number) => void): number {
    return this.packs.get(op, format, weights, undefined, Math.ceil(bytes / 4), (out, offset) => pack(new DataView(out.buffer), offset * 4));
  }

  /** Places tensor `t` in this backend's heap: in place for its own tensors, otherwise copied. */
  input(op: string, argument: string, t: Tensor): HeapInput {
    if (t instanceof CpuTensor && t.heap === this.heap) {
      const failure = this.heap.failure(t.address);
      if (failure) throw new BackendError(op, argument, `${argument} holds no result: ${failure.message}`);
      return { address: t.address, release: () => {} };
    }
    const data = this.hostData(op, argument, t);
    const address = this.heap.allocHost(data.length * 4, op);
    this.heap.floats().set(data, floatIndex(address));
    return { address, release: () => this.heap.release(address) };
  }

  /**
   * A copy of `t` (a host tensor or any CPU backend's tensor) in this backend's heap. The
   * destination is allocated before the source is viewed: growing the heap detaches views of it.
   */
  resident(op: string, argument: string, t: Tensor): CpuTensor {
    if (t instanceof CpuTensor && t.isDisposed) throw new BackendError(op, argument, `${argument} has been disposed`);
    this.hostData(op, argument, t);
    const y = this.output(op, t.shape);
    y.view().set(this.hostData(op, argument, t));
    return y;
  }

  /**
   * The elements of a host tensor or of any CPU backend's tensor, without copying. A host
   * tensor's data must hold exactly the elements its shape says (ShapeError otherwise).
   */
  hostData(op: string, argument: string, t: Tensor): Float32Array {
    if (isHostTensor(t)) {
      assertFloat32Data(op, argument, t.data, t.shape);
      return t.data;
    }
    if (t instanceof CpuTensor) return t.view();
    throw new UnsupportedError(
      op,
      argument,
      `${argument} lives on '${t.location}', which the CPU backend cannot read; read it back to the host first`,
    );
  }

  /**
   * The address of `filter` (with `bias`) packed by `pack` into `floats` floats, packed once
   * per filter tensor, format and bias and reused across calls until the filter is disposed
   * (see {@link PackedWeightCache}). Filters are treated as immutable, as every engine that
   * caches packed weights does.
   */
  packed(
    op: string,
    format: string,
    filter: Tensor,
    bias: Tensor | undefined,
    floats: number,
    pack: (out: Float32Array, offset: number) => void,
  ): number {
    return this.packs.get(op, format, filter, bias, floats, pack);
  }

  /** Frees the packings of `filter` (see {@link PackedWeightCache.release}). */
  releasePacked(filter: Tensor): void {
    this.packs.release(filter);
  }

  /** Runs the kernel calls queued so far (see `JobQueue`); throws the BackendError of one that failed. */
  flush(): void {
    this.heap.settle();
  }

  /** Whether {@link dispose} has run. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** How many times weights have been packed (a cache miss of {@link packed} or {@link packedInt8}). */
  get packings(): number {
    return this.packs.packings;
  }

  /** Frees the packed weights and ends the worker threads; queued calls are dropped. */
  dispose(): void {
    this.disposed = true;
    this.packs.clear();
    this.runtime?.dispose();
  }

  /** A new uninitialised output tensor in the heap. */
  output(op: string, shape: readonly number[]): CpuTensor {
    const size = shape.reduce((product, dim) => product * dim, 1);
    if (size * 4 > 2 ** 32 - 2 ** 20) {
      throw new UnsupportedError(op, 'x', `output ${formatShape(shape)} needs more than the 4 GiB a WebAssembly memory can hold`);
    }
    return new CpuTensor(this.heap, this.heap.alloc(size * 4, op), Object.freeze([...shape]));
  }
}
