import { checkConvActivation, convGeometry, outputShape, type Activation, type Padding } from '@sepconv/tensor';
import { booleanOption, checkLayerOptions, kernelSizePair, layerInputs, layerName, positiveInteger, storedPadding } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * A depthwise separable convolution as one layer: a depthwise step (filter
 * `[kernelHeight, kernelWidth, inChannels, channelMultiplier]`, with the strides, dilations and
 * padding) then a pointwise step (filter `[inChannels * channelMultiplier, outChannels]`).
 * A backend may fuse the two so the intermediate never reaches memory.
 */
export interface SeparableConv2dLayer extends LayerBase {
  readonly type: 'separableConv2d';
  /** Depthwise `[kernelHeight, kernelWidth]`. */
  readonly kernelSize: readonly [number, number];
  readonly channelMultiplier: number;
  readonly outChannels: number;
  /** Depthwise `[strideHeight, strideWidth]`. */
  readonly strides: readonly [number, number];
  /** Depthwise `[dilationHeight, dilationWidth]`. */
  readonly dilations: readonly [number, number];
  /** Depthwise padding. */
  readonly padding: Padding;
  /** Whether a bias `[inChannels * channelMultiplier]` follows the depthwise step. */
  readonly depthwiseUseBias: boolean;
  readonly depthwiseActivation: Activation;
  /** Whether a bias `[outChannels]` follows the pointwise step. */
  readonly useBias: boolean;
  readonly activation: Activation;
}

/** Options of {@link separableConv2dLayer}. */
export interface SeparableConv2dLayerOptions {
  /** Default `'separable_conv2d'`. */
  name?: string | undefined;
  /** NHWC `[batch, height, width, inChannels]`. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  /** Depthwise kernel: one number for a square kernel or `[height, width]`. */
  kernelSize: number | readonly [number, number];
  outChannels: number;
  /** Default 1. */
  channelMultiplier?: number | undefined;
  /** Default 1. */
  strides?: number | readonly [number, number] | undefined;
  /** Default 1. */
  dilations?: number | readonly [number, number] | undefined;
  /** Default `'valid'`. */
  padding?: Padding | undefined;
  /** Default false (Keras's SeparableConv2D has no depthwise bias). */
  depthwiseUseBias?: boolean | undefined;
  /** Default `'linear'`. */
  depthwiseActivation?: Activation | undefined;
  /** Default false. */
  useBias?: boolean | undefined;
  /** Default `'linear'`. */
  activation?: Activation | undefined;
}

/**
 * Describes a depthwise separable convolution; both steps' shapes are resolved with
 * `convGeometry`.
 * @throws ShapeError / ValueError naming `separableConv2dLayer` and the option at fault.
 */
export function separableConv2dLayer(options: SeparableConv2dLayerOptions): SeparableConv2dLayer {
  const op = 'separableConv2dLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'separable_conv2d');
  const [kernelHeight, kernelWidth] = kernelSizePair(op, options.kernelSize);
  const outChannels = positiveInteger(op, 'options.outChannels', options.outChannels);
  const channelMultiplier = positiveInteger(op, 'options.channelMultiplier', options.channelMultiplier, 1);
  const depthwiseUseBias = booleanOption(op, 'options.depthwiseUseBias', options.depthwiseUseBias, false);
  const useBias = booleanOption(op, 'options.useBias', options.useBias, false);
  // convGeometry names any bad activation 'options.activation'; this one has its own name.
  checkConvActivation(op, 'options.depthwiseActivation', options.depthwiseActivation);
  const depthwise = convGeometry(
    {
      kind: 'depthwiseConv2d',
      inputShape: options.inputShape,
      kernelHeight,
      kernelWidth,
      channelMultiplier,
      strides: options.strides,
      dilations: options.dilations,
      padding: options.padding,
      hasBias: depthwiseUseBias,
      activation: options.depthwiseActivation,
    },
    op,
    'options.inputShape',
  );
  const pointwise = convGeometry(
    {
      kind: 'pointwiseConv2d',
      inputShape: outputShape(depthwise),
      kernelHeight: 1,
      kernelWidth: 1,
      outChannels,
      hasBias: useBias,
      activation: options.activation,
    },
    op,
    'options.inputShape',
  );
  return {
    type: 'separableConv2d',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape: [...options.inputShape],
    outputShape: outputShape(pointwise),
    kernelSize: [kernelHeight, kernelWidth],
    channelMultiplier,
    outChannels,
    strides: [depthwise.strideHeight, depthwise.strideWidth],
    dilations: [depthwise.dilationHeight, depthwise.dilationWidth],
    padding: storedPadding(options.padding),
    depthwiseUseBias,
    depthwiseActivation: depthwise.activation,
    useBias,
    activation: pointwise.activation,
  };
}
