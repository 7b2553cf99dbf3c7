import { describeValue, formatShape, ShapeError, ValueError } from '@sepconv/tensor';
import { activationShape, checkLayerOptions, layerInputs, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/** Concatenation of several tensors along one axis (channels by default), as Keras's `Concatenate`. */
export interface ConcatLayer extends LayerBase {
  readonly type: 'concat';
  /** The axis, resolved to `0 ≤ axis < rank` (Keras's default −1 is stored as `rank − 1`). */
  readonly axis: number;
  /** The shapes of the inputs, in the order of `inputs`; equal except along `axis`. `inputShape` is the first. */
  readonly inputShapes: readonly (readonly number[])[];
}

/** Options of {@link concatLayer}. */
export interface ConcatLayerOptions {
  /** Default `'concatenate'`. */
  name?: string | undefined;
  /** One shape per input (one or more), all of the same rank. */
  inputShapes: readonly (readonly number[])[];
  /** Default −1 (the channels of NHWC); negative counts from the end. Not the batch axis. */
  axis?: number | undefined;
  /** One tensor name per input shape; required when there are several (`modelSpec` fills in only one). */
  inputs?: readonly string[] | undefined;
}

/**
 * Describes a concatenation; the output's `axis` is the sum of the inputs'.
 * @throws ShapeError / ValueError naming `concatLayer` and the option at fault.
 */
export function concatLayer(options: ConcatLayerOptions): ConcatLayer {
  const op = 'concatLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'concatenate');
  const given: unknown = options.inputShapes;
  if (!Array.isArray(given) || given.length === 0) {
    throw new ShapeError(op, 'options.inputShapes', `options.inputShapes must be one or more shapes, got ${describeValue(given)}`);
  }
  const inputShapes = given.map((shape, i) => activationShape(op, shape, 2, '[batch, ...]', `options.inputShapes[${i}]`));
  const first = inputShapes[0]!;
  const rank = first.length;
  const requested = options.axis ?? -1;
  if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < -rank || requested >= rank) {
    throw new ValueError(op, 'options.axis', `options.axis must be an integer in [-${rank}, ${rank - 1}], got ${describeValue(options.axis)}`);
  }
  const axis = requested < 0 ? requested + rank : requested;
  if (axis === 0) {
    throw new ValueError(op, 'options.axis', 'options.axis must not be the batch axis (0)');
  }
  for (const [i, shape] of inputShapes.entries()) {
    if (shape.length !== rank || shape.some((d, k) => k !== axis && d !== first[k])) {
      throw new ShapeError(
        op,
        `options.inputShapes[${i}]`,
        `options.inputShapes[${i}] ${formatShape(shape)} must equal ${formatShape(first)} except along axis ${axis}`,
      );
    }
  }
  const outputShape = [...first];
  outputShape[axis] = inputShapes.reduce((total, shape) => total + shape[axis]!, 0);
  return { type: 'concat', name, ...layerInputs(op, options.inputs, inputShapes.length), inputShape: first, inputShapes, outputShape, axis };
}
