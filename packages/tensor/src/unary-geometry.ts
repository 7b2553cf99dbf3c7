import { checkActivation } from './activation.js';
import { assertTensor } from './conv-geometry.js';
import { ValueError } from './errors.js';
import type { Activation } from './options.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** Everything an element-wise activation kernel needs: the shape of `x` and the result, its element count, the activation. */
export interface UnaryGeometry {
  readonly shape: readonly number[];
  readonly size: number;
  readonly activation: Activation;
}

/**
 * Validates `activation(x, activation)` and normalises it into a {@link UnaryGeometry}. `x`
 * may have any shape (including empty); `activation` is required and may be any
 * {@link Activation}, including those convolutions do not fuse.
 * @throws ValueError naming `activation` and `activation` for a missing or unknown name, or `x`
 * for a non-tensor or disposed `x`.
 * @throws DTypeError when `x` is not float32.
 */
export function unaryGeometry(x: Tensor, activation: Activation): UnaryGeometry {
  const op = 'activation';
  assertTensor(op, 'x', x);
  if (activation === undefined) {
    throw new ValueError(op, 'activation', 'activation is required (the name of the activation to apply), got undefined');
  }
  return Object.freeze({
    shape: Object.freeze([...x.shape]),
    size: sizeOf(x.shape),
    activation: checkActivation(op, 'activation', activation),
  });
}
