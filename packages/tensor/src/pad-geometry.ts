import { describeValue } from './describe-value.js';
import { assertTensor, checkInputShape, checkOptionsObject, explicitPadding } from './conv-geometry.js';
import { formatShape, ShapeError, ValueError } from './errors.js';
import type { ExplicitPadding, PadOptions } from './options.js';
import { MAX_ELEMENTS, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything a pad kernel needs: NHWC `x` `[batch, inHeight, inWidth, channels]` becomes
 * `[batch, outHeight, outWidth, channels]` with `outHeight = padTop + inHeight + padBottom`
 * (likewise width); `y[b, oy, ox, c] = x[b, oy − padTop, ox − padLeft, c]` inside, `value` outside.
 */
export interface PadGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly shape: readonly number[];
  readonly size: number;
  /** The fill value of the padded cells (any number, ±Infinity included). */
  readonly value: number;
}

/**
 * Validates `pad(x, padding, options)` and normalises it into a {@link PadGeometry}.
 * @param x NHWC, float32.
 * @param padding cells added per side of the height (`top`, `bottom`) and width (`left`, `right`) axes, non-negative integers.
 * @param options.value the fill value, default 0.
 * @throws ShapeError naming `pad` and `x` for a non-NHWC `x` or a result past MAX_ELEMENTS.
 * @throws ValueError naming `padding` or `options.value` for a malformed padding or a non-number value.
 * @throws DTypeError when `x` is not float32.
 */
export function padGeometry(x: Tensor, padding: ExplicitPadding, options?: PadOptions): PadGeometry {
  const op = 'pad';
  assertTensor(op, 'x', x);
  checkOptionsObject(op, options);
  const value = options?.value ?? 0;
  if (typeof value !== 'number') {
    throw new ValueError(op, 'options.value', `options.value must be a number, got ${describeValue(value)}`);
  }
  return padShapeGeometry(op, x.shape, padding, value);
}

/**
 * The {@link PadGeometry} of padding an input of shape `xShape` with `value`, for an int8 op as
 * for a float one; errors name `op` and `x` / `padding` as {@link padGeometry}'s.
 */
export function padShapeGeometry(op: string, xShape: readonly number[], padding: ExplicitPadding, value: number): PadGeometry {
  checkInputShape(op, 'x', xShape);
  const pad = explicitPadding(op, 'padding', padding);
  const [batch, inHeight, inWidth, channels] = xShape as [number, number, number, number];
  const outHeight = pad.top + inHeight + pad.bottom;
  const outWidth = pad.left + inWidth + pad.right;
  const shape = [batch, outHeight, outWidth, channels];
  if (sizeOf(shape) > MAX_ELEMENTS) {
    throw new ShapeError(
      op,
      'x',
      `x ${formatShape(xShape)} padded to ${formatShape(shape)} would have more than the ${MAX_ELEMENTS} (2^31 - 1) elements a tensor may hold`,
    );
  }
  return Object.freeze({
    batch,
    inHeight,
    inWidth,
    channels,
    padTop: pad.top,
    padBottom: pad.bottom,
    padLeft: pad.left,
    padRight: pad.right,
    outHeight,
    outWidth,
    shape: Object.freeze(shape),
    size: sizeOf(shape),
    value,
  });
}
