import { describeValue, ShapeError, ValueError } from '@sepconv/tensor';

// Checks shared by the network builders' options.

/** A finite number > 0, `fallback` when absent. */
export function positiveNumber(op: string, argument: string, value: unknown, fallback: number): number {
  const resolved = value === undefined ? fallback : value;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved <= 0) {
    throw new ValueError(op, argument, `${argument} must be a positive number, got ${describeValue(value)}`);
  }
  return resolved;
}

/** An integer >= `min`, `fallback` when absent. */
export function integerAtLeast(op: string, argument: string, value: unknown, fallback: number, min: number): number {
  const resolved = value === undefined ? fallback : value;
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < min) {
    throw new ValueError(op, argument, `${argument} must be an integer >= ${min}, got ${describeValue(value)}`);
  }
  return resolved;
}

/** One of `choices`, `fallback` when absent. */
export function oneOf<T extends string>(op: string, argument: string, value: unknown, choices: readonly T[], fallback: T | undefined): T | undefined {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) {
    throw new ValueError(op, argument, `${argument} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** Checks that the builder received an options object (absent means all defaults). */
export function checkOptions(op: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ValueError(op, 'options', `options must be an object, got ${describeValue(options)}`);
  }
}

/** An NHWC `[batch, height, width, channels]` shape (batch may be 0); full checks follow in `convGeometry`. */
export function nhwcShape(op: string, argument: string, value: unknown): [number, number, number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 4 ||
    !value.every((d, axis) => typeof d === 'number' && Number.isInteger(d) && d >= (axis === 0 ? 0 : 1))
  ) {
    throw new ShapeError(
      op,
      argument,
      `${argument} must be NHWC [batch, height, width, channels] with integer dimensions, got ${describeValue(value)}`,
    );
  }
  return [value[0], value[1], value[2], value[3]];
}

/** A boolean, `fallback` when absent. */
export function booleanOption(op: string, argument: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ValueError(op, argument, `${argument} must be true or false, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Builds a network's layers, reporting a shape that stops fitting (an input too small for the
 * strides) as the resolution's fault rather than a deep layer's.
 */
export function buildLayers<T>(op: string, resolution: number, build: () => T): T {
  try {
    return build();
  } catch (error) {
    // convGeometry blames the filter when a window no longer fits inside the (padded) input.
    if (error instanceof ShapeError && error.argument === 'filter') {
      throw new ShapeError(op, 'options.resolution', `options.resolution ${resolution} is too small for the network (${error.message})`);
    }
    throw error;
  }
}
