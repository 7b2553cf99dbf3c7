import { convGeometry, outputShape, type Activation } from '@sepconv/tensor';
import { booleanOption, checkLayerOptions, layerInputs, layerName, positiveInteger } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * A pointwise (1×1, stride 1) convolution: a matrix product `[N·H·W, inChannels] ×
 * [inChannels, outChannels]`; filter `[inChannels, outChannels]`.
 */
export interface PointwiseConv2dLayer extends LayerBase {
  readonly type: 'pointwiseConv2d';
  readonly outChannels: number;
  /** Whether a bias `[outChannels]` is added. */
  readonly useBias: boolean;
  readonly activation: Activation;
}

/** Options of {@link pointwiseConv2dLayer}. */
export interface PointwiseConv2dLayerOptions {
  /** Default `'pointwise_conv2d'`. */
  name?: string | undefined;
  /** NHWC `[batch, height, width, inChannels]`. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  outChannels: number;
  /** Default false. */
  useBias?: boolean | undefined;
  /** Default `'linear'`. */
  activation?: Activation | undefined;
}

/**
 * Describes a pointwise convolution; the output shape is resolved with `convGeometry`.
 * @throws ShapeError / ValueError naming `pointwiseConv2dLayer` and the option at fault.
 */
export function pointwiseConv2dLayer(options: PointwiseConv2dLayerOptions): PointwiseConv2dLayer {
  const op = 'pointwiseConv2dLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'pointwise_conv2d');
  const outChannels = positiveInteger(op, 'options.outChannels', options.outChannels);
  const useBias = booleanOption(op, 'options.useBias', options.useBias, false);
  const g = convGeometry(
    {
      kind: 'pointwiseConv2d',
      inputShape: options.inputShape,
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
    type: 'pointwiseConv2d',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape: [...options.inputShape],
    outputShape: outputShape(g),
    outChannels,
    useBias,
    activation: g.activation,
  };
}
