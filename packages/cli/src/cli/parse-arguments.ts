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

/** The largest G/s value whose rate per second (×1e9) is still a finite number. */
const MAX_GIGA = Number.MAX_VALUE / 1e9;

/** `x` with 4 significant digits, rounded down so the bound a message shows is itself accepted. */
function roundedDown(x: number): string {
  const exponent = Math.floor(Math.log10(x));
  return `${(Math.floor(x / 10 ** (exponent - 3)) / 1000).toFixed(3)}e+${exponent}`;
}

/**
 * A rate in G/s (`--peak-gflops`, `--bandwidth-gbs`): a number whose rate per second (×1e9) is
 * at least 1 and finite — what the roofline's device profile accepts — so `1e308` is refused
 * here rather than becoming Infinity FLOP/s.
 */
export function parseGigaRate(text: string): number {
  const value = number(text);
  if (!(value >= 1e-9 && value <= MAX_GIGA)) {
    throw new InvalidArgumentError(`Expected a number from 1e-9 to ${roundedDown(MAX_GIGA)} (1 to ${roundedDown(Number.MAX_VALUE)} per second).`);
  }
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
