import type { Padding } from '@sepconv/tensor';
import { activationLayer, batchNormLayer, depthwiseConv2dLayer, pointwiseConv2dLayer, type LayerSpec } from '@sepconv/graph';
import { checkOptions, integerAtLeast } from './model-options.js';

/** Options of {@link depthwiseSeparableBlock}. */
export interface DepthwiseSeparableBlockOptions {
  /** NHWC `[batch, height, width, inChannels]`. */
  inputShape: readonly number[];
  /** Output channels of the pointwise step (already scaled by any width multiplier). */
  outChannels: number;
  /** Names the layers as Keras's MobileNet does: `conv_dw_<id>`, `conv_pw_<id>_bn`, … Default 1. */
  blockId?: number | undefined;
  /** Depthwise kernel. Default 3. */
  kernelSize?: number | undefined;
  /** Depthwise strides. Default 1. */
  strides?: number | undefined;
  /** Depthwise channel multiplier (Keras's `depth_multiplier`). Default 1. */
  channelMultiplier?: number | undefined;
  /** Depthwise padding. Default `'same'`. */
  padding?: Padding | undefined;
}

/**
 * MobileNetV1's building block (Howard et al. 2017, Figure 3): depthwise 3×3 conv, batch norm,
 * ReLU6, then pointwise 1×1 conv, batch norm, ReLU6 — six layers, convolutions without bias
 * since batch norm follows. Returns the layers to splice into a model's list.
 * @throws ShapeError / ValueError naming the layer builder and option at fault.
 */
export function depthwiseSeparableBlock(options: DepthwiseSeparableBlockOptions): LayerSpec[] {
  const op = 'depthwiseSeparableBlock';
  checkOptions(op, options);
  const id = integerAtLeast(op, 'options.blockId', options.blockId, 1, 0);
  const depthwise = depthwiseConv2dLayer({
    name: `conv_dw_${id}`,
    inputShape: options.inputShape,
    kernelSize: options.kernelSize ?? 3,
    channelMultiplier: options.channelMultiplier,
    strides: options.strides,
    padding: options.padding ?? 'same',
  });
  const depthwiseBn = batchNormLayer({ name: `conv_dw_${id}_bn`, inputShape: depthwise.outputShape });
  const depthwiseRelu = activationLayer({ name: `conv_dw_${id}_relu`, inputShape: depthwise.outputShape, activation: 'relu6' });
  const pointwise = pointwiseConv2dLayer({ name: `conv_pw_${id}`, inputShape: depthwise.outputShape, outChannels: options.outChannels });
  const pointwiseBn = batchNormLayer({ name: `conv_pw_${id}_bn`, inputShape: pointwise.outputShape });
  const pointwiseRelu = activationLayer({ name: `conv_pw_${id}_relu`, inputShape: pointwise.outputShape, activation: 'relu6' });
  return [depthwise, depthwiseBn, depthwiseRelu, pointwise, pointwiseBn, pointwiseRelu];
}
