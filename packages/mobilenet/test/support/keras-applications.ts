// Keras's MobileNet V1/V2/V3 recipes (keras.applications, tf-keras 2.x layer names) written
// again with TensorFlow.js's layers API: an implementation independent of sepconv's builders,
// which the agreement tests build with the same options, fill with sepconv's random weights by
// layer name, and run beside sepconv. Each function follows the Python source line by line,
// including its ZeroPadding2D + 'valid' strided depthwise convs where sepconv says 'same'.
import * as tfl from '@tensorflow/tfjs-layers';
import type { WeightMap } from '../../src/weights/weight-map.js';
import { tf } from './tfjs.js';

type T = tfl.SymbolicTensor;

const apply = (layer: tfl.layers.Layer, x: T | T[]): T => layer.apply(x) as T;

/** `relu6(x + 3) / 6`, the hard sigmoid of MobileNetV3 (tfjs's `hardSigmoid` is `0.2x + 0.5`). */
class HardSigmoid extends tfl.layers.Layer {
  static className = 'SepconvTestHardSigmoid';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => tf.mul(tf.relu6(tf.add(x, 3)), 1 / 6));
  }
}

/** `x · relu6(x + 3) / 6`. */
class HardSwish extends tfl.layers.Layer {
  static className = 'SepconvTestHardSwish';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => tf.mul(x, tf.mul(tf.relu6(tf.add(x, 3)), 1 / 6)));
  }
}

/** Keras's `imagenet_utils.correct_pad` for an NHWC tensor. */
function correctPad(x: T, kernelSize: number): [[number, number], [number, number]] {
  const [height, width] = [x.shape[1]!, x.shape[2]!];
  const half = Math.floor(kernelSize / 2);
  return [
    [half - (1 - (height % 2)), half],
    [half - (1 - (width % 2)), half],
  ];
}

/** Global average pooling with `keepdims=True` (tfjs-layers has no keepdims: a reshape follows). */
function globalAvgPoolKeepDims(x: T, name: string): T {
  const pooled = apply(tfl.layers.globalAveragePooling2d({ name }), x);
  return apply(tfl.layers.reshape({ targetShape: [1, 1, x.shape[3]!], name: `${name}/keepdims` }), pooled);
}

const batchNorm = (name: string, x: T): T => apply(tfl.layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name }), x);
const conv = (
  x: T,
  filters: number,
  kernelSize: number,
  name: string,
  options: { strides?: number; padding?: 'same' | 'valid'; useBias?: boolean } = {},
): T =>
  apply(
    tfl.layers.conv2d({
      filters,
      kernelSize,
      strides: options.strides ?? 1,
      padding: options.padding ?? 'same',
      useBias: options.useBias ?? false,
      name,
    }),
    x,
  );

/** `keras.applications.MobileNet` (V1), `include_top=True`. */
export function kerasMobileNetV1(options: { alpha: number; resolution: number; classes: number }): tfl.LayersModel {
  const { alpha, resolution, classes } = options;
  const input = tfl.input({ shape: [resolution, resolution, 3], name: 'input_1' });
  let x = conv(input, Math.floor(32 * alpha), 3, 'conv1', { strides: 2 });
  x = apply(tfl.layers.reLU({ maxValue: 6, name: 'conv1_relu' }), batchNorm('conv1_bn', x));
  const blocks: [number, number][] = [
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
  for (const [index, [filters, strides]] of blocks.entries()) {
    const id = index + 1;
    if (strides !== 1)
      x = apply(
        tfl.layers.zeroPadding2d({
          padding: [
            [0, 1],
            [0, 1],
          ],
          name: `conv_pad_${id}`,
        }),
        x,
      );
    x = apply(
      tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: strides === 1 ? 'same' : 'valid', strides, useBias: false, name: `conv_dw_${id}` }),
      x,
    );
    x = apply(tfl.layers.reLU({ maxValue: 6, name: `conv_dw_${id}_relu` }), batchNorm(`conv_dw_${id}_bn`, x));
    x = conv(x, Math.floor(filters * alpha), 1, `conv_pw_${id}`);
    x = apply(tfl.layers.reLU({ maxValue: 6, name: `conv_pw_${id}_relu` }), batchNorm(`conv_pw_${id}_bn`, x));
  }
  x = globalAvgPoolKeepDims(x, 'global_average_pooling2d');
  x = conv(x, classes, 1, 'conv_preds', { useBias: true });
  x = apply(tfl.layers.reshape({ targetShape: [classes], name: 'reshape_2' }), x);
  x = apply(tfl.layers.activation({ activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x });
}

/** Keras's `_make_divisible` / `_depth`. */
function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** `keras.applications.MobileNetV2`, `include_top=True`. */
export function kerasMobileNetV2(options: { alpha: number; resolution: number; classes: number }): tfl.LayersModel {
  const { alpha, resolution, classes } = options;
  const input = tfl.input({ shape: [resolution, resolution, 3], name: 'input_1' });
  let x = conv(input, makeDivisible(32 * alpha), 3, 'Conv1', { strides: 2 });
  x = apply(tfl.layers.reLU({ maxValue: 6, name: 'Conv1_relu' }), batchNorm('bn_Conv1', x));
  const stages: [number, number, number, number][] = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  let blockId = 0;
  for (const [expansion, channels, repeats, firstStride] of stages) {
    for (let repeat = 0; repeat < repeats; repeat++) {
      const strides = repeat === 0 ? firstStride : 1;
      const inChannels = x.shape[3]!;
      const filters = makeDivisible(Math.floor(channels * alpha));
      const prefix = blockId === 0 ? 'expanded_conv_' : `block_${blockId}_`;
      const shortcut = x;
      if (blockId !== 0) {
        x = conv(x, expansion * inChannels, 1, `${prefix}expand`);
        x = apply(tfl.layers.reLU({ maxValue: 6, name: `${prefix}expand_relu` }), batchNorm(`${prefix}expand_BN`, x));
      }
      if (strides === 2) x = apply(tfl.layers.zeroPadding2d({ padding: correctPad(x, 3), name: `${prefix}pad` }), x);
      x = apply(
        tfl.layers.depthwiseConv2d({ kernelSize: 3, strides, padding: strides === 1 ? 'same' : 'valid', useBias: false, name: `${prefix}depthwise` }),
        x,
      );
      x = apply(tfl.layers.reLU({ maxValue: 6, name: `${prefix}depthwise_relu` }), batchNorm(`${prefix}depthwise_BN`, x));
      x = batchNorm(`${prefix}project_BN`, conv(x, filters, 1, `${prefix}project`));
      if (strides === 1 && inChannels === filters) x = apply(tfl.layers.add({ name: `${prefix}add` }), [shortcut, x]);
      blockId++;
    }
  }
  x = conv(x, alpha > 1 ? makeDivisible(1280 * alpha) : 1280, 1, 'Conv_1');
  x = apply(tfl.layers.reLU({ maxValue: 6, name: 'out_relu' }), batchNorm('Conv_1_bn', x));
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  x = apply(tfl.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x });
}

/** `keras.applications.MobileNetV3Large` / `MobileNetV3Small` (tf-keras 2.x names). */
export function kerasMobileNetV3(options: {
  variant: 'large' | 'small';
  alpha: number;
  minimalistic: boolean;
  resolution: number;
  classes: number;
  includeTop: boolean;
  includePreprocessing: boolean;
}): tfl.LayersModel {
  const { alpha, resolution, classes } = options;
  const kernel = options.minimalistic ? 3 : 5;
  const seRatio = options.minimalistic ? 0 : 0.25;
  const relu = (x: T, name: string): T => apply(tfl.layers.reLU({ name: `${name}/relu` }), x);
  const hardSwish = (x: T, name: string): T => apply(new HardSwish({ name: `${name}/hard_swish` }), x);
  const activation = options.minimalistic ? relu : hardSwish;
  const depth = (d: number): number => makeDivisible(d * alpha);

  const seBlock = (inputs: T, filters: number, prefix: string): T => {
    let x = globalAvgPoolKeepDims(inputs, `${prefix}squeeze_excite/AvgPool`);
    x = conv(x, makeDivisible(filters * seRatio), 1, `${prefix}squeeze_excite/Conv`, { useBias: true });
    x = apply(tfl.layers.reLU({ name: `${prefix}squeeze_excite/Relu` }), x);
    x = conv(x, filters, 1, `${prefix}squeeze_excite/Conv_1`, { useBias: true });
    x = apply(new HardSigmoid({ name: `${prefix}squeeze_excite/hard_sigmoid` }), x);
    return apply(tfl.layers.multiply({ name: `${prefix}squeeze_excite/Mul` }), [inputs, x]);
  };
  type Act = (x: T, name: string) => T;
  const block = (input: T, expansion: number, filters: number, kernelSize: number, stride: number, se: number, act: Act, blockId: number): T => {
    let x = input;
    const inFilters = x.shape[3]!;
    let prefix = 'expanded_conv/';
    if (blockId) {
      prefix = `expanded_conv_${blockId}/`;
      x = conv(x, makeDivisible(inFilters * expansion), 1, `${prefix}expand`);
      x = act(batchNorm(`${prefix}expand/BatchNorm`, x), `${prefix}expand`);
    }
    if (stride === 2) x = apply(tfl.layers.zeroPadding2d({ padding: correctPad(x, kernelSize), name: `${prefix}depthwise/pad` }), x);
    x = apply(
      tfl.layers.depthwiseConv2d({
        kernelSize,
        strides: stride,
        padding: stride === 1 ? 'same' : 'valid',
        useBias: false,
        name: `${prefix}depthwise`,
      }),
      x,
    );
    x = act(batchNorm(`${prefix}depthwise/BatchNorm`, x), `${prefix}depthwise`);
    if (se) x = seBlock(x, makeDivisible(inFilters * expansion), prefix);
    x = batchNorm(`${prefix}project/BatchNorm`, conv(x, filters, 1, `${prefix}project`));
    if (stride === 1 && inFilters === filters) x = apply(tfl.layers.add({ name: `${prefix}Add` }), [input, x]);
    return x;
  };
  const stackLarge = (x: T): T => {
    x = block(x, 1, depth(16), 3, 1, 0, relu, 0);
    x = block(x, 4, depth(24), 3, 2, 0, relu, 1);
    x = block(x, 3, depth(24), 3, 1, 0, relu, 2);
    x = block(x, 3, depth(40), kernel, 2, seRatio, relu, 3);
    x = block(x, 3, depth(40), kernel, 1, seRatio, relu, 4);
    x = block(x, 3, depth(40), kernel, 1, seRatio, relu, 5);
    x = block(x, 6, depth(80), 3, 2, 0, activation, 6);
    x = block(x, 2.5, depth(80), 3, 1, 0, activation, 7);
    x = block(x, 2.3, depth(80), 3, 1, 0, activation, 8);
    x = block(x, 2.3, depth(80), 3, 1, 0, activation, 9);
    x = block(x, 6, depth(112), 3, 1, seRatio, activation, 10);
    x = block(x, 6, depth(112), 3, 1, seRatio, activation, 11);
    x = block(x, 6, depth(160), kernel, 2, seRatio, activation, 12);
    x = block(x, 6, depth(160), kernel, 1, seRatio, activation, 13);
    return block(x, 6, depth(160), kernel, 1, seRatio, activation, 14);
  };
  const stackSmall = (x: T): T => {
    x = block(x, 1, depth(16), 3, 2, seRatio, relu, 0);
    x = block(x, 72 / 16, depth(24), 3, 2, 0, relu, 1);
    x = block(x, 88 / 24, depth(24), 3, 1, 0, relu, 2);
    x = block(x, 4, depth(40), kernel, 2, seRatio, activation, 3);
    x = block(x, 6, depth(40), kernel, 1, seRatio, activation, 4);
    x = block(x, 6, depth(40), kernel, 1, seRatio, activation, 5);
    x = block(x, 3, depth(48), kernel, 1, seRatio, activation, 6);
    x = block(x, 3, depth(48), kernel, 1, seRatio, activation, 7);
    x = block(x, 6, depth(96), kernel, 2, seRatio, activation, 8);
    x = block(x, 6, depth(96), kernel, 1, seRatio, activation, 9);
    return block(x, 6, depth(96), kernel, 1, seRatio, activation, 10);
  };

  const input = tfl.input({ shape: [resolution, resolution, 3], name: 'input_1' });
  let x: T = input;
  if (options.includePreprocessing) x = apply(tfl.layers.rescaling({ scale: 1 / 127.5, offset: -1, name: 'rescaling' }), x);
  x = conv(x, 16, 3, 'Conv', { strides: 2 });
  x = activation(batchNorm('Conv/BatchNorm', x), 'Conv');
  x = options.variant === 'large' ? stackLarge(x) : stackSmall(x);
  const lastConv = makeDivisible(x.shape[3]! * 6);
  let lastPoint = options.variant === 'large' ? 1280 : 1024;
  if (alpha > 1) lastPoint = makeDivisible(lastPoint * alpha);
  x = conv(x, lastConv, 1, 'Conv_1');
  x = activation(batchNorm('Conv_1/BatchNorm', x), 'Conv_1');
  if (options.includeTop) {
    x = globalAvgPoolKeepDims(x, 'global_average_pooling2d');
    x = conv(x, lastPoint, 1, 'Conv_2', { useBias: true });
    x = activation(x, 'Conv_2');
    // Dropout is the identity at inference: left out here, it has no weights to copy.
    x = conv(x, classes, 1, 'Logits', { useBias: true });
    x = apply(tfl.layers.flatten({ name: 'flatten' }), x);
    x = apply(tfl.layers.activation({ activation: 'softmax', name: 'Predictions' }), x);
  }
  return tfl.model({ inputs: input, outputs: x });
}

/**
 * Fills a tfjs model's weights from a sepconv weight map by layer name (`<layer>/<weight>`),
 * reshaping sepconv's `[Cin, Cout]` pointwise kernels to Keras's `[1, 1, Cin, Cout]`. Every
 * weight of the tfjs model must be in the map and every map entry must be used.
 * @returns how many weights were copied.
 */
export function copyWeights(model: tfl.LayersModel, weights: WeightMap): number {
  const used = new Set<string>();
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const shape = w.shape.map((d) => d ?? 0);
      const key = `${layer.name}/${w.originalName.slice(w.originalName.lastIndexOf('/') + 1)}`;
      const weight = weights.get(key);
      if (weight === undefined)
        throw new Error(`the sepconv weights have no '${key}' (tfjs layer '${layer.name}', shape ${JSON.stringify(w.shape)})`);
      if (weight.data.length !== shape.reduce((a, b) => a * b, 1))
        throw new Error(`'${key}': sepconv ${JSON.stringify(weight.shape)}, tfjs ${JSON.stringify(w.shape)}`);
      used.add(key);
      return tf.tensor(weight.data, shape);
    });
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
  const unused = [...weights.keys()].filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`sepconv weights no tfjs layer has: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''}`);
  return used.size;
}

export { HardSigmoid, HardSwish, apply, batchNorm, conv, correctPad, globalAvgPoolKeepDims, makeDivisible };
