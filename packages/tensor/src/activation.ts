import { describeValue } from './describe-value.js';
import { UnsupportedError, ValueError } from './errors.js';
import { ACTIVATIONS, CONV_ACTIVATIONS, type Activation, type ConvActivation } from './options.js';

// Written with comparisons that are false for NaN, so NaN passes through every clamp unchanged,
// as IEEE arithmetic (and TensorFlow) has it.
function relu6(value: number): number {
  if (value < 0) return 0;
  return value > 6 ? 6 : value;
}

/** The definition of each {@link Activation}, in float64. */
const ACTIVATION_FUNCTIONS = {
  linear: (value) => value,
  relu: (value) => (value < 0 ? 0 : value),
  relu6,
  sigmoid: (value) => 1 / (1 + Math.exp(-value)),
  hardSigmoid: (value) => relu6(value + 3) / 6,
  hardSwish: (value) => (value * relu6(value + 3)) / 6,
} satisfies Record<Activation, (value: number) => number>;

/**
 * Applies an activation to one value (see {@link Activation} for the formulas). NaN passes
 * through unchanged; `hardSwish(−∞)` is NaN (`−∞ · 0`), as its formula gives.
 */
export function activate(value: number, activation: Activation): number {
  return ACTIVATION_FUNCTIONS[activation](value);
}

/** Resolves an activation option (default `'linear'`); ValueError naming `argument` for an unknown name. */
export function checkActivation(op: string, argument: string, value: unknown): Activation {
  if (value === undefined) return 'linear';
  if (!ACTIVATIONS.includes(value as Activation)) {
    throw new ValueError(op, argument, `${argument} must be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}`);
  }
  return value as Activation;
}

/**
 * Resolves a convolution's activation option (default `'linear'`): ValueError for an unknown
 * name, UnsupportedError for a known activation that convolution epilogues do not fuse (`sigmoid`).
 */
export function checkConvActivation(op: string, argument: string, value: unknown): ConvActivation {
  const activation = checkActivation(op, argument, value);
  if (!CONV_ACTIVATIONS.includes(activation as ConvActivation)) {
    throw new UnsupportedError(
      op,
      argument,
      `${argument} '${activation}' is not fused into convolutions yet (they take ${CONV_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}); apply it after the convolution with activation()`,
    );
  }
  return activation as ConvActivation;
}
