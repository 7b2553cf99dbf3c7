import { describeValue, ValueError } from '@sepconv/tensor';
import { activationLayer, elementwiseLayer, pointwiseConv2dLayer, poolLayer, type LayerSpec } from '@sepconv/graph';
import { makeDivisible } from './make-divisible.js';
import { checkOptions, nhwcShape, positiveNumber } from './model-options.js';

/** Options of {@link squeezeExciteBlock}. */
export interface SqueezeExciteBlockOptions {
  /** NHWC `[batch, height, width, channels]` of the tensor the block rescales. */
  inputShape: readonly number[];
  /** Name of the tensor the block rescales (a layer or model input): both the pool and the multiply read it. */
  inputName: string;
  /** Prepended to every layer name; Keras's MobileNetV3 uses `expanded_conv_3/`. Default `''`. */
  prefix?: string | undefined;
  /** The squeeze width is `makeDivisible(channels × ratio, 8)`. Default 0.25 (MobileNetV3). */
  ratio?: number | undefined;
}

/**
 * Squeeze-and-excitation (Hu et al. 2018) as MobileNetV3 uses it (Howard et al. 2019, Figure 4;
 * Keras's `_se_block`): global average pooling to `[N, 1, 1, C]`, a 1×1 conv with bias to
 * `makeDivisible(C × ratio)` channels, ReLU, a 1×1 conv with bias back to `C`, hard sigmoid
 * (`relu6(x + 3) / 6`), and a channel-wise multiply of the input by the result (broadcast over
 * height and width). Layer names as Keras 2's: `<prefix>squeeze_excite/AvgPool`, `…/Conv`,
 * `…/Relu`, `…/Conv_1`, `…/hard_sigmoid` (unnamed in Keras), `…/Mul`; the last is the block's
 * output. The convs' multiply-adds are `2·C·squeeze` per image, counted by `@sepconv/cost`
 * like any conv; the pooling, activations and multiply count none.
 * @throws ShapeError / ValueError naming the builder and option at fault.
 */
export function squeezeExciteBlock(options: SqueezeExciteBlockOptions): LayerSpec[] {
  const op = 'squeezeExciteBlock';
  checkOptions(op, options);
  const inputShape = nhwcShape(op, 'options.inputShape', options.inputShape);
  const ratio = positiveNumber(op, 'options.ratio', options.ratio, 0.25);
  if (typeof options.inputName !== 'string' || options.inputName.length === 0) {
    throw new ValueError(
      op,
      'options.inputName',
      `options.inputName must name the tensor the block rescales, got ${describeValue(options.inputName)}`,
    );
  }
  if (options.prefix !== undefined && typeof options.prefix !== 'string') {
    throw new ValueError(op, 'options.prefix', `options.prefix must be a string, got ${describeValue(options.prefix)}`);
  }
  const prefix = `${options.prefix ?? ''}squeeze_excite/`;
  const channels = inputShape[3];
  const pool = poolLayer({ name: `${prefix}AvgPool`, inputs: [options.inputName], inputShape, mode: 'avg', global: true, keepDims: true });
  const squeeze = pointwiseConv2dLayer({
    name: `${prefix}Conv`,
    inputShape: pool.outputShape,
    outChannels: makeDivisible(channels * ratio),
    useBias: true,
  });
  const relu = activationLayer({ name: `${prefix}Relu`, inputShape: squeeze.outputShape, activation: 'relu' });
  const excite = pointwiseConv2dLayer({ name: `${prefix}Conv_1`, inputShape: relu.outputShape, outChannels: channels, useBias: true });
  const gate = activationLayer({ name: `${prefix}hard_sigmoid`, inputShape: excite.outputShape, activation: 'hardSigmoid' });
  const mul = elementwiseLayer({
    op: 'mul',
    name: `${prefix}Mul`,
    inputs: [options.inputName, gate.name],
    inputShapes: [inputShape, gate.outputShape],
  });
  return [pool, squeeze, relu, excite, gate, mul];
}
