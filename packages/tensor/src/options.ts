import type { Tensor } from './tensor.js';

/**
 * Padding as TensorFlow defines it: `'valid'` adds none; `'same'` pads so that
 * `out = ceil(in / stride)`, putting the odd extra row/column at the bottom/right;
 * or explicit, possibly asymmetric, amounts per side.
 */
export type Padding = 'same' | 'valid' | { top: number; bottom: number; left: number; right: number };

/** The epilogue applied after bias: none, `max(x, 0)` or `min(max(x, 0), 6)`; NaN stays NaN. */
export type Activation = 'linear' | 'relu' | 'relu6';

/** Every activation name, in the order documentation lists them. */
export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'relu6'];

/** Options of conv2d, depthwiseConv2d and pointwiseConv2d. */
export interface Conv2dOptions {
  /** Step between output positions, one number for both axes or `[height, width]`. Default 1. */
  strides?: number | [number, number];
  /** Spacing between kernel taps, one number or `[height, width]`. Default 1. */
  dilations?: number | [number, number];
  /** Default `'valid'`, as TensorFlow and Keras. */
  padding?: Padding;
  /** `[outChannels]`; for depthwise `[inChannels * multiplier]`. */
  bias?: Tensor;
  /** Default `'linear'`. */
  activation?: Activation;
}

/** Options of separableConv2d: the depthwise step's geometry and epilogue, then the pointwise step's. */
export interface SeparableConv2dOptions {
  /** Depthwise step's strides. Default 1. */
  strides?: number | [number, number];
  /** Depthwise step's dilations. Default 1. */
  dilations?: number | [number, number];
  /** Depthwise step's padding. Default `'valid'`. */
  padding?: Padding;
  /** `[inChannels * multiplier]`, added after the depthwise step. */
  depthwiseBias?: Tensor;
  /** Applied after the depthwise step (MobileNetV1 uses `'relu6'` here). Default `'linear'`. */
  depthwiseActivation?: Activation;
  /** `[outChannels]`, added after the pointwise step. */
  bias?: Tensor;
  /** Applied after the pointwise step. Default `'linear'`. */
  activation?: Activation;
}
