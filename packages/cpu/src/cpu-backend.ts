import {
  addGeometry,
  BackendError,
  conv2dGeometry,
  depthwiseConv2dGeometry,
  isHostTensor,
  pointwiseConv2dGeometry,
  reshapeGeometry,
  separableConv2dGeometry,
  softmaxGeometry,
  UnsupportedError,
  type Activation,
  type Backend,
  type Conv2dOptions,
  type SeparableConv2dOptions,
  type Tensor,
} from '@sepconv/tensor';
import type { CpuContext } from './cpu-context.js';
import { CpuTensor } from './cpu-tensor.js';
import type { Isa } from './isa.js';
import { jsAdd } from './kernels/js-add.js';
import { jsSoftmax } from './kernels/js-softmax.js';
import { kernels } from './kernels/kernels.js';

/**
 * The CPU backend: NHWC float32 kernels in WebAssembly SIMD (relaxed-SIMD FMA where the
 * runtime has it) or JavaScript, multi-threaded over shared memory. Results are
 * {@link CpuTensor}s in the backend's WebAssembly memory, so chained ops read them in place;
 * host tensors are copied in per call unless made resident once with `upload()`; `read()` copies out. Create it with `createCpuBackend`.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private disposed = false;

  constructor(
    private readonly ctx: CpuContext,
    /** Threads a kernel may use, the calling thread included. */
    readonly threads: number,
    /** Things worth knowing about how this backend runs, e.g. why it fell back to one thread. */
    readonly notes: readonly string[],
  ) {}

  /** The instruction set dispatch uses: `wasmrelaxedsimd`, `wasmsimd` or `js`. */
  get isa(): Isa {
    return this.ctx.isa;
  }

  /** The forced variant's name, if any (see `CpuBackendOptions.variant`). */
  get variant(): string | undefined {
    return this.ctx.forced?.name;
  }

  /** Bytes of tensors, packed weights and scratch held in the backend's memory. */
  get allocatedBytes(): number {
    return this.ctx.heap.allocatedBytes;
  }

  conv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}): Tensor {
    const geometry = conv2dGeometry(x, filter, options);
    this.checkLive('conv2d');
    return kernels.conv2d(this.ctx, { x, filter, bias: options.bias, geometry });
  }

  depthwiseConv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}): Tensor {
    const geometry = depthwiseConv2dGeometry(x, filter, options);
    this.checkLive('depthwiseConv2d');
    return kernels.depthwiseConv2d(this.ctx, { x, filter, bias: options.bias, geometry });
  }

  pointwiseConv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}): Tensor {
    const geometry = pointwiseConv2dGeometry(x, filter, options);
    this.checkLive('pointwiseConv2d');
    return kernels.pointwiseConv2d(this.ctx, { x, filter, bias: options.bias, geometry });
  }

  separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, options: SeparableConv2dOptions = {}): Tensor {
    const geometry = separableConv2dGeometry(x, depthwiseFilter, pointwiseFilter, options);
    this.checkLive('separableConv2d');
    return kernels.separableConv2d(this.ctx, {
      x,
      depthwiseFilter,
      pointwiseFilter,
      depthwiseBias: options.depthwiseBias,
      bias: options.bias,
      geometry,
    });
  }

  /**
   * The optional `add` capability: element-wise `a + b` of two equally shaped tensors (host
   * tensors or this backend's), then `activation` (default `'linear'`), as a {@link CpuTensor}
   * — MobileNetV2's residual connection without leaving the backend.
   */
  add(a: Tensor, b: Tensor, options: { activation?: Activation } = {}): CpuTensor {
    const geometry = addGeometry(a, b, options);
    this.checkLive('add');
    // Check both are readable before allocating; view them after, as allocation may grow the heap.
    this.ctx.hostData('add', 'a', a);
    this.ctx.hostData('add', 'b', b);
    const y = this.ctx.output('add', geometry.shape);
    jsAdd(this.ctx.hostData('add', 'a', a), this.ctx.hostData('add', 'b', b), y.view(), geometry);
    return y;
  }

  /**
   * The optional `softmax` capability: softmax over the last axis of `x` (a host tensor or this
   * backend's, rank ≥ 1), max-subtracted so large logits do not overflow, as a {@link CpuTensor}
   * of the same shape — a classifier's last step without leaving the backend.
   */
  softmax(x: Tensor): CpuTensor {
    const geometry = softmaxGeometry(x);
    this.checkLive('softmax');
    this.ctx.hostData('softmax', 'x', x);
    const y = this.ctx.output('softmax', geometry.shape);
    jsSoftmax(this.ctx.hostData('softmax', 'x', x), y.view(), geometry);
    return y;
  }

  /**
   * The optional `reshape` capability: the elements of `x` in the same order under `shape` (same
   * element count), copied into a new {@link CpuTensor} so it and `x` are disposed independently.
   */
  reshape(x: Tensor, shape: readonly number[]): CpuTensor {
    const geometry = reshapeGeometry(x, shape);
    this.checkLive('reshape');
    this.ctx.hostData('reshape', 'x', x);
    const y = this.ctx.output('reshape', geometry.shape);
    y.view().set(this.ctx.hostData('reshape', 'x', x));
    return y;
  }

  /**
   * Copies `x` (a host tensor, any shape, float32) into this backend's memory once and returns
   * it as a {@link CpuTensor}, so ops that take it read it in place instead of copying it in on
   * every call — as tfjs keeps a tensor in its backend and ONNX Runtime binds an input buffer.
   * The copy is independent of `x`; `dispose()` it when done. A tensor of another CPU backend
   * is copied too; one on another device (WebGPU) must be read back to the host first.
   */
  upload(x: Tensor): CpuTensor {
    this.checkLive('upload');
    return this.ctx.resident('upload', 'x', x);
  }

  async read(x: Tensor): Promise<Float32Array> {
    if (x instanceof CpuTensor) {
      if (x.isDisposed) throw new BackendError('read', 'x', 'x has been disposed');
      // The constructor copies into fresh memory without zero-filling it first: 0.05 ms where
      // slice() took 0.12 ms for 1.6 MB (Node 20, a third of a 56×56×128 depthwise layer's time).
      return new Float32Array(x.view());
    }
    if (isHostTensor(x)) return new Float32Array(x.data);
    throw new UnsupportedError('read', 'x', `x lives on '${x.location}', not on the CPU backend`);
  }

  /** Ends the worker threads; the backend cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ctx.runtime?.dispose();
  }

  private checkLive(op: string): void {
    if (this.disposed) throw new BackendError(op, 'backend', 'the CPU backend has been disposed');
  }
}
