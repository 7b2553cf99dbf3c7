import { assertTensor, checkActivation, checkOptionsObject } from './conv-geometry.js';
import { formatShape, ShapeError } from './errors.js';
import type { Activation } from './options.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything an element-wise add kernel needs, computed once from the call: the common shape
 * of `a`, `b` and the result (any rank, no broadcasting), its element count and the activation
 * applied after the sum (MobileNetV2's residual connection is `linear`).
 */
export interface AddGeometry {
  readonly shape: readonly number[];
  readonly size: number;
  readonly activation: Activation;
}

/**
 * Validates `add(a, b, options)` and normalises it into an {@link AddGeometry}. Both tensors
 * must be float32 and have exactly the same shape; broadcasting is not offered, because a
 * residual add never needs it and a silent broadcast would hide a wiring mistake.
 * @param options.activation `'linear'` (default), `'relu'` or `'relu6'`.
 * @throws ShapeError naming `add` and `b` when the shapes differ.
 * @throws DTypeError when either tensor is not float32.
 * @throws ValueError for a non-tensor argument, a disposed tensor, a malformed options object
 * or an unknown activation.
 */
export function addGeometry(a: Tensor, b: Tensor, options?: { activation?: Activation }): AddGeometry {
  const op = 'add';
  assertTensor(op, 'a', a);
  assertTensor(op, 'b', b);
  checkOptionsObject(op, options);
  const sameShape = a.shape.length === b.shape.length && a.shape.every((dim, axis) => dim === b.shape[axis]);
  if (!sameShape) {
    throw new ShapeError(op, 'b', `b must have the shape of a ${formatShape(a.shape)}, got ${formatShape(b.shape)}`);
  }
  const activation = checkActivation(op, 'options.activation', options?.activation);
  return { shape: Object.freeze([...a.shape]), size: sizeOf(a.shape), activation };
}
