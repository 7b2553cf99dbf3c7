import { HostQuantizedTensor, Random, type QuantParams } from '@sepconv/tensor';

/** A host int8 tensor of `shape`, its data uniform over the whole int8 range, reproducible from `seed`. */
export function randomInt8Tensor(shape: readonly number[], seed: number, quantization: QuantParams): HostQuantizedTensor {
  const random = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return new HostQuantizedTensor(
    Int8Array.from({ length: size }, () => random.int(-128, 127)),
    shape,
    quantization,
  );
}
