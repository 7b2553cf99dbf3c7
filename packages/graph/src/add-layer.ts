import { describeValue, ValueError } from '@sepconv/tensor';
import { activationShape, checkLayerOptions, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * Element-wise sum of two equally shaped outputs: the residual connection of an inverted
 * residual block. Unlike the other layers, which consume the output of the layer listed
 * before them, an add names both inputs (layer names, or the model's `inputName`).
 */
export interface AddLayer extends LayerBase {
  readonly type: 'add';
  /** Names of the two layers whose outputs are summed. */
  readonly inputs: readonly [string, string];
}

/** Options of {@link addLayer}. */
export interface AddLayerOptions {
  /** Default `'add'`. */
  name?: string;
  /** The shape of each input (and of the output). */
  inputShape: readonly number[];
  /** Names of the two layers whose outputs are summed. */
  inputs: readonly [string, string];
}

/**
 * Describes a residual add.
 * @throws ShapeError / ValueError naming `addLayer` and the option at fault.
 */
export function addLayer(options: AddLayerOptions): AddLayer {
  const op = 'addLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'add');
  const inputShape = activationShape(op, options.inputShape, 1, '[batch, ...]');
  const inputs: unknown = options.inputs;
  if (!Array.isArray(inputs) || inputs.length !== 2 || !inputs.every((n) => typeof n === 'string' && n.length > 0)) {
    throw new ValueError(op, 'options.inputs', `options.inputs must be two layer names, got ${describeValue(inputs)}`);
  }
  return { type: 'add', name, inputShape, outputShape: [...inputShape], inputs: [inputs[0], inputs[1]] };
}
