import { ValueError } from '@sepconv/tensor';

/** One output channel whose int32 bias `quantizeBias` saturated: the int8 layer would add less than the float one. */
export interface SaturatedBias {
  readonly layer: string;
  readonly channel: number;
  /** The float bias (after bias correction, when on). */
  readonly bias: number;
  readonly inputScale: number;
  readonly weightScale: number;
  /** `bias / (inputScale · weightScale)`, the float32 value that did not fit int32. */
  readonly quotient: number;
}

/** How many saturated channels the message lists one by one before counting the rest. */
const LISTED = 8;

const short = (value: number): string => String(Number(value.toPrecision(4)));

const describeOne = (s: SaturatedBias): string =>
  `layer '${s.layer}' channel ${s.channel}: bias ${short(s.bias)} / (input scale ${short(s.inputScale)} · weight scale ${short(s.weightScale)}) = ${s.quotient.toExponential(3)}`;

/**
 * The error for biases that do not fit int32 at their scale. TensorFlow Lite's quantizer
 * saturates them silently, which leaves a model that runs and answers wrongly; the message
 * names every such layer and channel with its values, and the ways out: a weight scale that
 * tiny comes from a channel whose weights are all near zero (zeroing them gives scale 1), an
 * input scale that tiny from calibration data that barely varies there, and `keepFloat` runs
 * the layer in float.
 */
export function biasSaturationError(op: string, saturated: readonly SaturatedBias[]): ValueError {
  const listed = saturated.slice(0, LISTED).map(describeOne);
  if (saturated.length > LISTED) listed.push(`and ${saturated.length - LISTED} more`);
  const layers = [...new Set(saturated.map((s) => s.layer))];
  return new ValueError(
    op,
    'weights',
    `a bias does not fit int32 at its scale (input scale · weight scale) and would saturate, leaving the int8 layer silently wrong: ${listed.join('; ')}. ` +
      'A tiny weight scale comes from a channel whose weights are all near zero: set them to exactly 0 (such a channel gets weight scale 1) or prune the channel; ' +
      "a tiny input scale from calibration data that hardly varies at the layer's input: calibrate on representative inputs; " +
      `or keep the layer in float: keepFloat: ${JSON.stringify(layers)}`,
  );
}
