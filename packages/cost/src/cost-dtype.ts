import { describeValue, ValueError } from '@sepconv/tensor';

/**
 * The number format a network is counted in: `'float32'` everywhere, or `'int8'` as a quantized
 * model runs (int8 activations and kernels, int32 biases, float32 per-channel scales turned into
 * int32 multipliers and shifts).
 */
export type CostDType = 'float32' | 'int8';

/** Bytes per value of each kind of data a layer moves, in one {@link CostDType}. */
export interface DTypeBytes {
  /** One activation element (input or output). */
  readonly activation: number;
  /** One convolution or dense kernel weight. */
  readonly kernel: number;
  /** One other parameter: a bias (int32 in int8 models), a batch-norm value. */
  readonly parameter: number;
  /** Per output channel of a kernel layer, its requantization: an int32 multiplier and shift in int8 models, nothing in float32. */
  readonly requantization: number;
}

/** The bytes of each {@link CostDType}: int8 is 1 B per activation and kernel weight, 4 B per bias, 8 B of requantization per output channel. */
export const DTYPE_BYTES: Readonly<Record<CostDType, DTypeBytes>> = {
  float32: { activation: 4, kernel: 4, parameter: 4, requantization: 0 },
  int8: { activation: 1, kernel: 1, parameter: 4, requantization: 8 },
};

/** Resolves a dtype option (default `'float32'`); ValueError naming `op` and `argument` otherwise. */
export function checkCostDType(op: string, argument: string, dtype: unknown): CostDType {
  if (dtype === undefined) return 'float32';
  if (dtype !== 'float32' && dtype !== 'int8')
    throw new ValueError(op, argument, `${argument} must be 'float32' or 'int8', got ${describeValue(dtype)}`);
  return dtype;
}
