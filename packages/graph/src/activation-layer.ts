import { describeValue, ValueError } from '@sepconv/tensor';
import { activationShape, checkLayerOptions, layerInputs, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * A stand-alone activation: the clamps (`'linear'`, `'relu'`, `'relu6'`), MobileNetV3's
 * `'sigmoid'`, `'hardSigmoid'` (`relu6(x + 3) / 6`, the Keras / TF-Lite / PyTorch form) and
 * `'hardSwish'` (`x · relu6(x + 3) / 6`), element-wise — all but `'sigmoid'` also convolution
 * epilogues; or `'softmax'` over the last axis (a classifier's output).
 */
export type LayerActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'hardSigmoid' | 'hardSwish' | 'softmax';

/** Every {@link LayerActivation}, in the order documentation lists them. */
export const LAYER_ACTIVATIONS: readonly LayerActivation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish', 'softmax'];

/** An element-wise activation (or softmax over the last axis); output shape = input shape. */
export interface ActivationLayer extends LayerBase {
  readonly type: 'activation';
  readonly activation: LayerActivation;
}

/** Options of {@link activationLayer}. */
export interface ActivationLayerOptions {
  /** Default: the activation's name (`'relu6'`). */
  name?: string | undefined;
  /** Any shape with a batch axis first. */
  inputShape: readonly number[];
  activation: LayerActivation;
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
}

/** Checks a {@link LayerActivation} option (`argument` names it in the error). */
export function checkLayerActivation(op: string, argument: string, value: unknown, fallback?: LayerActivation): LayerActivation {
  const resolved = value === undefined ? fallback : value;
  if (!LAYER_ACTIVATIONS.includes(resolved as LayerActivation)) {
    throw new ValueError(
      op,
      argument,
      `${argument} must be one of ${LAYER_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  return resolved as LayerActivation;
}

/**
 * Describes an activation layer.
 * @throws ShapeError / ValueError naming `activationLayer` and the option at fault.
 */
export function activationLayer(options: ActivationLayerOptions): ActivationLayer {
  const op = 'activationLayer';
  checkLayerOptions(op, options);
  const activation = checkLayerActivation(op, 'options.activation', options.activation);
  const inputShape = activationShape(op, options.inputShape, 1, '[batch, ...]');
  return {
    type: 'activation',
    name: layerName(op, options.name, activation),
    ...layerInputs(op, options.inputs, 1),
    inputShape,
    outputShape: [...inputShape],
    activation,
  };
}
