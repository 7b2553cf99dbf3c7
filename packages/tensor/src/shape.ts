import { formatShape, ShapeError } from './errors.js';

/**
 * The most elements one tensor may hold: 2³¹ − 1, the largest index a 32-bit signed integer
 * (WebAssembly and WGSL address arithmetic) can reach. Larger tensors are refused up front
 * rather than overflowing inside a kernel.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Number of elements of a shape (1 for a scalar `[]`). Assumes the shape is valid. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/**
 * Checks that every dimension is a non-negative integer and that the element count stays
 * within {@link MAX_ELEMENTS}; throws a {@link ShapeError} naming `op` and `argument`.
 */
export function assertValidShape(op: string, argument: string, shape: readonly number[]): void {
  // `shape` itself, or the shape of a tensor argument (`x shape`).
  const subject = argument === 'shape' ? 'shape' : `${argument} shape`;
  if (!Array.isArray(shape)) {
    throw new ShapeError(op, argument, `${subject} must be an array of dimensions, got ${String(shape)}`);
  }
  for (const [axis, dim] of shape.entries()) {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0) {
      throw new ShapeError(
        op,
        argument,
        `${subject} must hold non-negative integers, got ${String(dim)} at axis ${axis} of ${formatShape(shape)}`,
      );
    }
  }
  const size = sizeOf(shape);
  if (size > MAX_ELEMENTS) {
    throw new ShapeError(
      op,
      argument,
      `${subject} ${formatShape(shape)} has ${size} elements, more than the ${MAX_ELEMENTS} (2^31 - 1) a tensor may hold`,
    );
  }
}
