import { assertTensor, checkInputShape } from './conv-geometry.js';
import type { GlobalPool2dOptions, PoolType } from './options.js';
import { checkPoolType, checkRequiredOptions } from './pool2d-geometry.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything a global pooling kernel needs: NHWC `x` `[batch, inHeight, inWidth, channels]`
 * reduces over height and width to `[batch, 1, 1, channels]`, the mean (`avg`, dividing by
 * `inHeight · inWidth`) or the maximum (`max`) of each image's channel.
 */
export interface GlobalPool2dGeometry {
  readonly type: PoolType;
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly shape: readonly number[];
  readonly size: number;
}

/**
 * Validates `globalPool2d(x, options)` and normalises it into a {@link GlobalPool2dGeometry}.
 * @param x NHWC, float32, height and width ≥ 1.
 * @param options.type `'avg'` or `'max'`, required.
 * @throws ShapeError naming `globalPool2d` and `x` for a non-NHWC `x`.
 * @throws ValueError naming `options` or `options.type`.
 * @throws DTypeError when `x` is not float32.
 */
export function globalPool2dGeometry(x: Tensor, options: GlobalPool2dOptions): GlobalPool2dGeometry {
  const op = 'globalPool2d';
  assertTensor(op, 'x', x);
  return globalPool2dShapeGeometry(op, x.shape, options);
}

/**
 * The {@link GlobalPool2dGeometry} of pooling an input of shape `xShape`, for an int8 op as for a
 * float one; errors name `op` and the argument as {@link globalPool2dGeometry}'s.
 */
export function globalPool2dShapeGeometry(op: string, xShape: readonly number[], options: GlobalPool2dOptions): GlobalPool2dGeometry {
  checkInputShape(op, 'x', xShape);
  checkRequiredOptions(op, options);
  const type = checkPoolType(op, options.type);
  const [batch, inHeight, inWidth, channels] = xShape as [number, number, number, number];
  const shape = [batch, 1, 1, channels];
  return Object.freeze({ type, batch, inHeight, inWidth, channels, shape: Object.freeze(shape), size: sizeOf(shape) });
}
