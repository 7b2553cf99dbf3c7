import { describeValue, exceedsMaxElements, formatShape, MAX_ELEMENTS, ShapeError, ValueError, type Padding } from '@sepconv/tensor';

// Validation shared by the layer builders. Convolution geometry (strides, dilations, padding,
// output size) is NOT checked here: the builders hand it to `convGeometry`, the one place
// those options are normalised.

/** Checks that a builder received an options object. */
export function checkLayerOptions(op: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(op, 'options', `options must be an object, got ${describeValue(options)}`);
  }
}

/** A layer name: a non-empty string; `fallback` when absent. */
export function layerName(op: string, name: unknown, fallback: string): string {
  if (name === undefined) return fallback;
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValueError(op, 'options.name', `options.name must be a non-empty string, got ${describeValue(name)}`);
  }
  return name;
}

/** A positive integer option such as `outChannels` or `units`. */
export function positiveInteger(op: string, argument: string, value: unknown, fallback?: number): number {
  const resolved = value === undefined ? fallback : value;
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < 1) {
    throw new ValueError(op, argument, `${argument} must be a positive integer, got ${describeValue(value)}`);
  }
  return resolved;
}

/** A boolean option; `fallback` when absent. */
export function booleanOption(op: string, argument: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ValueError(op, argument, `${argument} must be true or false, got ${describeValue(value)}`);
  }
  return value;
}

/** `kernelSize` given as one number or `[height, width]`, returned as `[height, width]`. */
export function kernelSizePair(op: string, value: unknown, argument = 'options.kernelSize'): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    throw new ValueError(op, argument, `${argument} must be a positive integer or [height, width], got ${describeValue(value)}`);
  }
  return [pair[0], pair[1]];
}

/**
 * An activation shape of at least `minRank` dimensions: non-negative integers (batch may be
 * 0), positive everywhere else, within the element limit of a tensor. Returned as a copy so
 * a spec never aliases the caller's array.
 */
export function activationShape(op: string, value: unknown, minRank: number, what: string, argument = 'options.inputShape'): number[] {
  if (!Array.isArray(value) || value.length < minRank) {
    throw new ShapeError(op, argument, `${argument} must be ${what}, got ${describeValue(value)}`);
  }
  for (const [axis, dim] of value.entries()) {
    const min = axis === 0 ? 0 : 1;
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < min) {
      throw new ShapeError(
        op,
        argument,
        `${argument} must be ${what} with integer dimensions (>= ${min} at axis ${axis}), got ${formatShape(value)}`,
      );
    }
  }
  if (exceedsMaxElements(value)) {
    throw new ShapeError(op, argument, `${argument} ${formatShape(value)} has more than ${MAX_ELEMENTS} (2^31 - 1) elements`);
  }
  return [...value];
}

/** The padding to store in a spec (already validated by `convGeometry`): a copy, default `'valid'`. */
export function storedPadding(padding: Padding | undefined): Padding {
  if (padding === undefined) return 'valid';
  return typeof padding === 'string' ? padding : { top: padding.top, bottom: padding.bottom, left: padding.left, right: padding.right };
}

/**
 * The `inputs` option of a builder: absent (the model fills in the previous layer's output),
 * or `count` non-empty tensor names. Returned as `{}` or `{ inputs }`, ready to spread into a
 * spec, so a spec never aliases the caller's array and an absent field stays absent.
 */
export function layerInputs(op: string, value: unknown, count: number): { inputs?: readonly string[] } {
  if (value === undefined) return {};
  if (!Array.isArray(value) || value.length !== count || !value.every((n) => typeof n === 'string' && n.length > 0)) {
    const what = count === 1 ? 'one tensor name' : `${count} tensor names`;
    throw new ValueError(op, 'options.inputs', `options.inputs must be ${what} (a model input or a layer), got ${describeValue(value)}`);
  }
  return { inputs: [...(value as string[])] };
}

/**
 * The shape two operands broadcast to, NumPy/ONNX style: right-aligned, each dimension equal
 * or 1. `undefined` when they do not broadcast.
 */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const shape: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const da = a[a.length - rank + axis] ?? 1;
    const db = b[b.length - rank + axis] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    shape.push(da === 1 ? db : da);
  }
  return shape;
}

/**
 * A constant's shape (a weight's, not an activation's): rank 0 allowed, positive integer
 * dimensions, within the element limit.
 */
export function constantShape(op: string, argument: string, value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 1)) {
    throw new ShapeError(op, argument, `${argument} must be positive integer dimensions ([] for a scalar), got ${describeValue(value)}`);
  }
  if (exceedsMaxElements(value)) {
    throw new ShapeError(op, argument, `${argument} ${formatShape(value)} has more than ${MAX_ELEMENTS} (2^31 - 1) elements`);
  }
  return [...(value as number[])];
}

/** A rank-4 NHWC activation shape, as the image layers (pad, pool, resize) take. */
export function nhwcShape(op: string, value: unknown, argument = 'options.inputShape'): [number, number, number, number] {
  const shape = activationShape(op, value, 4, 'rank 4 [batch, height, width, channels] (NHWC)', argument);
  if (shape.length !== 4) {
    throw new ShapeError(op, argument, `${argument} must be rank 4 [batch, height, width, channels] (NHWC), got ${formatShape(shape)}`);
  }
  return shape as [number, number, number, number];
}
