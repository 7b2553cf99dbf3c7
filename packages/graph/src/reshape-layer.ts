import { describeValue, formatShape, ShapeError, sizeOf } from '@sepconv/tensor';
import { activationShape, checkLayerOptions, layerInputs, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/** A reshape that keeps the batch axis and the row-major order of the data (a view, no copy). */
export interface ReshapeLayer extends LayerBase {
  readonly type: 'reshape';
  /** The output shape without the batch axis, as Keras's `Reshape`. */
  readonly targetShape: readonly number[];
}

/** Options of {@link reshapeLayer}. */
export interface ReshapeLayerOptions {
  /** Default `'reshape'`. */
  name?: string | undefined;
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  /** Without the batch axis; its element count must equal the input's per example. */
  targetShape: readonly number[];
}

/**
 * Describes a reshape; output `[batch, ...targetShape]`.
 * @throws ShapeError / ValueError naming `reshapeLayer` and the option at fault.
 */
export function reshapeLayer(options: ReshapeLayerOptions): ReshapeLayer {
  const op = 'reshapeLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'reshape');
  const inputShape = activationShape(op, options.inputShape, 1, '[batch, ...]');
  const target: unknown = options.targetShape;
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)) {
    throw new ShapeError(
      op,
      'options.targetShape',
      `options.targetShape must be positive integer dimensions (without the batch axis), got ${describeValue(target)}`,
    );
  }
  const targetShape = [...(target as number[])];
  const perExample = sizeOf(inputShape.slice(1));
  if (sizeOf(targetShape) !== perExample) {
    throw new ShapeError(
      op,
      'options.targetShape',
      `options.targetShape ${formatShape(targetShape)} must hold ${perExample} elements per example (input ${formatShape(inputShape)})`,
    );
  }
  return { type: 'reshape', name, ...layerInputs(op, options.inputs, 1), inputShape, outputShape: [inputShape[0]!, ...targetShape], targetShape };
}
