import { describeValue } from './describe-value.js';
import { assertTensor, checkInputShape, placeWindow, positivePair, type WindowPlacement } from './conv-geometry.js';
import { formatShape, ShapeError, ValueError } from './errors.js';
import type { Pool2dOptions, PoolType } from './options.js';
import { MAX_ELEMENTS, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Everything a windowed pooling kernel needs, TensorFlow semantics: output `[batch, outHeight,
 * outWidth, channels]`; the window of output `(oy, ox)` covers input rows
 * `oy·strideHeight − padTop … + kernelHeight − 1` (likewise columns), clipped to the input.
 * `avg` divides by the number of input cells in the clipped window (padding excluded, as
 * TF and ONNX `count_include_pad=0`); `max` takes the largest of them. Every window holds at
 * least one input cell.
 */
export interface Pool2dGeometry extends WindowPlacement {
  readonly type: PoolType;
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly shape: readonly number[];
  readonly size: number;
}

/** Checks `options.type`; ValueError naming it otherwise. */
export function checkPoolType(op: string, type: unknown): PoolType {
  if (type !== 'avg' && type !== 'max') {
    throw new ValueError(op, 'options.type', `options.type must be 'avg' or 'max', got ${describeValue(type)}`);
  }
  return type;
}

/** Checks that `options` is a plain object (it is required); ValueError naming `options` otherwise. */
export function checkRequiredOptions(op: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(op, 'options', `options must be an object with at least { type }, got ${describeValue(options)}`);
  }
}

/**
 * Validates `pool2d(x, options)` and normalises it into a {@link Pool2dGeometry}, resolving
 * strides and padding with the convolutions' rules.
 * @param x NHWC, float32.
 * @param options.type `'avg'` or `'max'`, required.
 * @param options.kernelSize `n` or `[height, width]`, required.
 * @param options.strides default `kernelSize` (Keras's default).
 * @param options.padding `'valid'` (default), `'same'` or explicit; an explicit side must be
 * smaller than the window on its axis, so no window lies wholly in the padding.
 * @throws ValueError naming `pool2d` and the option at fault; ShapeError naming `x` for a
 * non-NHWC `x` or `options.kernelSize` for a window larger than the padded input.
 */
export function pool2dGeometry(x: Tensor, options: Pool2dOptions): Pool2dGeometry {
  const op = 'pool2d';
  assertTensor(op, 'x', x);
  return pool2dShapeGeometry(op, x.shape, options);
}

/**
 * The {@link Pool2dGeometry} of pooling an input of shape `xShape`, for an int8 op as for a float
 * one; errors name `op` and the argument as {@link pool2dGeometry}'s.
 */
export function pool2dShapeGeometry(op: string, xShape: readonly number[], options: Pool2dOptions): Pool2dGeometry {
  checkInputShape(op, 'x', xShape);
  checkRequiredOptions(op, options);
  const type = checkPoolType(op, options.type);
  if (options.kernelSize === undefined) {
    throw new ValueError(op, 'options.kernelSize', 'options.kernelSize is required (a positive integer or [height, width]), got undefined');
  }
  const [kernelHeight, kernelWidth] = positivePair(op, 'options.kernelSize', options.kernelSize);
  const [batch, inHeight, inWidth, channels] = xShape as [number, number, number, number];
  const window = placeWindow(
    op,
    'options.kernelSize',
    inHeight,
    inWidth,
    [kernelHeight, kernelWidth],
    options.strides ?? options.kernelSize,
    options.padding,
    `window ${kernelHeight}x${kernelWidth}`,
  );
  if (Math.max(window.padTop, window.padBottom) >= kernelHeight || Math.max(window.padLeft, window.padRight) >= kernelWidth) {
    throw new ValueError(
      op,
      'options.padding',
      `options.padding must be smaller than the ${kernelHeight}x${kernelWidth} window on each side (a window wholly in padding has nothing to pool), got ${describeValue(options.padding)}`,
    );
  }
  const shape = [batch, window.outHeight, window.outWidth, channels];
  if (sizeOf(shape) > MAX_ELEMENTS) {
    throw new ShapeError(
      op,
      'x',
      `x ${formatShape(xShape)} pools to ${formatShape(shape)}, more than the ${MAX_ELEMENTS} (2^31 - 1) elements a tensor may hold`,
    );
  }
  return Object.freeze({
    ...window,
    type,
    batch,
    inHeight,
    inWidth,
    channels,
    kernelHeight,
    kernelWidth,
    shape: Object.freeze(shape),
    size: sizeOf(shape),
  });
}
