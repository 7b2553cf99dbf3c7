import { describeValue } from './describe-value.js';
import { formatShape, ShapeError } from './errors.js';

/**
 * The most elements one tensor may hold: 2³¹ − 1, the largest index a 32-bit signed integer
 * (WebAssembly and WGSL address arithmetic) can reach. Larger tensors are refused up front
 * rather than overflowing inside a kernel.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Number of elements of a shape (1 for a scalar `[]`). Assumes the shape is valid (see {@link assertValidShape}). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/**
 * True when `shape`'s dimensions (non-negative numbers) multiply past {@link MAX_ELEMENTS},
 * zero dimensions left out: an empty tensor must still have strides that 32-bit index
 * arithmetic can reach. Multiplied step by step and stopped at the first excess, so huge
 * dimensions (`[1e300, 1e300, 0]`) never turn the product into Infinity or NaN.
 */
export function exceedsMaxElements(shape: readonly number[]): boolean {
  let size = 1;
  for (const dim of shape) {
    if (dim > 0) size *= dim;
    if (size > MAX_ELEMENTS) return true;
  }
  return false;
}

/**
 * Checks that every dimension is a non-negative integer and that the element count stays
 * within {@link MAX_ELEMENTS} (zero dimensions aside, see {@link exceedsMaxElements}); throws
 * a {@link ShapeError} naming `op` and `argument`.
 * @param subject how the message names the shape; default `argument` when it names a shape
 *   (`shape`, `options.shape`), else `<argument> shape` (`x shape`).
 */
export function assertValidShape(
  op: string,
  argument: string,
  shape: readonly number[],
  subject = /(^|\.)shape$/.test(argument) ? argument : `${argument} shape`,
): void {
  if (!Array.isArray(shape)) {
    throw new ShapeError(op, argument, `${subject} must be an array of dimensions, got ${describeValue(shape)}`);
  }
  for (const [axis, dim] of shape.entries()) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new ShapeError(
        op,
        argument,
        `${subject} must hold non-negative integers, got ${describeValue(dim)} at axis ${axis} of ${formatShape(shape)}`,
      );
    }
  }
  if (exceedsMaxElements(shape)) {
    const zeros = shape.includes(0) ? ' (zero dimensions aside)' : '';
    throw new ShapeError(
      op,
      argument,
      `${subject} ${formatShape(shape)} has more elements${zeros} than the ${MAX_ELEMENTS} (2^31 - 1) a tensor may hold`,
    );
  }
}
