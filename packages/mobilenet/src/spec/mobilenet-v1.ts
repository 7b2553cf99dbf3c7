import { ValueError, type Padding } from '@sepconv/tensor';
import {
  activationLayer,
  batchNormLayer,
  conv2dLayer,
  dropoutLayer,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  type LayerSpec,
  type ModelSpec,
} from '@sepconv/graph';
import { depthwiseSeparableBlock } from './depthwise-separable-block.js';
import { booleanOption, buildLayers, checkOptions, integerAtLeast, oneOf, positiveNumber } from './model-options.js';

/** Options of {@link mobilenetV1}. */
export interface MobileNetV1Options {
  /** Width multiplier α: every layer's channels become `floor(α × channels)`. Default 1. */
  alpha?: number | undefined;
  /** Input height and width (the paper's resolution multiplier ρ × 224). Default 224. */
  resolution?: number | undefined;
  /** Classifier outputs. Default 1000. */
  classes?: number | undefined;
  /** Default 1. */
  batch?: number | undefined;
  /** Depthwise channel multiplier (Keras's `depth_multiplier`). Default 1. */
  depthMultiplier?: number | undefined;
  /** Keep the classifier (pool, dropout, 1×1 conv, reshape, softmax). Default true. */
  includeTop?: boolean | undefined;
  /** Without the top: end with global `'avg'` or `'max'` pooling; default none (the 7×7 feature map). */
  pooling?: 'avg' | 'max' | undefined;
  /** Dropout rate before the classifier. Default 0.001, as Keras. */
  dropout?: number | undefined;
  /**
   * `'separable'` (default) is MobileNet; `'standard'` replaces each depthwise separable block
   * by one full 3×3 convolution, the baseline of the paper's Table 4.
   */
  convolutions?: 'separable' | 'standard' | undefined;
  /**
   * Padding of the stride-2 depthwise convolutions: `'keras'` (default) pads the bottom and
   * right by one and convolves `'valid'`, as `keras.applications`; `'same'` is TensorFlow's
   * `'same'`, as TF-slim's checkpoints and the TF Object Detection API build it. The two agree
   * when every strided layer's input has an even size (224, 512, …) and differ in shape
   * otherwise (at 300, block 4's input is 75 wide: 37 with `'keras'`, 38 with `'same'`).
   */
  stridedPadding?: 'keras' | 'same' | undefined;
}

/** `[outChannels, stride]` of the 13 blocks (Howard et al. 2017, Table 1; the last depthwise stride is 1, as Keras and TF-slim). */
const BLOCKS: readonly (readonly [number, number])[] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

// Keras pads strided depthwise layers by ((0, 1), (0, 1)) and then convolves 'valid'; the
// same as 'same' for even sizes, and kept literally so odd sizes match Keras too.
const KERAS_STRIDED_PADDING: Padding = { top: 0, bottom: 1, left: 0, right: 1 };

function standardBlock(id: number, inputShape: readonly number[], outChannels: number, strides: number, stridedPadding: Padding): LayerSpec[] {
  const conv = conv2dLayer({
    name: `conv_${id}`,
    inputShape,
    kernelSize: 3,
    outChannels,
    strides,
    padding: strides === 1 ? 'same' : stridedPadding,
  });
  return [
    conv,
    batchNormLayer({ name: `conv_${id}_bn`, inputShape: conv.outputShape }),
    activationLayer({ name: `conv_${id}_relu`, inputShape: conv.outputShape, activation: 'relu6' }),
  ];
}

/**
 * MobileNetV1 (Howard et al. 2017) as plain data, layer for layer as Keras's
 * `keras.applications.MobileNet` builds it, with Keras's layer names: a 3×3 stride-2 conv,
 * 13 depthwise separable blocks, global average pooling and a 1×1 conv classifier. Every
 * conv is followed by batch norm and ReLU6. At 1.0-224 it has 568,740,352 multiply-adds and
 * 4,253,864 parameters as Keras counts them (4,209,088 conv and dense weights).
 * @throws ValueError naming `mobilenetV1` and the option at fault; ShapeError when the
 * resolution is too small for the network.
 */
export function mobilenetV1(options: MobileNetV1Options = {}): ModelSpec {
  const op = 'mobilenetV1';
  checkOptions(op, options);
  const alpha = positiveNumber(op, 'options.alpha', options.alpha, 1);
  const resolution = integerAtLeast(op, 'options.resolution', options.resolution, 224, 1);
  const classes = integerAtLeast(op, 'options.classes', options.classes, 1000, 1);
  const batch = integerAtLeast(op, 'options.batch', options.batch, 1, 0);
  const depthMultiplier = integerAtLeast(op, 'options.depthMultiplier', options.depthMultiplier, 1, 1);
  const convolutions = oneOf(op, 'options.convolutions', options.convolutions, ['separable', 'standard'] as const, 'separable');
  const pooling = oneOf(op, 'options.pooling', options.pooling, ['avg', 'max'] as const, undefined);
  const includeTop = booleanOption(op, 'options.includeTop', options.includeTop, true);
  const stridedPadding =
    oneOf(op, 'options.stridedPadding', options.stridedPadding, ['keras', 'same'] as const, 'keras') === 'same' ? 'same' : KERAS_STRIDED_PADDING;
  const width = (channels: number): number => {
    const scaled = Math.floor(channels * alpha);
    if (scaled < 1) throw new ValueError(op, 'options.alpha', `options.alpha ${alpha} leaves ${channels} channels with none`);
    return scaled;
  };

  const inputShape = [batch, resolution, resolution, 3];
  return buildLayers(op, resolution, () => {
    const conv1 = conv2dLayer({ name: 'conv1', inputShape, kernelSize: 3, outChannels: width(32), strides: 2, padding: 'same' });
    const layers: LayerSpec[] = [
      conv1,
      batchNormLayer({ name: 'conv1_bn', inputShape: conv1.outputShape }),
      activationLayer({ name: 'conv1_relu', inputShape: conv1.outputShape, activation: 'relu6' }),
    ];
    const last = (): readonly number[] => layers[layers.length - 1]!.outputShape;
    for (const [index, [channels, strides]] of BLOCKS.entries()) {
      const id = index + 1;
      layers.push(
        ...(convolutions === 'standard'
          ? standardBlock(id, last(), width(channels), strides, stridedPadding)
          : depthwiseSeparableBlock({
              blockId: id,
              inputShape: last(),
              outChannels: width(channels),
              strides,
              channelMultiplier: depthMultiplier,
              padding: strides === 1 ? 'same' : stridedPadding,
            })),
      );
    }
    if (includeTop) {
      const pool = poolLayer({ name: 'global_average_pooling2d', inputShape: last(), mode: 'avg', global: true, keepDims: true });
      const dropout = dropoutLayer({ name: 'dropout', inputShape: pool.outputShape, rate: options.dropout ?? 1e-3 });
      const preds = pointwiseConv2dLayer({ name: 'conv_preds', inputShape: dropout.outputShape, outChannels: classes, useBias: true });
      const reshape = reshapeLayer({ name: 'reshape_2', inputShape: preds.outputShape, targetShape: [classes] });
      layers.push(pool, dropout, preds, reshape, activationLayer({ name: 'predictions', inputShape: reshape.outputShape, activation: 'softmax' }));
    } else if (pooling !== undefined) {
      layers.push(poolLayer({ inputShape: last(), mode: pooling, global: true }));
    }
    const prefix = convolutions === 'standard' ? 'conv_mobilenet' : 'mobilenet';
    return modelSpec({ name: `${prefix}_${alpha.toFixed(2)}_${resolution}`, inputName: 'input_1', inputShape, layers });
  });
}
