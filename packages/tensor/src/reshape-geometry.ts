import { assertTensor } from './conv-geometry.js';
import { formatShape, ShapeError } from './errors.js';
import { assertValidShape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything a reshape needs: the new shape (frozen copy) and the element count, which the
 * input and the result share. The elements keep their row-major order.
 */
export interface ReshapeGeometry {
  readonly shape: readonly number[];
  readonly size: number;
}

/**
 * Validates `reshape(x, shape)` and normalises it into a {@link ReshapeGeometry}. `shape` must be
 * an array of non-negative integers (no `-1` inference: a classifier tail always knows its
 * shape, and an explicit shape catches wiring mistakes) with the element count of `x`.
 * @throws ShapeError naming `reshape` and `shape` for a malformed shape or a different element count.
 * @throws DTypeError when `x` is not float32.
 * @throws ValueError for a non-tensor or disposed `x`.
 */
export function reshapeGeometry(x: Tensor, shape: readonly number[]): ReshapeGeometry {
  const op = 'reshape';
  assertTensor(op, 'x', x);
  return reshapeShapeGeometry(op, x.shape, shape);
}

/** The {@link ReshapeGeometry} of an input of shape `xShape` reshaped to `shape`, for an int8 op as for a float one. */
export function reshapeShapeGeometry(op: string, xShape: readonly number[], shape: readonly number[]): ReshapeGeometry {
  assertValidShape(op, 'shape', shape);
  const size = sizeOf(xShape);
  if (sizeOf(shape) !== size) {
    throw new ShapeError(op, 'shape', `shape ${formatShape(shape)} holds ${sizeOf(shape)} elements but x ${formatShape(xShape)} holds ${size}`);
  }
  return { shape: Object.freeze([...shape]), size };
}
