import { describeValue, ValueError } from '@sepconv/tensor';
import { checkLayerOptions, layerInputs, layerName, nhwcShape } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/** Explicit spatial padding, `[top, bottom, left, right]` in pixels. */
export interface SpatialPadding {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * Constant padding of the height and width of an NHWC tensor, as Keras's `ZeroPadding2D` or a
 * graph's `Pad`/`PadV2` on the spatial axes: output `[N, top + H + bottom, left + W + right, C]`.
 */
export interface PadLayer extends LayerBase {
  readonly type: 'pad';
  readonly padding: SpatialPadding;
  /** The value written into the border. */
  readonly value: number;
}

/** Options of {@link padLayer}. */
export interface PadLayerOptions {
  /** Default `'zero_padding2d'`. */
  name?: string | undefined;
  /** NHWC `[batch, height, width, channels]`. */
  inputShape: readonly number[];
  /** Non-negative integers. */
  padding: SpatialPadding;
  /** Default 0. */
  value?: number | undefined;
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
}

const SIDES = ['top', 'bottom', 'left', 'right'] as const;

/**
 * Describes a spatial padding.
 * @throws ShapeError / ValueError naming `padLayer` and the option at fault.
 */
export function padLayer(options: PadLayerOptions): PadLayer {
  const op = 'padLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'zero_padding2d');
  const [batch, height, width, channels] = nhwcShape(op, options.inputShape);
  checkLayerOptions(op, options.padding);
  for (const side of SIDES) {
    const amount: unknown = options.padding[side];
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
      throw new ValueError(op, `options.padding.${side}`, `options.padding.${side} must be a non-negative integer, got ${describeValue(amount)}`);
    }
  }
  const { top, bottom, left, right } = options.padding;
  const value = options.value ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ValueError(op, 'options.value', `options.value must be a number, got ${describeValue(options.value)}`);
  }
  return {
    type: 'pad',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape: [batch, height, width, channels],
    outputShape: [batch, top + height + bottom, left + width + right, channels],
    padding: { top, bottom, left, right },
    value,
  };
}
