import { describeValue } from './describe-value.js';
import { assertTensor, checkOptionsObject } from './conv-geometry.js';
import { formatShape, ShapeError, ValueError } from './errors.js';
import type { ConcatOptions } from './options.js';
import { MAX_ELEMENTS, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything a concat kernel needs. Seen row-major, every input is `outer` blocks of
 * `innerSizes[k]` contiguous elements (its size along `axis` times the product of the axes
 * after it), and the result is `outer` blocks of `outInner = Σ innerSizes`: block `o` of the
 * result is block `o` of each input in turn.
 */
export interface ConcatGeometry {
  readonly shape: readonly number[];
  readonly size: number;
  /** The join axis, normalised to `0 ≤ axis < rank`. */
  readonly axis: number;
  /** Product of the dimensions before `axis`. */
  readonly outer: number;
  /** Per input: its dimension along `axis` × the product of the dimensions after it. */
  readonly innerSizes: readonly number[];
  /** The sum of `innerSizes`: one block of the result. */
  readonly outInner: number;
}

function resolveAxis(op: string, axis: unknown, rank: number): number {
  const value = axis === undefined ? -1 : axis;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -rank || value >= rank) {
    throw new ValueError(
      op,
      'options.axis',
      `options.axis must be an integer in [${-rank}, ${rank - 1}] for rank ${rank} inputs, got ${describeValue(axis)}`,
    );
  }
  return value < 0 ? value + rank : value;
}

/**
 * Validates `concat(xs, options)` and normalises it into a {@link ConcatGeometry}. `xs` holds
 * one or more float32 tensors of one rank (≥ 1) whose dimensions agree except along `axis`.
 * @param options.axis default `-1`, the channels of NHWC; any axis, negative from the end.
 * @throws ValueError naming `concat` and `xs` for an empty or non-array `xs`, `xs[i]` for a
 * non-tensor or disposed element, `options.axis` for an axis outside the rank.
 * @throws ShapeError naming `xs[i]` for a scalar, a rank or a dimension that differs from `xs[0]`'s.
 * @throws DTypeError when an input is not float32.
 */
export function concatGeometry(xs: readonly Tensor[], options?: ConcatOptions): ConcatGeometry {
  const op = 'concat';
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ValueError(op, 'xs', `xs must be a non-empty array of tensors, got ${Array.isArray(xs) ? '[]' : typeof xs}`);
  }
  xs.forEach((x, i) => assertTensor(op, `xs[${i}]`, x));
  checkOptionsObject(op, options);
  const first = xs[0]!.shape;
  if (first.length === 0) throw new ShapeError(op, 'xs[0]', 'xs[0] must have rank >= 1 to be joined along an axis, got a scalar []');
  const axis = resolveAxis(op, options?.axis, first.length);
  const shape = [...first];
  shape[axis] = 0;
  for (const [i, x] of (xs as readonly Tensor[]).entries()) {
    const same = x.shape.length === first.length && x.shape.every((dim, d) => d === axis || dim === first[d]);
    if (!same) {
      throw new ShapeError(op, `xs[${i}]`, `xs[${i}] ${formatShape(x.shape)} must match xs[0] ${formatShape(first)} on every axis but ${axis}`);
    }
    shape[axis] += x.shape[axis]!;
  }
  const size = sizeOf(shape);
  if (size > MAX_ELEMENTS) {
    throw new ShapeError(
      op,
      'xs',
      `the result ${formatShape(shape)} would have ${size} elements, more than the ${MAX_ELEMENTS} (2^31 - 1) a tensor may hold`,
    );
  }
  const after = sizeOf(first.slice(axis + 1));
  const innerSizes = xs.map((x) => x.shape[axis]! * after);
  return Object.freeze({
    shape: Object.freeze(shape),
    size,
    axis,
    outer: sizeOf(first.slice(0, axis)),
    innerSizes: Object.freeze(innerSizes),
    outInner: shape[axis]! * after,
  });
}
