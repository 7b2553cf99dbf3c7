// The int8 test set-up the CPU tests share: random int8 data and tensors, and the reference
// backend typed so that its int8 capabilities are known to be there.
import { defineBackend, HostQuantizedTensor, INT8_MAX, INT8_MIN, isHostTensor, type QuantParams, type Random } from '@sepconv/tensor';
import { referenceKernels } from '@sepconv/tensor/reference';

/** How int8 test values are drawn: uniform over the range, or only its two ends (which push int32 accumulators far). */
export type Int8Values = 'uniform' | 'extremes';

/**
 * `length` int8 values from `random`, in `[min, 127]`: `min` −128 for activations, −127
 * (`-INT8_WEIGHT_MAX`) for symmetric weights, as `QuantizedConvWeights` holds them.
 */
export function randomInt8s(random: Random, length: number, values: Int8Values = 'uniform', min = INT8_MIN): Int8Array {
  return Int8Array.from({ length }, () => (values === 'extremes' ? random.pick([min, INT8_MAX]) : random.int(min, INT8_MAX)));
}

/** A host int8 tensor of `shape` with `quantization`, its data {@link randomInt8s}. */
export function randomInt8Tensor(
  random: Random,
  shape: readonly number[],
  quantization: QuantParams,
  values: Int8Values = 'uniform',
): HostQuantizedTensor {
  return new HostQuantizedTensor(
    randomInt8s(
      random,
      shape.reduce((a, b) => a * b, 1),
      values,
    ),
    shape,
    quantization,
  );
}

/** The reference backend, typed with its kernel table so that its int8 capabilities are known to be there. */
export const int8Reference = defineBackend({
  name: 'reference',
  context: undefined,
  kernels: referenceKernels,
  read: async (_ctx, x) => (isHostTensor(x) ? x.data.slice() : new Float32Array(0)),
});
