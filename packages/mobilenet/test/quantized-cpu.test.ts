// The int8 runtime on the CPU backend's WebAssembly int8 kernels returns the very floats the
// reference backend's int8 kernels (the oracle) give: bit-identical outputs for quantized
// MobileNetV1, V2 (residual adds) and V3 (lookup tables, int8 multiplies) on small random-weight
// models, on 1 and 2 threads.
import { createCpuBackend, type CpuBackend } from '@sepconv/cpu';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, describe, expect, it } from 'vitest';
import type { QuantizedModel } from '../src/quantize/quantized-model-spec.js';
import { predictQuantized, quantizedTestModels } from './support/quantized-models.js';

const reference = createReferenceBackend();
const backends: CpuBackend[] = [];
afterAll(() => {
  for (const backend of backends) backend.dispose();
});

describe.each(Object.entries(quantizedTestModels))('%s quantized, int8 on the CPU backend', (_name, quantize) => {
  let quantized: Promise<QuantizedModel> | undefined;
  const model = () => (quantized ??= quantize());

  it.each([1, 2])(
    'gives the reference backend’s outputs bit for bit on %i thread(s)',
    async (threads) => {
      const backend = await createCpuBackend({ threads, parallelThreshold: 0 });
      backends.push(backend);
      const expected = await predictQuantized(await model(), reference);
      const actual = await predictQuantized(await model(), backend);
      expect(actual).toEqual(expected);
      // Not all one class: the comparison covers distinct outputs, not a constant.
      expect(new Set(actual).size).toBeGreaterThan(3);
    },
    120_000,
  );
});
