import type { Tensor } from './tensor.js';

/**
 * Padding as TensorFlow defines it: `'valid'` adds none; `'same'` pads so that
 * `out = ceil(in / stride)`, putting the odd extra row/column at the bottom/right;
 * or explicit, possibly asymmetric, amounts per side.
 */
export type Padding = 'same' | 'valid' | ExplicitPadding;

/** Explicit, possibly asymmetric, padding in cells per side of the height and width axes. */
export interface ExplicitPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * An activation applied element-wise (NaN stays NaN):
 * - `linear`: `x`; `relu`: `max(x, 0)`; `relu6`: `min(max(x, 0), 6)`;
 * - `sigmoid`: `1 / (1 + exp(−x))`;
 * - `hardSigmoid`: `relu6(x + 3) / 6` (the Keras / TF-Lite / PyTorch form, not Keras 2's `0.2x + 0.5`);
 * - `hardSwish`: `x · relu6(x + 3) / 6` (so `−∞` gives NaN, as `−∞ · 0` does in TF-Lite).
 *
 * Convolution epilogues take the {@link ConvActivation} subset (all but `sigmoid`).
 */
export type Activation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'hardSigmoid' | 'hardSwish';

/** Every activation name, in the order documentation lists them. */
export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish'];

/**
 * The activations convolution kernels fuse into their epilogue: the clamps (`linear`, `relu`,
 * `relu6`) and the piecewise-linear `hardSigmoid` / `hardSwish` of MobileNetV3, which follow
 * nearly every convolution there. `sigmoid` is refused by the conv ops with an
 * UnsupportedError; apply it with `activation()` after the convolution.
 */
export type ConvActivation = 'linear' | 'relu' | 'relu6' | 'hardSigmoid' | 'hardSwish';

/** Every {@link ConvActivation}. */
export const CONV_ACTIVATIONS: readonly ConvActivation[] = ['linear', 'relu', 'relu6', 'hardSigmoid', 'hardSwish'];

/** Options of the element-wise binary ops `add`, `sub`, `mul` and `div`. */
export interface BinaryOptions {
  /** Applied to the float32 result of the arithmetic. Default `'linear'`. */
  activation?: Activation | undefined;
}

/** Options of `concat`. */
export interface ConcatOptions {
  /** The axis to join along, negative counting from the end. Default `-1` (channels of NHWC). */
  axis?: number | undefined;
}

/** Options of `pad`. */
export interface PadOptions {
  /** The value written into the padded cells. Default `0`. */
  value?: number | undefined;
}

/** Which reduction a pooling op applies over its window. */
export type PoolType = 'avg' | 'max';

/** Options of `pool2d`. */
export interface Pool2dOptions {
  /** `'avg'` (padded cells excluded from the divisor) or `'max'` (padded cells ignored). Required. */
  type: PoolType;
  /** Window size, one number for both axes or `[height, width]`. Required. */
  kernelSize: number | [number, number];
  /** Step between windows, one number or `[height, width]`. Default: `kernelSize`, as Keras. */
  strides?: number | [number, number] | undefined;
  /** Default `'valid'`. An explicit side must be smaller than the window on that axis. */
  padding?: Padding | undefined;
}

/** Options of `globalPool2d`. */
export interface GlobalPool2dOptions {
  /** `'avg'` or `'max'` over the whole height × width. Required. */
  type: PoolType;
}

/** Options of `resizeBilinear`; TF2 `tf.image.resize` semantics by default. */
export interface ResizeBilinearOptions {
  /** Map the corner pixels' centres onto each other (TF1 / tfjs `alignCorners`). Default `false`. */
  alignCorners?: boolean | undefined;
  /** Sample at pixel centres, `(dst + 0.5) · scale − 0.5`. Default `true`, or `false` with `alignCorners` (the pair is refused). */
  halfPixelCenters?: boolean | undefined;
}

/** Options of conv2d, depthwiseConv2d and pointwiseConv2d. */
export interface Conv2dOptions {
  /** Step between output positions, one number for both axes or `[height, width]`. Default 1. */
  strides?: number | [number, number] | undefined;
  /** Spacing between kernel taps, one number or `[height, width]`. Default 1. */
  dilations?: number | [number, number] | undefined;
  /** Default `'valid'`, as TensorFlow and Keras. */
  padding?: Padding | undefined;
  /** `[outChannels]`; for depthwise `[inChannels * multiplier]`. */
  bias?: Tensor | undefined;
  /** Default `'linear'`; a {@link ConvActivation} (`sigmoid` is refused with an UnsupportedError). */
  activation?: Activation | undefined;
  /**
   * A tensor of the output's shape `[batch, outHeight, outWidth, outChannels]` added to the
   * convolution in its epilogue: `y = activation(conv(x) + bias + residual)` — after the bias,
   * before the activation (onnxruntime's FusedConv `Sum` order). MobileNetV2/V3's residual
   * connection without a separate pass over the output; a backend lists the ops that take it in
   * `Backend.residualOps` (others refuse it with an UnsupportedError naming `options.residual`).
   */
  residual?: Tensor | undefined;
  /**
   * Runs this call on the named kernel variant, one of `backend.kernelVariants(call)` (see
   * `TunableBackend`); default: the backend's own dispatch. What an autotuner sets per layer.
   */
  variant?: string | undefined;
}

/** Options of separableConv2d: the depthwise step's geometry and epilogue, then the pointwise step's. */
export interface SeparableConv2dOptions {
  /** Depthwise step's strides. Default 1. */
  strides?: number | [number, number] | undefined;
  /** Depthwise step's dilations. Default 1. */
  dilations?: number | [number, number] | undefined;
  /** Depthwise step's padding. Default `'valid'`. */
  padding?: Padding | undefined;
  /** `[inChannels * multiplier]`, added after the depthwise step. */
  depthwiseBias?: Tensor | undefined;
  /** Applied after the depthwise step (MobileNetV1 uses `'relu6'` here). Default `'linear'`. */
  depthwiseActivation?: Activation | undefined;
  /** `[outChannels]`, added after the pointwise step. */
  bias?: Tensor | undefined;
  /** Applied after the pointwise step. Default `'linear'`. */
  activation?: Activation | undefined;
  /**
   * The output's shape, added after the pointwise step's bias and before its activation (see
   * {@link Conv2dOptions.residual}).
   */
  residual?: Tensor | undefined;
  /** Runs this call on the named separable variant, one of `backend.kernelVariants(call)`; default: the backend's own dispatch. */
  variant?: string | undefined;
}
