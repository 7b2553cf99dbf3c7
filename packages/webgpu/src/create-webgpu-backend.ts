import {
  assertTensor,
  defineBackend,
  isHostTensor,
  UnsupportedError,
  type Activation,
  type Backend,
  type BinaryOptions,
  type ConcatOptions,
  type Conv2dOptions,
  type ExplicitPadding,
  type GlobalPool2dOptions,
  type PadOptions,
  type Pool2dOptions,
  type ResizeBilinearOptions,
  type SeparableConv2dOptions,
  type Tensor,
  type KernelCall,
} from '@sepconv/tensor';
import type { BufferPoolStats } from './buffer-pool.js';
import { GpuTensor } from './gpu-tensor.js';
import { readInt8 } from './int8-buffers.js';
import { kernels } from './kernels.js';
import { requestWebGpuDevice } from './request-webgpu-device.js';
import { validateWebGpuOptions } from './validate-webgpu-options.js';
import { webGpuVariants, type WebGpuVariant } from './variants.js';
import { webGpuFingerprint } from './webgpu-fingerprint.js';
import { hasPackedIntegerDot } from './wgsl-language-features.js';
import { WebGpuContext } from './webgpu-context.js';

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions {
  /**
   * Run on this device; the backend then leaves it alive on `dispose()`. Default: a new
   * device from `adapter`, `navigator.gpu`, or in Node the optional `webgpu` package (Dawn).
   */
  device?: GPUDevice | undefined;
  /** Request the device from this adapter (ignored when `device` is given). */
  adapter?: GPUAdapter | undefined;
  /** Passed to `requestAdapter` when the backend requests one; default `'high-performance'`. */
  powerPreference?: GPUPowerPreference | undefined;
  /**
   * Force one kernel variant (a name from {@link webGpuVariants}): every call whose op and
   * geometry it supports runs on it; other calls use normal dispatch. For tests and benchmarks.
   */
  variant?: string | undefined;
}

/** The WebGPU backend: the `Backend` contract plus device-resident tensors. */
export interface WebGpuBackend extends Backend {
  readonly name: 'webgpu';
  /** The device every tensor of this backend lives on. */
  readonly device: GPUDevice;
  /** Every kernel variant, in dispatch order. */
  readonly variants: readonly WebGpuVariant[];
  /** `TunableBackend.kernelVariants`: the rows of {@link webGpuVariants} that can run `call`, dispatch order first; `options.variant` runs one. */
  kernelVariants(call: KernelCall): readonly string[];
  /** `TunableBackend.fingerprint`: the adapter's vendor, architecture, device and description (`GPUDevice.adapterInfo`). */
  fingerprint(): string;
  /** Copies a host tensor to the device, e.g. weights used by many calls. Dispose it when done. */
  upload(x: Tensor): GpuTensor;
  /** GPU memory held for tensors: live in tensors and pooled for reuse. */
  memory(): BufferPoolStats;
  /**
   * Submits the commands recorded so far. Ops are recorded into a shared command encoder and
   * submitted in batches (every 16 dispatches, and before `read()`, `upload()` or `time()`);
   * call this before your own commands on `device` use a {@link GpuTensor}'s `buffer`.
   */
  flush(): void;
  /**
   * GPU seconds of the compute passes `fn` records (synchronously), from `timestamp-query`
   * begin/end stamps, summed; resolves once the GPU has run them. For benchmarks.
   * @throws UnsupportedError when the device lacks `timestamp-query` (`requestWebGpuDevice` asks for it when the adapter has it).
   */
  time(fn: () => void): Promise<number>;
  conv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): GpuTensor;
  depthwiseConv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): GpuTensor;
  pointwiseConv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): GpuTensor;
  separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, options?: SeparableConv2dOptions): GpuTensor;
  /**
   * Element-wise `a + b` with NumPy / ONNX broadcasting (right-aligned, each pair of dims equal
   * or 1: a scalar, a per-channel `[C]`, SE's `[N,1,1,C]`, or the same shape), then
   * `activation` (default `'linear'`); the result has the broadcast shape and stays on the GPU.
   * One program (`binary-broadcast-f32`) for add/sub/mul/div, vec4 when the innermost
   * broadcast axis is a multiple of 4.
   * @throws ShapeError naming `add` and `b` when the shapes do not broadcast; ValueError for an
   *   unknown activation; UnsupportedError for a broadcast that keeps more than 4 axes after
   *   merging contiguous ones (only possible above rank 4).
   */
  add(a: Tensor, b: Tensor, options?: BinaryOptions): GpuTensor;
  /** Element-wise `a − b`, broadcasting and errors as {@link WebGpuBackend.add}. */
  sub(a: Tensor, b: Tensor, options?: BinaryOptions): GpuTensor;
  /** Element-wise `a · b`, broadcasting and errors as {@link WebGpuBackend.add} (squeeze-and-excitation's channel scale). */
  mul(a: Tensor, b: Tensor, options?: BinaryOptions): GpuTensor;
  /** Element-wise `a / b` (IEEE: `x / 0` is ±Infinity, `0 / 0` NaN), broadcasting and errors as {@link WebGpuBackend.add}. */
  div(a: Tensor, b: Tensor, options?: BinaryOptions): GpuTensor;
  /**
   * `activation` (`'linear'`, `'relu'`, `'relu6'`, `'sigmoid'`, `'hardSigmoid'`, `'hardSwish'`)
   * element-wise on `x` of any shape; NaN stays NaN.
   * @throws ValueError naming `activation` for a missing or unknown name.
   */
  activation(x: Tensor, activation: Activation): GpuTensor;
  /**
   * `xs` (one or more, one rank, equal but along `options.axis`, default −1: NHWC channels)
   * joined along the axis: one copy dispatch per input into one GPU buffer.
   * @throws ValueError / ShapeError naming `concat` and `xs` or `xs[i]`.
   */
  concat(xs: readonly Tensor[], options?: ConcatOptions): GpuTensor;
  /** NHWC `x` with `padding` cells of `options.value` (default 0) around height and width. */
  pad(x: Tensor, padding: ExplicitPadding, options?: PadOptions): GpuTensor;
  /**
   * Average or max pooling of NHWC `x` over a window, TensorFlow semantics (`'same'` /
   * `'valid'` / explicit padding; the average excludes padded cells from its divisor, the
   * maximum ignores them; NaN propagates).
   */
  pool2d(x: Tensor, options: Pool2dOptions): GpuTensor;
  /** Average or max of NHWC `x` over height and width, `[batch, 1, 1, channels]`: one workgroup reduction per (image, 4 channels). */
  globalPool2d(x: Tensor, options: GlobalPool2dOptions): GpuTensor;
  /**
   * Bilinear resize of NHWC `x` to `[batch, size[0], size[1], channels]`: half-pixel centres by
   * default (TF2 `tf.image.resize`), or `alignCorners`, or neither (TF1's asymmetric mapping).
   */
  resizeBilinear(x: Tensor, size: readonly [number, number], options?: ResizeBilinearOptions): GpuTensor;
  /**
   * Softmax over the last axis (rank ≥ 1), max-subtracted, kept on the GPU: a classifier's last step.
   * @throws ShapeError naming `softmax` and `x` for a scalar or an empty last axis.
   */
  softmax(x: Tensor): GpuTensor;
  /**
   * The elements of `x` in the same order under `shape` (same element count), copied into a new
   * GPU buffer so the result and `x` are disposed independently.
   * @throws ShapeError naming `reshape` and `shape` for a malformed shape or another element count.
   */
  reshape(x: Tensor, shape: readonly number[]): GpuTensor;
}

/**
 * Creates the WebGPU backend: WGSL compute kernels for NHWC float32 depthwise (tiled, 4
 * channels per invocation), pointwise (tiled matrix product), standard (implicit GEMM) and
 * fused separable convolution, with fused bias / ReLU / ReLU6, and the optional graph
 * operations: broadcasting `add` / `sub` / `mul` / `div`, `activation`, `concat`, `pad`,
 * `pool2d`, `globalPool2d`, `resizeBilinear`, `softmax` and `reshape`. Inputs may be host
 * tensors (uploaded for the call) or this backend's tensors; results stay on the GPU until `read()`.
 * `dispose()` releases every buffer, and the device when the backend created it.
 * @throws UnsupportedError when the runtime has no WebGPU; BackendError when no adapter or device is found;
 *   ValueError naming the option for a malformed one (not a GPUDevice / GPUAdapter, an unknown
 *   `powerPreference` or `variant`).
 */
export async function createWebGpuBackend(given: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const op = 'createWebGpuBackend';
  const options = validateWebGpuOptions(op, given);
  const device = options.device ?? (await requestWebGpuDevice({ adapter: options.adapter, powerPreference: options.powerPreference }, op));
  const ctx = new WebGpuContext(device, options.variant, options.device === undefined, await hasPackedIntegerDot());
  return defineBackend({
    name: 'webgpu',
    label: 'WebGPU',
    context: ctx,
    kernels,
    read: readWebGpu,
    readQuantized: readInt8,
    dispose: (context) => context.dispose(),
    variants: () => webGpuVariants,
    fingerprint: () => webGpuFingerprint(device),
    // Global average pooling stays the full-window depthwise conv fused with the pointwise conv
    // after it: on SwiftShader that pair ran MobileNetV3-Large's eight squeeze-and-excitation
    // pools and its classifier pool in 62 ms against 132 ms as globalPool2d then the pointwise
    // conv (medians, interleaved; the step won only at 72 and 120 channels, by 1.3×).
    loweringPreferences: { globalAveragePool: 'depthwiseConv2d' },
    // The vec4 pointwise programs add a residual in their store; every other program (and the
    // fused separable kernel) runs without the activation, then one add dispatch applies both.
    residualOps: ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'],
    extras: {
      device,
      variants: webGpuVariants,
      memory: () => ctx.memory(),
      flush: () => ctx.flush(),
      time: (fn: () => void) => ctx.time(fn),
    },
  });
}

async function readWebGpu(ctx: WebGpuContext, x: Tensor): Promise<Float32Array> {
  assertTensor('read', 'x', x);
  if (isHostTensor(x)) return x.data.slice();
  if (!(x instanceof GpuTensor) || x.owner !== ctx) {
    throw new UnsupportedError('read', 'x', `x is a tensor on '${x.location}' that this WebGPU backend does not own`);
  }
  return ctx.read(x);
}
