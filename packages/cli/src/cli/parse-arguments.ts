import { InvalidArgumentError } from 'commander';

// Parsers for the CLI's option values. Each throws commander's InvalidArgumentError, which
// commander reports as `error: option '--alpha <number>' argument 'abc' is invalid. …` and
// exits non-zero, without a stack trace.

function number(text: string): number {
  // Number('') is 0 and Number(' 7 ') is 7: only plain decimal literals count as numbers here.
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
}

/** A finite number > 0 (`0.75`, `1e-3`). */
export function parsePositiveNumber(text: string): number {
  const value = number(text);
  if (!(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError('Expected a positive number.');
  return value;
}

/** An integer >= 1. */
export function parsePositiveInteger(text: string): number {
  const value = number(text);
  if (!(Number.isInteger(value) && value >= 1)) throw new InvalidArgumentError('Expected a positive integer.');
  return value;
}

/** An integer >= 0. */
export function parseNonNegativeInteger(text: string): number {
  const value = number(text);
  if (!(Number.isInteger(value) && value >= 0)) throw new InvalidArgumentError('Expected a non-negative integer.');
  return value;
}

/** `HxWxC` (`14x14x512`) as `[height, width, channels]`. */
export function parseImageShape(text: string): [number, number, number] {
  const parts = text.toLowerCase().split('x');
  const dims = parts.map(number);
  if (parts.length !== 3 || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new InvalidArgumentError('Expected HEIGHTxWIDTHxCHANNELS with positive integers, e.g. 14x14x512.');
  }
  return [dims[0]!, dims[1]!, dims[2]!];
}
