import { convGeometry, outputShape, type Activation, type Padding } from '@sepconv/tensor';
import { booleanOption, checkLayerOptions, kernelSizePair, layerInputs, layerName, positiveInteger, storedPadding } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * A depthwise convolution: one `kernelHeight × kernelWidth` filter per input channel and
 * multiplier, filter `[kernelHeight, kernelWidth, inChannels, channelMultiplier]`; input
 * channel `c` produces output channels `c * channelMultiplier + m`.
 */
export interface DepthwiseConv2dLayer extends LayerBase {
  readonly type: 'depthwiseConv2d';
  /** `[kernelHeight, kernelWidth]`. */
  readonly kernelSize: readonly [number, number];
  readonly channelMultiplier: number;
  /** `[strideHeight, strideWidth]`. */
  readonly strides: readonly [number, number];
  /** `[dilationHeight, dilationWidth]`. */
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  /** Whether a bias `[inChannels * channelMultiplier]` is added. */
  readonly useBias: boolean;
  readonly activation: Activation;
}

/** Options of {@link depthwiseConv2dLayer}. */
export interface DepthwiseConv2dLayerOptions {
  /** Default `'depthwise_conv2d'`. */
  name?: string | undefined;
  /** NHWC `[batch, height, width, inChannels]`. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  /** One number for a square kernel or `[height, width]`. */
  kernelSize: number | readonly [number, number];
  /** Default 1. */
  channelMultiplier?: number | undefined;
  /** Default 1. */
  strides?: number | readonly [number, number] | undefined;
  /** Default 1. */
  dilations?: number | readonly [number, number] | undefined;
  /** Default `'valid'`. */
  padding?: Padding | undefined;
  /** Default false. */
  useBias?: boolean | undefined;
  /** Default `'linear'`. */
  activation?: Activation | undefined;
}

/**
 * Describes a depthwise convolution; the output shape is resolved with `convGeometry`.
 * @throws ShapeError / ValueError naming `depthwiseConv2dLayer` and the option at fault.
 */
export function depthwiseConv2dLayer(options: DepthwiseConv2dLayerOptions): DepthwiseConv2dLayer {
  const op = 'depthwiseConv2dLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'depthwise_conv2d');
  const [kernelHeight, kernelWidth] = kernelSizePair(op, options.kernelSize);
  const channelMultiplier = positiveInteger(op, 'options.channelMultiplier', options.channelMultiplier, 1);
  const useBias = booleanOption(op, 'options.useBias', options.useBias, false);
  const g = convGeometry(
    {
      kind: 'depthwiseConv2d',
      inputShape: options.inputShape,
      kernelHeight,
      kernelWidth,
      channelMultiplier,
      strides: options.strides,
      dilations: options.dilations,
      padding: options.padding,
      hasBias: useBias,
      activation: options.activation,
    },
    op,
    'options.inputShape',
  );
  return {
    type: 'depthwiseConv2d',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape: [...options.inputShape],
    outputShape: outputShape(g),
    kernelSize: [kernelHeight, kernelWidth],
    channelMultiplier,
    strides: [g.strideHeight, g.strideWidth],
    dilations: [g.dilationHeight, g.dilationWidth],
    padding: storedPadding(options.padding),
    useBias,
    activation: g.activation,
  };
}
