/**
 * The typed errors every sepconv package throws. Each message names the op, the argument,
 * what was expected and what was given, e.g.
 * `depthwiseConv2d: filter must be [kernelHeight, kernelWidth, inChannels=32, multiplier], got [3, 3, 16, 1]`.
 */

import { brandClass, hasBrand } from './brand.js';
import { describeValue } from './describe-value.js';

/**
 * Base class of every error sepconv throws on purpose; `op` and `argument` are machine-readable.
 * `instanceof` on it and on each subclass also recognises errors thrown by another installed
 * copy of `@sepconv/tensor` (each class is branded with `Symbol.for('sepconv.<ClassName>')`),
 * so `error instanceof ShapeError` holds whichever copy threw it.
 */
export class SepconvError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
  }

  override name = 'SepconvError';
  constructor(
    /** The operation that rejected the call, e.g. `depthwiseConv2d`. */
    readonly op: string,
    /** The offending argument, e.g. `filter` or `options.strides`. */
    readonly argument: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
  }
}

/** A tensor's rank, dimensions or element count do not fit the operation. */
export class ShapeError extends SepconvError {
  override name = 'ShapeError';
}

/** An option or argument has an invalid value (a zero stride, negative padding, unknown activation…). */
export class ValueError extends SepconvError {
  override name = 'ValueError';
}

/** A tensor has a dtype the operation does not take (sepconv computes in float32). */
export class DTypeError extends SepconvError {
  override name = 'DTypeError';
}

/** Valid input that this backend or variant cannot run (a feature it lacks, a size past a device limit). */
export class UnsupportedError extends SepconvError {
  override name = 'UnsupportedError';
}

/** The backend itself failed (device lost, worker died, shader did not compile). */
export class BackendError extends SepconvError {
  override name = 'BackendError';
}

for (const [errorClass, name] of [
  [SepconvError, 'SepconvError'],
  [ShapeError, 'ShapeError'],
  [ValueError, 'ValueError'],
  [DTypeError, 'DTypeError'],
  [UnsupportedError, 'UnsupportedError'],
  [BackendError, 'BackendError'],
] as const) {
  brandClass(errorClass, name);
}

/**
 * Formats a shape the way every message shows it: `[3, 3, 16, 1]`. Bounded like
 * {@link describeValue} (a shape from a file may be huge or hold nested arrays).
 */
export function formatShape(shape: readonly number[]): string {
  return describeValue(shape);
}
