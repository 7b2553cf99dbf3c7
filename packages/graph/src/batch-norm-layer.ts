import { describeValue, ValueError } from '@sepconv/tensor';
import { activationShape, booleanOption, checkLayerOptions, layerInputs, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * Batch normalisation over the last (channel) axis, inference form:
 * `y = gamma · (x − movingMean) / sqrt(movingVariance + epsilon) + beta`.
 * Keeps four values per channel, of which `gamma` and `beta` are trained and the moving
 * statistics are not (Keras counts all four as parameters).
 */
export interface BatchNormLayer extends LayerBase {
  readonly type: 'batchNorm';
  readonly epsilon: number;
  /** Whether `beta` (an offset) is learned. */
  readonly center: boolean;
  /** Whether `gamma` (a scale) is learned. */
  readonly scale: boolean;
}

/** Options of {@link batchNormLayer}. */
export interface BatchNormLayerOptions {
  /** Default `'batch_normalization'`. */
  name?: string | undefined;
  /** `[batch, …, channels]`, usually NHWC. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  /** Default 1e-3, as Keras. */
  epsilon?: number | undefined;
  /** Default true. */
  center?: boolean | undefined;
  /** Default true. */
  scale?: boolean | undefined;
}

/**
 * Describes a batch normalisation layer; the output shape is the input shape.
 * @throws ShapeError / ValueError naming `batchNormLayer` and the option at fault.
 */
export function batchNormLayer(options: BatchNormLayerOptions): BatchNormLayer {
  const op = 'batchNormLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'batch_normalization');
  const inputShape = activationShape(op, options.inputShape, 2, '[batch, ..., channels]');
  const epsilon = options.epsilon ?? 1e-3;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new ValueError(op, 'options.epsilon', `options.epsilon must be a finite number >= 0, got ${describeValue(options.epsilon)}`);
  }
  return {
    type: 'batchNorm',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape,
    outputShape: [...inputShape],
    epsilon,
    center: booleanOption(op, 'options.center', options.center, true),
    scale: booleanOption(op, 'options.scale', options.scale, true),
  };
}
