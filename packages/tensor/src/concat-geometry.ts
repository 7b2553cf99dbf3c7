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
  assertTensorList(op, xs);
  xs.forEach((x, i) => assertTensor(op, `xs[${i}]`, x));
  return concatShapesGeometry(
    op,
    xs.map((x) => x.shape),
    options,
  );
}

/** Checks that `xs` is a non-empty array; ValueError naming `op` and `xs` otherwise. */
export function assertTensorList(op: string, xs: unknown): asserts xs is readonly unknown[] {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ValueError(op, 'xs', `xs must be a non-empty array of tensors, got ${Array.isArray(xs) ? '[]' : typeof xs}`);
  }
}

/**
 * The {@link ConcatGeometry} of joining inputs of the given (validated) shapes, for an int8 op as
 * for a float one; errors name `op` and `xs[i]` / `options.axis` as {@link concatGeometry}'s.
 */
export function concatShapesGeometry(op: string, shapes: readonly (readonly number[])[], options?: ConcatOptions): ConcatGeometry {
  checkOptionsObject(op, options);
  const first = shapes[0]!;
  if (first.length === 0) throw new ShapeError(op, 'xs[0]', 'xs[0] must have rank >= 1 to be joined along an axis, got a scalar []');
  const axis = resolveAxis(op, options?.axis, first.length);
  const shape = [...first];
  shape[axis] = 0;
  for (const [i, xShape] of shapes.entries()) {
    const same = xShape.length === first.length && xShape.every((dim, d) => d === axis || dim === first[d]);
    if (!same) {
      throw new ShapeError(op, `xs[${i}]`, `xs[${i}] ${formatShape(xShape)} must match xs[0] ${formatShape(first)} on every axis but ${axis}`);
    }
    shape[axis] += xShape[axis]!;
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
  const innerSizes = shapes.map((xShape) => xShape[axis]! * after);
  return Object.freeze({
    shape: Object.freeze(shape),
    size,
    axis,
    outer: sizeOf(first.slice(0, axis)),
    innerSizes: Object.freeze(innerSizes),
    outInner: shape[axis]! * after,
  });
}
