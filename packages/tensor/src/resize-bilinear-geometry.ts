import { describeValue } from './describe-value.js';
import { assertTensor, checkInputShape, checkOptionsObject } from './conv-geometry.js';
import { formatShape, ShapeError, ValueError } from './errors.js';
import type { ResizeBilinearOptions } from './options.js';
import { MAX_ELEMENTS, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything a bilinear resize kernel needs, TensorFlow's `resize_bilinear` semantics: output
 * row `oy` samples input row `sy = (oy + 0.5)·heightScale − 0.5` with `halfPixelCenters`, else
 * `sy = oy·heightScale`; it blends rows `max(floor(sy), 0)` and `min(ceil(sy), inHeight − 1)`
 * with weight `sy − floor(sy)` on the second (likewise columns), so samples outside the input
 * take the edge row. `heightScale` is `(inHeight − 1) / (outHeight − 1)` with `alignCorners` and
 * `outHeight > 1`, else `inHeight / outHeight` (likewise width).
 */
export interface ResizeBilinearGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
  readonly heightScale: number;
  readonly widthScale: number;
  readonly shape: readonly number[];
  readonly size: number;
}

function booleanOption(op: string, argument: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ValueError(op, argument, `${argument} must be a boolean, got ${describeValue(value)}`);
  return value;
}

function scale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/**
 * Validates `resizeBilinear(x, size, options)` and normalises it into a {@link ResizeBilinearGeometry}.
 * @param x NHWC, float32.
 * @param size `[outHeight, outWidth]`, positive integers.
 * @param options.alignCorners default `false`. @param options.halfPixelCenters default `true`
 * (TF2's `tf.image.resize`); both true is refused, as TensorFlow refuses it.
 * @throws ShapeError naming `resizeBilinear` and `x` (not NHWC, or a result past MAX_ELEMENTS).
 * @throws ValueError naming `size`, `options.alignCorners` or `options.halfPixelCenters`.
 * @throws DTypeError when `x` is not float32.
 */
export function resizeBilinearGeometry(x: Tensor, size: readonly [number, number], options?: ResizeBilinearOptions): ResizeBilinearGeometry {
  const op = 'resizeBilinear';
  assertTensor(op, 'x', x);
  checkInputShape(op, 'x', x.shape);
  const validSize = Array.isArray(size) && size.length === 2 && size.every((dim) => typeof dim === 'number' && Number.isInteger(dim) && dim >= 1);
  if (!validSize) throw new ValueError(op, 'size', `size must be [outHeight, outWidth] of positive integers, got ${describeValue(size)}`);
  checkOptionsObject(op, options);
  const alignCorners = booleanOption(op, 'options.alignCorners', options?.alignCorners, false);
  const halfPixelCenters = booleanOption(op, 'options.halfPixelCenters', options?.halfPixelCenters, !alignCorners);
  if (alignCorners && halfPixelCenters) {
    throw new ValueError(
      op,
      'options.halfPixelCenters',
      'options.halfPixelCenters must be false when options.alignCorners is true (TensorFlow refuses the pair too)',
    );
  }
  const [batch, inHeight, inWidth, channels] = x.shape as [number, number, number, number];
  const [outHeight, outWidth] = size;
  const shape = [batch, outHeight, outWidth, channels];
  if (sizeOf(shape) > MAX_ELEMENTS) {
    throw new ShapeError(
      op,
      'x',
      `x ${formatShape(x.shape)} resized to ${formatShape(shape)} would have more than the ${MAX_ELEMENTS} (2^31 - 1) elements a tensor may hold`,
    );
  }
  return Object.freeze({
    batch,
    inHeight,
    inWidth,
    channels,
    outHeight,
    outWidth,
    alignCorners,
    halfPixelCenters,
    heightScale: scale(inHeight, outHeight, alignCorners),
    widthScale: scale(inWidth, outWidth, alignCorners),
    shape: Object.freeze(shape),
    size: sizeOf(shape),
  });
}
