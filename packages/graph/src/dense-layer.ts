import { checkLayerActivation, type LayerActivation } from './activation-layer.js';
import { activationShape, booleanOption, checkLayerOptions, layerInputs, layerName, positiveInteger } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * A fully connected layer over the last axis: `[batch, …, inFeatures] × [inFeatures, units]`
 * (kernel layout `[inFeatures, units]`, as Keras).
 */
export interface DenseLayer extends LayerBase {
  readonly type: 'dense';
  readonly units: number;
  /** Whether a bias `[units]` is added. */
  readonly useBias: boolean;
  readonly activation: LayerActivation;
}

/** Options of {@link denseLayer}. */
export interface DenseLayerOptions {
  /** Default `'dense'`. */
  name?: string | undefined;
  /** `[batch, …, inFeatures]`. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  units: number;
  /** Default false, as the convolution layers. */
  useBias?: boolean | undefined;
  /** Default `'linear'`; a classifier uses `'softmax'`. */
  activation?: LayerActivation | undefined;
}

/**
 * Describes a dense layer.
 * @throws ShapeError / ValueError naming `denseLayer` and the option at fault.
 */
export function denseLayer(options: DenseLayerOptions): DenseLayer {
  const op = 'denseLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'dense');
  const inputShape = activationShape(op, options.inputShape, 2, '[batch, ..., inFeatures]');
  const units = positiveInteger(op, 'options.units', options.units);
  return {
    type: 'dense',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape,
    outputShape: [...inputShape.slice(0, -1), units],
    units,
    useBias: booleanOption(op, 'options.useBias', options.useBias, false),
    activation: checkLayerActivation(op, 'options.activation', options.activation, 'linear'),
  };
}
