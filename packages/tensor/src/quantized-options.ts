import type { ConvActivation, GlobalPool2dOptions, Padding } from './options.js';
import type { QuantParams } from './quant-params.js';

/**
 * Options of the int8 convolutions (`quantizedConv2d`, `quantizedDepthwiseConv2d`,
 * `quantizedPointwiseConv2d`, and the depthwise step of `quantizedSeparableConv2d`): the window
 * only. Bias, activation and quantization belong to the layer's `QuantizedConvWeights`.
 */
export interface QuantizedConv2dOptions {
  /** Step between output positions, one number for both axes or `[height, width]`. Default 1. */
  strides?: number | [number, number] | undefined;
  /** Spacing between kernel taps, one number or `[height, width]`. Default 1. */
  dilations?: number | [number, number] | undefined;
  /** Default `'valid'`; padded taps stand for real 0 (the input's zero point) and add nothing. */
  padding?: Padding | undefined;
}

/** Options of `quantizedAdd`. */
export interface QuantizedAddOptions {
  /** The result's quantization. Required: TensorFlow Lite's int8 add rescales both inputs to it. */
  output: QuantParams;
  /** A clamp of the int8 result; default `'linear'`. */
  activation?: ConvActivation | undefined;
}

/** Options of `quantizedMul`. */
export interface QuantizedMulOptions {
  /** The result's quantization. Required: the product is requantized to it. */
  output: QuantParams;
  /** A clamp of the int8 result; default `'linear'`. */
  activation?: ConvActivation | undefined;
}

/** Options of `quantizedGlobalPool2d`. */
export interface QuantizedGlobalPool2dOptions extends GlobalPool2dOptions {
  /**
   * The result's quantization; default the input's. `'avg'` (TensorFlow Lite's int8 `MEAN`)
   * rescales to any parameters; `'max'` keeps the input's, so only those are accepted.
   */
  output?: QuantParams | undefined;
}
