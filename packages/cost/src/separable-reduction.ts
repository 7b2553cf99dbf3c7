import { describeValue, ValueError } from '@sepconv/tensor';

/** Options of {@link separableReduction}. */
export interface SeparableReductionOptions {
  /** N, the output channels. */
  outChannels: number;
  /** D_K: one number for a square kernel or `[height, width]`. */
  kernelSize: number | readonly [number, number];
}

function positiveInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError('separableReduction', argument, `${argument} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * The cost of a depthwise separable convolution relative to the standard convolution it
 * replaces (Howard et al. 2017, eq. 5): `1/N + 1/D_K²` — 0.112 for N = 1024, D_K = 3, so
 * 8–9× fewer multiply-adds. Exact for multiply-adds and for weights (no biases), whatever the
 * input size; for a `[height, width]` kernel `D_K²` is `height × width`.
 * @throws ValueError naming `separableReduction` and the option at fault.
 */
export function separableReduction(options: SeparableReductionOptions): number {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError('separableReduction', 'options', `options must be { outChannels, kernelSize }, got ${describeValue(options)}`);
  }
  const outChannels = positiveInteger('options.outChannels', options.outChannels);
  const kernel: unknown = options.kernelSize;
  const pair = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    throw new ValueError(
      'separableReduction',
      'options.kernelSize',
      `options.kernelSize must be a positive integer or [height, width], got ${describeValue(kernel)}`,
    );
  }
  const [kernelHeight, kernelWidth] = pair as [number, number];
  return 1 / outChannels + 1 / (kernelHeight * kernelWidth);
}
