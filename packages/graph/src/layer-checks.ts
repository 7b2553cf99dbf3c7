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
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)
  ) {
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
      throw new ShapeError(op, argument, `${argument} must be ${what} with integer dimensions (>= ${min} at axis ${axis}), got ${formatShape(value)}`);
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
