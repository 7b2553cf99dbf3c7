import { assertTensor } from './conv-geometry.js';
import { formatShape, ShapeError } from './errors.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything a softmax kernel needs, computed once from the call: the shape of `x` and the
 * result (identical), the number of rows (the product of every axis but the last) and the
 * length of one row (the last axis, over which the softmax runs).
 */
export interface SoftmaxGeometry {
  readonly shape: readonly number[];
  readonly rows: number;
  readonly rowLength: number;
}

/**
 * Validates `softmax(x)` and normalises it into a {@link SoftmaxGeometry}. The softmax runs
 * over the last axis, so `x` needs rank ≥ 1 and a last dimension ≥ 1 (an empty row has no
 * distribution to normalise).
 * @throws ShapeError naming `softmax` and `x` for a scalar or an empty last axis.
 * @throws DTypeError when `x` is not float32.
 * @throws ValueError for a non-tensor or disposed `x`.
 */
export function softmaxGeometry(x: Tensor): SoftmaxGeometry {
  const op = 'softmax';
  assertTensor(op, 'x', x);
  if (x.shape.length < 1) {
    throw new ShapeError(op, 'x', `x must have rank >= 1 (softmax runs over the last axis), got a scalar ${formatShape(x.shape)}`);
  }
  const rowLength = x.shape[x.shape.length - 1]!;
  if (rowLength < 1) {
    throw new ShapeError(op, 'x', `x must have a last dimension >= 1, got ${formatShape(x.shape)}`);
  }
  return { shape: Object.freeze([...x.shape]), rows: sizeOf(x.shape) / rowLength, rowLength };
}
