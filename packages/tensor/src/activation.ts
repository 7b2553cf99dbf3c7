import type { Activation } from './options.js';

/**
 * Applies an activation to one value. Written with comparisons that are false for NaN, so
 * NaN passes through ReLU and ReLU6 unchanged, as IEEE arithmetic (and TensorFlow) has it.
 */
export function activate(value: number, activation: Activation): number {
  if (activation === 'linear') return value;
  if (value < 0) return 0;
  if (activation === 'relu6' && value > 6) return 6;
  return value;
}
