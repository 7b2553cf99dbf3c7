import { describeValue, ValueError } from '@sepconv/tensor';
import { activationShape, checkLayerOptions, layerInputs, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * Keras's `Rescaling` preprocessing layer: `y = x · scale + offset`, element-wise, with the two
 * numbers part of the spec (not weights: Keras counts no parameters). MobileNetV3 starts with
 * `scale = 1/127.5, offset = −1`, mapping pixels in `[0, 255]` to `[−1, 1]`.
 */
export interface RescalingLayer extends LayerBase {
  readonly type: 'rescaling';
  readonly scale: number;
  readonly offset: number;
}

/** Options of {@link rescalingLayer}. */
export interface RescalingLayerOptions {
  /** Default `'rescaling'`. */
  name?: string | undefined;
  /** Any shape with a batch axis first. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  /** A finite number. */
  scale: number;
  /** A finite number. Default 0. */
  offset?: number | undefined;
}

function finite(op: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(op, argument, `${argument} must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Describes a rescaling layer; output shape = input shape.
 * @throws ShapeError / ValueError naming `rescalingLayer` and the option at fault.
 */
export function rescalingLayer(options: RescalingLayerOptions): RescalingLayer {
  const op = 'rescalingLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'rescaling');
  const inputShape = activationShape(op, options.inputShape, 1, '[batch, ...]');
  const scale = finite(op, 'options.scale', options.scale);
  const offset = options.offset === undefined ? 0 : finite(op, 'options.offset', options.offset);
  return { type: 'rescaling', name, ...layerInputs(op, options.inputs, 1), inputShape, outputShape: [...inputShape], scale, offset };
}
