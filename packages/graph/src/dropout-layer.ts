import { describeValue, ValueError } from '@sepconv/tensor';
import { activationShape, checkLayerOptions, layerInputs, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/** Dropout: zeroes a fraction of activations while training; the identity at inference. */
export interface DropoutLayer extends LayerBase {
  readonly type: 'dropout';
  /** Fraction dropped while training, in `[0, 1)`. */
  readonly rate: number;
}

/** Options of {@link dropoutLayer}. */
export interface DropoutLayerOptions {
  /** Default `'dropout'`. */
  name?: string | undefined;
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  /** In `[0, 1)`. */
  rate: number;
}

/**
 * Describes a dropout layer; output shape = input shape.
 * @throws ShapeError / ValueError naming `dropoutLayer` and the option at fault.
 */
export function dropoutLayer(options: DropoutLayerOptions): DropoutLayer {
  const op = 'dropoutLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'dropout');
  const inputShape = activationShape(op, options.inputShape, 1, '[batch, ...]');
  const rate: unknown = options.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ValueError(op, 'options.rate', `options.rate must be a number in [0, 1), got ${describeValue(rate)}`);
  }
  return { type: 'dropout', name, ...layerInputs(op, options.inputs, 1), inputShape, outputShape: [...inputShape], rate };
}
