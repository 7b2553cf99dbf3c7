import { describeValue, ValueError } from '@sepconv/tensor';
import { activationLayer, addLayer, batchNormLayer, depthwiseConv2dLayer, pointwiseConv2dLayer, type LayerSpec } from '@sepconv/graph';
import { checkOptions, integerAtLeast, nhwcShape } from './model-options.js';

/** Options of {@link invertedResidualBlock}. */
export interface InvertedResidualBlockOptions {
  /** NHWC `[batch, height, width, inChannels]`. */
  inputShape: readonly number[];
  /** Name of the layer whose output is the block's input: the residual add reads it. */
  inputName: string;
  /** Output channels of the linear projection (already rounded, see `makeDivisible`). */
  outChannels: number;
  /** Expansion factor t: the expanded width is `t × inChannels`; no expansion conv when 1. Default 6. */
  expansion?: number | undefined;
  /** Depthwise strides. Default 1. */
  strides?: number | undefined;
  /** Depthwise kernel. Default 3. */
  kernelSize?: number | undefined;
  /**
   * Names the layers as Keras's MobileNetV2 does: block 0 is `expanded_conv_*`, block n is
   * `block_<n>_expand`, `block_<n>_depthwise_BN`, `block_<n>_add`, … Default 1.
   */
  blockId?: number | undefined;
}

/**
 * MobileNetV2's inverted residual block (Sandler et al. 2018, Table 1 and Figure 4): 1×1
 * expansion conv + batch norm + ReLU6 (when expansion > 1), 3×3 depthwise conv + batch norm +
 * ReLU6, 1×1 linear projection + batch norm, and a residual add when the stride is 1 and the
 * channel count is kept. All padding `'same'` (equal to Keras's `correct_pad` then `'valid'`).
 * @throws ShapeError / ValueError naming the layer builder and option at fault.
 */
export function invertedResidualBlock(options: InvertedResidualBlockOptions): LayerSpec[] {
  const op = 'invertedResidualBlock';
  checkOptions(op, options);
  const id = integerAtLeast(op, 'options.blockId', options.blockId, 1, 0);
  const expansion = integerAtLeast(op, 'options.expansion', options.expansion, 6, 1);
  const strides = integerAtLeast(op, 'options.strides', options.strides, 1, 1);
  if (typeof options.inputName !== 'string' || options.inputName.length === 0) {
    throw new ValueError(
      op,
      'options.inputName',
      `options.inputName must name the layer that feeds the block, got ${describeValue(options.inputName)}`,
    );
  }
  const prefix = id === 0 ? 'expanded_conv_' : `block_${id}_`;
  const layers: LayerSpec[] = [];
  let shape: readonly number[] = nhwcShape(op, 'options.inputShape', options.inputShape);
  const inChannels = shape[3]!;
  if (expansion !== 1) {
    const expand = pointwiseConv2dLayer({ name: `${prefix}expand`, inputShape: shape, outChannels: expansion * inChannels });
    layers.push(
      expand,
      batchNormLayer({ name: `${prefix}expand_BN`, inputShape: expand.outputShape }),
      activationLayer({ name: `${prefix}expand_relu`, inputShape: expand.outputShape, activation: 'relu6' }),
    );
    shape = expand.outputShape;
  }
  const depthwise = depthwiseConv2dLayer({
    name: `${prefix}depthwise`,
    inputShape: shape,
    kernelSize: options.kernelSize ?? 3,
    strides,
    padding: 'same',
  });
  const project = pointwiseConv2dLayer({ name: `${prefix}project`, inputShape: depthwise.outputShape, outChannels: options.outChannels });
  layers.push(
    depthwise,
    batchNormLayer({ name: `${prefix}depthwise_BN`, inputShape: depthwise.outputShape }),
    activationLayer({ name: `${prefix}depthwise_relu`, inputShape: depthwise.outputShape, activation: 'relu6' }),
    project,
    batchNormLayer({ name: `${prefix}project_BN`, inputShape: project.outputShape }),
  );
  if (strides === 1 && inChannels === options.outChannels) {
    layers.push(addLayer({ name: `${prefix}add`, inputShape: project.outputShape, inputs: [options.inputName, `${prefix}project_BN`] }));
  }
  return layers;
}
