import type { BinaryGeometry } from './binary-geometry.js';
import type { ConcatGeometry } from './concat-geometry.js';
import type { SeparableConv2dGeometry, Conv2dGeometry } from './conv-geometry.js';
import type { GlobalPool2dGeometry } from './global-pool2d-geometry.js';
import type {
  Activation,
  BinaryOptions,
  ConcatOptions,
  Conv2dOptions,
  ExplicitPadding,
  GlobalPool2dOptions,
  PadOptions,
  Pool2dOptions,
  ResizeBilinearOptions,
  SeparableConv2dOptions,
} from './options.js';
import type { PadGeometry } from './pad-geometry.js';
import type { QuantizedCapabilitySignatures, QuantizedReadback } from './quantized-backend.js';
import type { QuantizedCapabilityKernelInputs, QuantizedResultCapability } from './quantized-kernel-inputs.js';
import type { QuantizedTensor } from './quantized-tensor.js';
import type { Pool2dGeometry } from './pool2d-geometry.js';
import type { ReshapeGeometry } from './reshape-geometry.js';
import type { ResizeBilinearGeometry } from './resize-bilinear-geometry.js';
import type { SoftmaxGeometry } from './softmax-geometry.js';
import type { Tensor } from './tensor.js';
import type { TunableBackend } from './kernel-variants.js';
import type { LoweringPreferences } from './lowering-preferences.js';
import type { AsyncTensorScope } from './tensor-scope.js';
import type { UnaryGeometry } from './unary-geometry.js';

/**
 * What every sepconv backend implements (reference, CPU, WebGPU). Activations are NHWC
 * float32; tensors returned by a backend stay where the backend keeps them until `read()`.
 * Every method validates its input and throws the typed errors of `@sepconv/tensor`.
 * The int8 operations (`quantize`, `quantizedConv2d`, …, `readQuantized`) are optional
 * capabilities too, listed in {@link QuantizedCapabilitySignatures}; `kernelVariants` and
 * `fingerprint` are the optional {@link TunableBackend} capabilities.
 */
export interface Backend extends Partial<QuantizedCapabilitySignatures<Tensor> & QuantizedReadback & TunableBackend> {
  readonly name: string;
  /**
   * Optional: how this backend would have a model compiler lower an operation that can run more
   * than one way (see {@link LoweringPreferences}); absent, every operation gets the compiler's default.
   */
  readonly loweringPreferences?: LoweringPreferences | undefined;
  /** Standard convolution. `filter`: `[kernelHeight, kernelWidth, inChannels, outChannels]`. */
  conv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Tensor;
  /** One filter per channel. `filter`: `[kernelHeight, kernelWidth, inChannels, multiplier]`; output channel `c * multiplier + m`. */
  depthwiseConv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Tensor;
  /** 1×1 convolution, a matrix product over channels. `filter`: `[inChannels, outChannels]`. */
  pointwiseConv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Tensor;
  /** Depthwise (strides, dilations, padding, depthwise bias/activation) then pointwise (bias/activation). */
  separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, options?: SeparableConv2dOptions): Tensor;
  /**
   * The convolutions that take `options.residual` (added after the bias, before the
   * activation); absent or empty: none, and a call with a residual is refused with an
   * UnsupportedError naming `options.residual`. A model runtime folds a convolution's residual
   * `add` into the convolution only for these ops, keeping the separate add step elsewhere.
   */
  readonly residualOps?: readonly KernelName[];
  /**
   * Optional capability: element-wise `a + b` with NumPy / ONNX broadcasting (see
   * `binaryGeometry`), then `activation` (default `'linear'`) — MobileNetV2's residual
   * connection, a per-channel offset. A backend that keeps tensors on a device declares it so a
   * network with residuals runs without reading back between layers; callers fall back to host
   * arithmetic when it is absent and the tensors are host tensors.
   */
  add?(a: Tensor, b: Tensor, options?: BinaryOptions): Tensor;
  /** Optional capability: element-wise `a − b`, broadcasting as {@link Backend.add}. */
  sub?(a: Tensor, b: Tensor, options?: BinaryOptions): Tensor;
  /** Optional capability: element-wise `a · b`, broadcasting as {@link Backend.add} (squeeze-and-excitation's channel scale). */
  mul?(a: Tensor, b: Tensor, options?: BinaryOptions): Tensor;
  /** Optional capability: element-wise `a / b`, broadcasting as {@link Backend.add}; IEEE, so `x / 0` is ±Infinity or NaN. */
  div?(a: Tensor, b: Tensor, options?: BinaryOptions): Tensor;
  /** Optional capability: `activation` applied element-wise to `x` (any shape), the result the shape of `x`. */
  activation?(x: Tensor, activation: Activation): Tensor;
  /** Optional capability: `xs` (one or more, one rank, equal but for `axis`) joined along `options.axis` (default −1, channels). */
  concat?(xs: readonly Tensor[], options?: ConcatOptions): Tensor;
  /** Optional capability: NHWC `x` with `padding` cells of `options.value` (default 0) added around height and width. */
  pad?(x: Tensor, padding: ExplicitPadding, options?: PadOptions): Tensor;
  /** Optional capability: average or max pooling of NHWC `x` over a sliding window, TensorFlow semantics (see `pool2dGeometry`). */
  pool2d?(x: Tensor, options: Pool2dOptions): Tensor;
  /** Optional capability: average or max of NHWC `x` over height and width, `[batch, 1, 1, channels]`. */
  globalPool2d?(x: Tensor, options: GlobalPool2dOptions): Tensor;
  /** Optional capability: bilinear resize of NHWC `x` to `[batch, size[0], size[1], channels]`, TF2 semantics by default. */
  resizeBilinear?(x: Tensor, size: readonly [number, number], options?: ResizeBilinearOptions): Tensor;
  /**
   * Optional capability: softmax over the last axis (same shape as `x`, rank ≥ 1), computed
   * stably by subtracting each row's maximum. Declared so a classifier's final softmax runs
   * where its logits are, and `predict` returns a device tensor.
   *
   * Non-finite rows give what the max-subtracted formula gives in IEEE arithmetic, as
   * TensorFlow and ONNX Runtime compute it, on every backend:
   * - a row containing NaN or +Infinity is all NaN;
   * - a −Infinity entry gives 0 (the other entries are the softmax of the finite ones);
   * - a row of only −Infinity is all NaN.
   * `referenceSoftmax` (`@sepconv/tensor/reference`) is the executable definition; GPUs may
   * flush subnormal results to 0.
   */
  softmax?(x: Tensor): Tensor;
  /**
   * Optional capability: the same elements in the same row-major order under a new `shape` with
   * the same element count (e.g. `[batch, 1, 1, classes]` → `[batch, classes]`). The result is a
   * new tensor that the caller disposes independently of `x`.
   */
  reshape?(x: Tensor, shape: readonly number[]): Tensor;
  /** Copies a tensor's data to the host; the only way data comes back from a device. */
  read(x: Tensor): Promise<Float32Array>;
  /**
   * Runs `fn` synchronously and disposes every tensor this backend's operations returned
   * meanwhile (uploads included), except those in `fn`'s result: a tensor, or arrays and plain
   * records of tensors, nested (other values pass through untouched). When `fn` throws,
   * everything it created is disposed and the error goes on. Scopes nest: what an inner scope
   * returns belongs to the scope around it. Tensors of other backends and host tensors made with
   * `tensor()` are not tracked.
   *
   * ```ts
   * const probabilities = backend.scope(() => backend.softmax!(backend.conv2d(x, filter)));
   * ```
   * @throws ValueError naming `fn` when it is not a function or returns a promise (use {@link Backend.scopeAsync}).
   */
  scope<R>(fn: () => R): R;
  /**
   * The async form of {@link Backend.scope}. Other work on the backend may run at every `await`,
   * so an async function's tensors are the ones it gives its scope: what `scope.run(block)`
   * blocks create (each a synchronous {@link Backend.scope} whose result stays alive) and what it
   * hands to `scope.track(value)`. When the promise settles, those not in its resolved value are
   * disposed (all of them on a rejection, which passes on).
   *
   * ```ts
   * const label = await backend.scopeAsync(async (scope) => {
   *   const y = scope.run(() => model.predict(x));
   *   const probabilities = await backend.read(y);
   *   return probabilities.indexOf(Math.max(...probabilities)); // y is disposed when this returns
   * });
   * ```
   * @throws ValueError naming `fn` when it is not a function.
   */
  scopeAsync<R>(fn: (scope: AsyncTensorScope) => Promise<R>): Promise<R>;
  /** Releases every resource the backend holds (workers, device memory). */
  dispose(): void;
}

/** The operations of {@link Backend} that compute, one kernel each. */
export type KernelName = 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d' | 'separableConv2d';

/** The optional capabilities a backend may declare in its {@link KernelTable}. */
export type CapabilityName = keyof CapabilityKernelInputs<unknown>;

/** Inputs of a single-step convolution kernel, already validated. */
export interface ConvKernelInputs<T> {
  readonly x: T;
  readonly filter: T;
  readonly bias?: T | undefined;
  /** `options.residual`, the output's shape; present exactly when `geometry.hasResidual`. */
  readonly residual?: T | undefined;
  readonly geometry: Conv2dGeometry;
  /** The variant the call asked for (`options.variant`), already checked to run `geometry`; undefined: the backend's dispatch. */
  readonly variant?: string | undefined;
}

/** Inputs of a separable convolution kernel, already validated. */
export interface SeparableKernelInputs<T> {
  readonly x: T;
  readonly depthwiseFilter: T;
  readonly pointwiseFilter: T;
  readonly depthwiseBias?: T | undefined;
  readonly bias?: T | undefined;
  /** `options.residual`, the output's shape; present exactly when `geometry.pointwise.hasResidual`. */
  readonly residual?: T | undefined;
  readonly geometry: SeparableConv2dGeometry;
  /** The variant the call asked for (`options.variant`), already checked to run `geometry`; undefined: the backend's dispatch. */
  readonly variant?: string | undefined;
}

/** Inputs of an element-wise binary kernel (`add`, `sub`, `mul`, `div`), already validated; `geometry.op` says which. */
export interface BinaryKernelInputs<T> {
  readonly a: T;
  readonly b: T;
  readonly geometry: BinaryGeometry;
}

/** Inputs of an element-wise add kernel: {@link BinaryKernelInputs} with `geometry.op === 'add'`. */
export type AddKernelInputs<T> = BinaryKernelInputs<T>;

/** Inputs of an element-wise activation kernel, already validated. */
export interface ActivationKernelInputs<T> {
  readonly x: T;
  readonly geometry: UnaryGeometry;
}

/** Inputs of a concat kernel, already validated: `xs` in order, at least one. */
export interface ConcatKernelInputs<T> {
  readonly xs: readonly T[];
  readonly geometry: ConcatGeometry;
}

/** Inputs of a pad kernel, already validated. */
export interface PadKernelInputs<T> {
  readonly x: T;
  readonly geometry: PadGeometry;
}

/** Inputs of a windowed pooling kernel, already validated. */
export interface Pool2dKernelInputs<T> {
  readonly x: T;
  readonly geometry: Pool2dGeometry;
}

/** Inputs of a global pooling kernel, already validated. */
export interface GlobalPool2dKernelInputs<T> {
  readonly x: T;
  readonly geometry: GlobalPool2dGeometry;
}

/** Inputs of a bilinear resize kernel, already validated. */
export interface ResizeBilinearKernelInputs<T> {
  readonly x: T;
  readonly geometry: ResizeBilinearGeometry;
}

/** Inputs of a softmax kernel, already validated. */
export interface SoftmaxKernelInputs<T> {
  readonly x: T;
  readonly geometry: SoftmaxGeometry;
}

/** Inputs of a reshape kernel, already validated (same element count). */
export interface ReshapeKernelInputs<T> {
  readonly x: T;
  readonly geometry: ReshapeGeometry;
}

/** Inputs of an upload kernel: a live float32 tensor (any shape) to copy into the backend. */
export interface UploadKernelInputs<T> {
  readonly x: T;
}

/**
 * The inputs of each optional capability's kernel, by capability: the one list the optional
 * members of {@link KernelTable} and {@link CapabilityName} are read from. The int8 capabilities
 * come from {@link QuantizedCapabilityKernelInputs}.
 */
export interface CapabilityKernelInputs<T> extends QuantizedCapabilityKernelInputs<T> {
  /** {@link Backend.add}. */
  add: AddKernelInputs<T>;
  /** {@link Backend.sub}. */
  sub: BinaryKernelInputs<T>;
  /** {@link Backend.mul}. */
  mul: BinaryKernelInputs<T>;
  /** {@link Backend.div}. */
  div: BinaryKernelInputs<T>;
  /** {@link Backend.activation}. */
  activation: ActivationKernelInputs<T>;
  /** {@link Backend.concat}. */
  concat: ConcatKernelInputs<T>;
  /** {@link Backend.pad}. */
  pad: PadKernelInputs<T>;
  /** {@link Backend.pool2d}. */
  pool2d: Pool2dKernelInputs<T>;
  /** {@link Backend.globalPool2d}. */
  globalPool2d: GlobalPool2dKernelInputs<T>;
  /** {@link Backend.resizeBilinear}. */
  resizeBilinear: ResizeBilinearKernelInputs<T>;
  /** {@link Backend.softmax}. */
  softmax: SoftmaxKernelInputs<T>;
  /** {@link Backend.reshape}; the result must be disposable independently of `x`. */
  reshape: ReshapeKernelInputs<T>;
  /** An `upload(x)` method that copies `x` into the backend once (device-resident inputs). */
  upload: UploadKernelInputs<T>;
}

/**
 * The typed table of a backend's kernels (each returns a new tensor, never one of its inputs:
 * a scope disposes what the operations it watched returned): `export const kernels = {…} satisfies
 * KernelTable<Ctx, T, R>` makes a missing kernel a compile error, and an optional capability
 * declared with the wrong signature (or a misspelt name) one too. `defineBackend` turns the
 * table into a {@link Backend}: it validates each call, computes its geometry, checks the
 * backend is alive and exposes an optional capability exactly when the table declares it.
 * `Ctx` is the backend's state, `T` its tensor type, `R` a kernel's result (the tensor returned).
 * The optional kernels, one per {@link CapabilityName}, take their {@link CapabilityKernelInputs};
 * the int8 ones but `dequantize` return an int8 tensor (the backend's own {@link QuantizedTensor}).
 */
export type KernelTable<Ctx, T, R> = {
  conv2d(ctx: Ctx, inputs: ConvKernelInputs<T>): R;
  depthwiseConv2d(ctx: Ctx, inputs: ConvKernelInputs<T>): R;
  pointwiseConv2d(ctx: Ctx, inputs: ConvKernelInputs<T>): R;
  separableConv2d(ctx: Ctx, inputs: SeparableKernelInputs<T>): R;
} & {
  [C in keyof CapabilityKernelInputs<T>]?: (
    ctx: Ctx,
    inputs: CapabilityKernelInputs<T>[C],
  ) => C extends QuantizedResultCapability ? QuantizedTensor : R;
};

/**
 * One implementation of one kernel, e.g. `dwconv2d-nhwc-3x3s1-f32-wasmsimd`: named in a fixed
 * order (op, layout, shape specialisation, dtype, instruction set), with the predicate that
 * says which geometries it handles. Backends list their variants as data in one place;
 * dispatch, the conformance suite (which forces each one) and the benchmark read that list.
 */
export type KernelVariant =
  | {
      readonly name: string;
      readonly op: Exclude<KernelName, 'separableConv2d'>;
      supports(geometry: Conv2dGeometry): boolean;
    }
  | {
      readonly name: string;
      readonly op: 'separableConv2d';
      supports(geometry: SeparableConv2dGeometry): boolean;
    };
