import { convGeometry, outputShape, type Activation, type Padding } from '@sepconv/tensor';
import { booleanOption, checkLayerOptions, kernelSizePair, layerInputs, layerName, positiveInteger, storedPadding } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/** A standard convolution: filter `[kernelHeight, kernelWidth, inChannels, outChannels]`. */
export interface Conv2dLayer extends LayerBase {
  readonly type: 'conv2d';
  /** `[kernelHeight, kernelWidth]`. */
  readonly kernelSize: readonly [number, number];
  readonly outChannels: number;
  /** `[strideHeight, strideWidth]`. */
  readonly strides: readonly [number, number];
  /** `[dilationHeight, dilationWidth]`. */
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  /** Whether a bias `[outChannels]` is added. */
  readonly useBias: boolean;
  readonly activation: Activation;
}

/** Options of {@link conv2dLayer}. */
export interface Conv2dLayerOptions {
  /** Default `'conv2d'`. */
  name?: string | undefined;
  /** NHWC `[batch, height, width, inChannels]`. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  /** One number for a square kernel or `[height, width]`. */
  kernelSize: number | readonly [number, number];
  outChannels: number;
  /** Default 1. */
  strides?: number | readonly [number, number] | undefined;
  /** Default 1. */
  dilations?: number | readonly [number, number] | undefined;
  /** Default `'valid'`, as TensorFlow and Keras. */
  padding?: Padding | undefined;
  /** Default false: as the Backend ops, no bias unless asked (MobileNet's convs feed batch norm). */
  useBias?: boolean | undefined;
  /** Default `'linear'`. */
  activation?: Activation | undefined;
}

/**
 * Describes a standard convolution; the output shape is resolved with `convGeometry`.
 * @throws ShapeError / ValueError naming `conv2dLayer` and the option at fault.
 */
export function conv2dLayer(options: Conv2dLayerOptions): Conv2dLayer {
  const op = 'conv2dLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'conv2d');
  const [kernelHeight, kernelWidth] = kernelSizePair(op, options.kernelSize);
  const outChannels = positiveInteger(op, 'options.outChannels', options.outChannels);
  const useBias = booleanOption(op, 'options.useBias', options.useBias, false);
  const g = convGeometry(
    {
      kind: 'conv2d',
      inputShape: options.inputShape,
      kernelHeight,
      kernelWidth,
      outChannels,
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
    type: 'conv2d',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape: [...options.inputShape],
    outputShape: outputShape(g),
    kernelSize: [kernelHeight, kernelWidth],
    outChannels,
    strides: [g.strideHeight, g.strideWidth],
    dilations: [g.dilationHeight, g.dilationWidth],
    padding: storedPadding(options.padding),
    useBias,
    activation: g.activation,
  };
}
