import { ValueError } from '@sepconv/tensor';
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  conv2dLayer,
  depthwiseConv2dLayer,
  dropoutLayer,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  rescalingLayer,
  reshapeLayer,
  type LayerActivation,
  type LayerSpec,
  type ModelSpec,
} from '@sepconv/graph';
import { makeDivisible } from './make-divisible.js';
import { booleanOption, buildLayers, checkOptions, integerAtLeast, oneOf, positiveNumber } from './model-options.js';
import { squeezeExciteBlock } from './squeeze-excite-block.js';

/** Options of {@link mobilenetV3}. */
export interface MobileNetV3Options {
  /** `'large'` (15 bottlenecks, 1280-wide head) or `'small'` (11 bottlenecks, 1024-wide head). */
  variant: 'large' | 'small';
  /** Width multiplier α; block widths become `makeDivisible(α × channels, 8)`. Default 1. */
  alpha?: number | undefined;
  /**
   * Keras's minimalistic variant: no squeeze-and-excitation, ReLU instead of hard-swish, 3×3
   * depthwise kernels only. Default false.
   */
  minimalistic?: boolean | undefined;
  /** Input height and width, at least 32 as Keras requires. Default 224. */
  resolution?: number | undefined;
  /** Classifier outputs. Default 1000. */
  classes?: number | undefined;
  /** Default 1. */
  batch?: number | undefined;
  /** Keep the head (pooling, 1×1 conv, dropout, 1×1 logits, flatten, softmax). Default true. */
  includeTop?: boolean | undefined;
  /** Without the top: end with global `'avg'` or `'max'` pooling; default none. */
  pooling?: 'avg' | 'max' | undefined;
  /**
   * Start with Keras's `Rescaling(1/127.5, offset −1)`, so the model takes pixels in `[0, 255]`;
   * without it, inputs in `[−1, 1]`. Default true, as Keras.
   */
  includePreprocessing?: boolean | undefined;
  /** Dropout rate before the logits; no dropout layer at 0. Default 0.2, as Keras. */
  dropout?: number | undefined;
  /** `'softmax'` (default) or `'linear'` for logits (Keras's `classifier_activation=None`). */
  classifierActivation?: 'softmax' | 'linear' | undefined;
}

/** Which activation a bottleneck uses: ReLU, or the variant's (hard-swish; ReLU when minimalistic). */
type BlockActivation = 'relu' | 'variant';

/**
 * One bottleneck: `[expansion, outChannels, kernel, stride, squeeze-and-excite, activation]`;
 * `kernel` 0 means the variant's (5, or 3 when minimalistic). Keras's stack functions, which
 * follow the paper's Tables 1 and 2 (Howard et al. 2019).
 */
type Bottleneck = readonly [number, number, number, number, boolean, BlockActivation];

const LARGE: readonly Bottleneck[] = [
  [1, 16, 3, 1, false, 'relu'],
  [4, 24, 3, 2, false, 'relu'],
  [3, 24, 3, 1, false, 'relu'],
  [3, 40, 0, 2, true, 'relu'],
  [3, 40, 0, 1, true, 'relu'],
  [3, 40, 0, 1, true, 'relu'],
  [6, 80, 3, 2, false, 'variant'],
  [2.5, 80, 3, 1, false, 'variant'],
  [2.3, 80, 3, 1, false, 'variant'],
  [2.3, 80, 3, 1, false, 'variant'],
  [6, 112, 3, 1, true, 'variant'],
  [6, 112, 3, 1, true, 'variant'],
  [6, 160, 0, 2, true, 'variant'],
  [6, 160, 0, 1, true, 'variant'],
  [6, 160, 0, 1, true, 'variant'],
];

const SMALL: readonly Bottleneck[] = [
  [1, 16, 3, 2, true, 'relu'],
  [72 / 16, 24, 3, 2, false, 'relu'],
  [88 / 24, 24, 3, 1, false, 'relu'],
  [4, 40, 0, 2, true, 'variant'],
  [6, 40, 0, 1, true, 'variant'],
  [6, 40, 0, 1, true, 'variant'],
  [3, 48, 0, 1, true, 'variant'],
  [3, 48, 0, 1, true, 'variant'],
  [6, 96, 0, 2, true, 'variant'],
  [6, 96, 0, 1, true, 'variant'],
  [6, 96, 0, 1, true, 'variant'],
];

const VARIANTS = { large: { blocks: LARGE, lastPoint: 1280 }, small: { blocks: SMALL, lastPoint: 1024 } } as const;

/** Keras's spelling of each activation in the names of the (unnamed in Keras) activation layers. */
const ACTIVATION_NAMES: Partial<Record<LayerActivation, string>> = { relu: 'relu', hardSwish: 'hard_swish' };

/** Appends layers, each consuming the previous one; tracks the current tensor. */
class Stack {
  readonly layers: LayerSpec[] = [];
  constructor(private readonly firstShape: readonly number[]) {}
  get shape(): readonly number[] {
    return this.layers.length === 0 ? this.firstShape : this.layers[this.layers.length - 1]!.outputShape;
  }
  get name(): string {
    return this.layers[this.layers.length - 1]!.name;
  }
  push(...layers: LayerSpec[]): void {
    this.layers.push(...layers);
  }
  /** A conv (or other layer), its batch norm `<name>/BatchNorm` and activation `<name>/<activation>`. */
  convBnActivation(layer: LayerSpec, activation: LayerActivation | undefined): void {
    this.push(layer, batchNormLayer({ name: `${layer.name}/BatchNorm`, inputShape: layer.outputShape }));
    if (activation !== undefined) this.activation(layer.name, activation);
  }
  activation(owner: string, activation: LayerActivation): void {
    this.push(activationLayer({ name: `${owner}/${ACTIVATION_NAMES[activation] ?? activation}`, inputShape: this.shape, activation }));
  }
}

interface BlockSettings {
  readonly id: number;
  readonly expansion: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly squeezeExcite: boolean;
  readonly activation: LayerActivation;
}

/**
 * Keras's `_inverted_res_block` for MobileNetV3: 1×1 expansion to
 * `makeDivisible(inChannels × expansion)` (not in block 0), depthwise conv (stride-2 ones
 * padded as Keras's `correct_pad` + 'valid', which is TensorFlow's 'same'), optional
 * squeeze-and-excitation, linear 1×1 projection, and a residual add when the stride is 1 and
 * the width is kept. Names `expanded_conv/…` (block 0) and `expanded_conv_<id>/…`.
 */
function bottleneck(stack: Stack, block: BlockSettings): void {
  const prefix = block.id === 0 ? 'expanded_conv/' : `expanded_conv_${block.id}/`;
  const shortcut = stack.name;
  const inChannels = stack.shape[3]!;
  if (block.id !== 0) {
    const expand = pointwiseConv2dLayer({
      name: `${prefix}expand`,
      inputShape: stack.shape,
      outChannels: makeDivisible(inChannels * block.expansion),
    });
    stack.convBnActivation(expand, block.activation);
  }
  const depthwise = depthwiseConv2dLayer({
    name: `${prefix}depthwise`,
    inputShape: stack.shape,
    kernelSize: block.kernelSize,
    strides: block.strides,
    padding: 'same',
  });
  stack.convBnActivation(depthwise, block.activation);
  if (block.squeezeExcite) stack.push(...squeezeExciteBlock({ prefix, inputName: stack.name, inputShape: stack.shape, ratio: 0.25 }));
  const project = pointwiseConv2dLayer({ name: `${prefix}project`, inputShape: stack.shape, outChannels: block.outChannels });
  stack.convBnActivation(project, undefined);
  if (block.strides === 1 && inChannels === block.outChannels) {
    stack.push(addLayer({ name: `${prefix}Add`, inputs: [shortcut, stack.name], inputShape: stack.shape }));
  }
}

function head(
  stack: Stack,
  classes: number,
  lastPoint: number,
  activation: LayerActivation,
  dropout: number,
  classifierActivation: 'softmax' | 'linear',
): void {
  stack.push(poolLayer({ name: 'global_average_pooling2d', inputShape: stack.shape, mode: 'avg', global: true, keepDims: true }));
  stack.push(pointwiseConv2dLayer({ name: 'Conv_2', inputShape: stack.shape, outChannels: lastPoint, useBias: true }));
  stack.activation('Conv_2', activation);
  if (dropout > 0) stack.push(dropoutLayer({ name: 'dropout', inputShape: stack.shape, rate: dropout }));
  stack.push(pointwiseConv2dLayer({ name: 'Logits', inputShape: stack.shape, outChannels: classes, useBias: true }));
  stack.push(reshapeLayer({ name: 'flatten', inputShape: stack.shape, targetShape: [classes] }));
  stack.push(activationLayer({ name: 'Predictions', inputShape: stack.shape, activation: classifierActivation }));
}

/**
 * MobileNetV3 (Howard et al. 2019) Large or Small as plain data, layer for layer as Keras's
 * `keras.applications.MobileNetV3Large` / `MobileNetV3Small` build it, with tf-keras 2's
 * layer names (`Conv`, `Conv/BatchNorm`, `expanded_conv/depthwise`,
 * `expanded_conv_3/squeeze_excite/Mul`, `Conv_1`, `Conv_2`, `Logits`, `Predictions`; the
 * activation layers Keras leaves unnamed are `<conv>/hard_swish`, `<conv>/relu`):
 * an optional `Rescaling`, a 3×3 stride-2 conv to 16 channels, the bottlenecks with hard-swish
 * (`x · relu6(x + 3) / 6`, one activation layer) and squeeze-and-excitation (ratio 0.25,
 * widths rounded to multiples of 8), a 1×1 conv to 6× the last width, and a head of global
 * pooling, a 1×1 conv with bias and no batch norm (`Conv_2`, 1280 or 1024 wide), dropout and 1×1
 * logits. Parameters at 1.0-224 with the top, as Keras counts them: Large 5,507,432, Small
 * 2,554,968. Multiply-adds (convolutions, SE's included, as `@sepconv/cost` counts them):
 * Large 1.0-224 ≈ 217M, Small ≈ 57M (the paper's Table 3 says 219M and 56M).
 * @throws ValueError naming `mobilenetV3` and the option at fault; ShapeError when the
 * resolution is too small.
 */
export function mobilenetV3(options: MobileNetV3Options): ModelSpec {
  const op = 'mobilenetV3';
  checkOptions(op, options);
  if (options === undefined) throw new ValueError(op, 'options', "options must be an object with variant 'large' or 'small'");
  const variant = oneOf(op, 'options.variant', options.variant, ['large', 'small'] as const, undefined);
  if (variant === undefined) throw new ValueError(op, 'options.variant', "options.variant must be 'large' or 'small', got undefined");
  const alpha = positiveNumber(op, 'options.alpha', options.alpha, 1);
  const minimalistic = booleanOption(op, 'options.minimalistic', options.minimalistic, false);
  const resolution = integerAtLeast(op, 'options.resolution', options.resolution, 224, 32);
  const classes = integerAtLeast(op, 'options.classes', options.classes, 1000, 1);
  const batch = integerAtLeast(op, 'options.batch', options.batch, 1, 0);
  const includeTop = booleanOption(op, 'options.includeTop', options.includeTop, true);
  const includePreprocessing = booleanOption(op, 'options.includePreprocessing', options.includePreprocessing, true);
  const pooling = oneOf(op, 'options.pooling', options.pooling, ['avg', 'max'] as const, undefined);
  const classifierActivation = oneOf(op, 'options.classifierActivation', options.classifierActivation, ['softmax', 'linear'] as const, 'softmax')!;
  const dropout = options.dropout ?? 0.2;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    throw new ValueError(op, 'options.dropout', `options.dropout must be a number in [0, 1), got ${JSON.stringify(options.dropout)}`);
  }
  const activation: LayerActivation = minimalistic ? 'relu' : 'hardSwish';
  const variantKernel = minimalistic ? 3 : 5;
  const { blocks, lastPoint } = VARIANTS[variant];

  const inputShape = [batch, resolution, resolution, 3];
  return buildLayers(op, resolution, () => {
    const stack = new Stack(inputShape);
    if (includePreprocessing) stack.push(rescalingLayer({ name: 'rescaling', inputShape, scale: 1 / 127.5, offset: -1 }));
    stack.convBnActivation(
      conv2dLayer({ name: 'Conv', inputShape: stack.shape, kernelSize: 3, outChannels: 16, strides: 2, padding: 'same' }),
      activation,
    );
    for (const [id, [expansion, channels, kernel, strides, se, blockActivation]] of blocks.entries()) {
      bottleneck(stack, {
        id,
        expansion,
        outChannels: makeDivisible(channels * alpha),
        kernelSize: kernel === 0 ? variantKernel : kernel,
        strides,
        squeezeExcite: se && !minimalistic,
        activation: blockActivation === 'relu' ? 'relu' : activation,
      });
    }
    stack.convBnActivation(
      pointwiseConv2dLayer({ name: 'Conv_1', inputShape: stack.shape, outChannels: makeDivisible(stack.shape[3]! * 6) }),
      activation,
    );
    if (includeTop) {
      head(stack, classes, alpha > 1 ? makeDivisible(lastPoint * alpha) : lastPoint, activation, dropout, classifierActivation);
    } else if (pooling !== undefined) {
      stack.push(poolLayer({ name: `${pooling}_pool`, inputShape: stack.shape, mode: pooling, global: true }));
    }
    const name = `mobilenetv3${variant}${minimalistic ? '_minimalistic' : ''}_${alpha.toFixed(2)}_${resolution}`;
    return modelSpec({ name, inputName: 'input_1', inputShape, layers: stack.layers });
  });
}
