import {
  activationLayer,
  batchNormLayer,
  conv2dLayer,
  denseLayer,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  type LayerSpec,
  type ModelSpec,
} from '@sepconv/graph';
import { invertedResidualBlock } from './inverted-residual-block.js';
import { makeDivisible } from './make-divisible.js';
import { booleanOption, buildLayers, checkOptions, integerAtLeast, oneOf, positiveNumber } from './model-options.js';

/** Options of {@link mobilenetV2}. */
export interface MobileNetV2Options {
  /** Width multiplier α; channels become `makeDivisible(α × channels, 8)`. Default 1. */
  alpha?: number | undefined;
  /** Input height and width. Default 224. */
  resolution?: number | undefined;
  /** Classifier outputs. Default 1000. */
  classes?: number | undefined;
  /** Default 1. */
  batch?: number | undefined;
  /** Keep the classifier (global average pooling, dense softmax). Default true. */
  includeTop?: boolean | undefined;
  /** Without the top: end with global `'avg'` or `'max'` pooling; default none. */
  pooling?: 'avg' | 'max' | undefined;
}

/**
 * `[expansion t, outChannels c, repeats n, first stride s]` of the bottleneck stages
 * (Sandler et al. 2018, Table 2).
 */
const STAGES: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * MobileNetV2 (Sandler et al. 2018) as plain data, layer for layer as Keras's
 * `keras.applications.MobileNetV2` builds it, with Keras's layer names: a 3×3 stride-2 conv,
 * 17 inverted residual blocks, a 1×1 conv to 1280 channels, global average pooling and a dense
 * softmax classifier. Channel counts are rounded to multiples of 8 as Keras does; the last conv
 * keeps 1280 channels unless α > 1. At 1.0-224: 300,774,272 multiply-adds, 3,538,984
 * parameters as Keras counts them.
 * @throws ValueError naming `mobilenetV2` and the option at fault; ShapeError when the
 * resolution is too small for the network.
 */
export function mobilenetV2(options: MobileNetV2Options = {}): ModelSpec {
  const op = 'mobilenetV2';
  checkOptions(op, options);
  const alpha = positiveNumber(op, 'options.alpha', options.alpha, 1);
  const resolution = integerAtLeast(op, 'options.resolution', options.resolution, 224, 1);
  const classes = integerAtLeast(op, 'options.classes', options.classes, 1000, 1);
  const batch = integerAtLeast(op, 'options.batch', options.batch, 1, 0);
  const includeTop = booleanOption(op, 'options.includeTop', options.includeTop, true);
  const pooling = oneOf(op, 'options.pooling', options.pooling, ['avg', 'max'] as const, undefined);

  const inputShape = [batch, resolution, resolution, 3];
  return buildLayers(op, resolution, () => {
    const conv1 = conv2dLayer({ name: 'Conv1', inputShape, kernelSize: 3, outChannels: makeDivisible(32 * alpha), strides: 2, padding: 'same' });
    const layers: LayerSpec[] = [
      conv1,
      batchNormLayer({ name: 'bn_Conv1', inputShape: conv1.outputShape }),
      activationLayer({ name: 'Conv1_relu', inputShape: conv1.outputShape, activation: 'relu6' }),
    ];
    const last = (): LayerSpec => layers[layers.length - 1]!;
    let blockId = 0;
    for (const [expansion, channels, repeats, firstStride] of STAGES) {
      for (let repeat = 0; repeat < repeats; repeat++) {
        layers.push(
          ...invertedResidualBlock({
            blockId,
            inputShape: last().outputShape,
            inputName: last().name,
            // Keras truncates α × channels before rounding to a multiple of 8.
            outChannels: makeDivisible(Math.floor(channels * alpha)),
            expansion,
            strides: repeat === 0 ? firstStride : 1,
          }),
        );
        blockId++;
      }
    }
    const lastChannels = alpha > 1 ? makeDivisible(1280 * alpha) : 1280;
    const conv = pointwiseConv2dLayer({ name: 'Conv_1', inputShape: last().outputShape, outChannels: lastChannels });
    layers.push(
      conv,
      batchNormLayer({ name: 'Conv_1_bn', inputShape: conv.outputShape }),
      activationLayer({ name: 'out_relu', inputShape: conv.outputShape, activation: 'relu6' }),
    );
    if (includeTop) {
      const pool = poolLayer({ name: 'global_average_pooling2d', inputShape: conv.outputShape, mode: 'avg', global: true });
      layers.push(pool, denseLayer({ name: 'predictions', inputShape: pool.outputShape, units: classes, useBias: true, activation: 'softmax' }));
    } else if (pooling !== undefined) {
      layers.push(poolLayer({ inputShape: conv.outputShape, mode: pooling, global: true }));
    }
    return modelSpec({ name: `mobilenetv2_${alpha.toFixed(2)}_${resolution}`, inputName: 'input_1', inputShape, layers });
  });
}
