import { tensor, type Backend, type QuantizedTensor } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { readAndDispose } from './backend-test-helpers.js';
import { capabilityOf, type Int8Capability } from './describe-capability.js';
import { describeInt8ConvConformance } from './describe-int8-conv-conformance.js';
import { describeInt8ElementwiseConformance } from './describe-int8-elementwise-conformance.js';
import { describeInt8MulLookupConformance } from './describe-int8-mul-lookup-conformance.js';
import { int8Reference } from './expect-int8.js';
import { int8ConvInputs, type Int8ConvCase } from './int8-conv-cases.js';

const CHAIN: readonly Int8Capability[] = ['quantize', 'quantizedSeparableConv2d', 'quantizedAdd', 'quantizedGlobalPool2d', 'dequantize'];

/**
 * A quantized MobileNet block on the backend's own int8 tensors, never read back between steps:
 * quantize → separable convolution → residual add → global average → dequantize. The float
 * result must have the reference's bits.
 */
function chainTests(getBackend: () => Backend): void {
  it("int8 chain on the backend's own tensors: quantize → separable → add → global average → dequantize, the reference's float32 bits", async () => {
    const c: Int8ConvCase = {
      name: 'chain block',
      op: 'separableConv2d',
      xShape: [2, 7, 9, 16],
      filterShape: [3, 3, 16, 1],
      pointwiseFilterShape: [16, 16],
      strides: 1,
      padding: 'same',
      bias: true,
      activation: 'relu6',
      inputZeroPoint: -128,
      outputZeroPoint: 5,
      seed: 23000,
    };
    const { x, weights, pointwiseWeights } = int8ConvInputs(c);
    const input = tensor(
      Array.from(x.data, (q) => (q - x.quantization.zeroPoint) * x.quantization.scale * 1.3),
      x.shape,
    );
    const run = (backend: Backend): Promise<Float32Array> => {
      const y = backend.scope(() => {
        const q = capabilityOf(backend, 'quantize')(input, x.quantization);
        const block = capabilityOf(backend, 'quantizedSeparableConv2d')(q, weights, pointwiseWeights!, {
          strides: c.strides,
          dilations: c.dilations,
          padding: c.padding,
        });
        const residual: QuantizedTensor = capabilityOf(backend, 'quantizedAdd')(block, q, { output: { scale: 0.07, zeroPoint: -9 } });
        return capabilityOf(
          backend,
          'dequantize',
        )(capabilityOf(backend, 'quantizedGlobalPool2d')(residual, { type: 'avg', output: { scale: 0.05, zeroPoint: -100 } }));
      });
      return readAndDispose(backend, y);
    };
    const expected = await run(int8Reference());
    expect(new Set(expected).size, 'the chain must not collapse to one value').toBeGreaterThan(2);
    expect(await run(getBackend())).toEqual(expected);
  });
}

/**
 * The int8 conformance suite (TensorFlow Lite's integer semantics): every int8 capability a
 * backend declares is compared with the reference backend bit for bit — int8 values equal, not
 * close; one skipped test (reason in its title) for each it does not declare. Called by
 * `describeBackendConformance`; a backend's own test file may also call it directly.
 */
export function describeInt8Conformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describe('int8 (bit-exact with the reference)', () => {
    describeInt8ConvConformance(createBackend, getBackend);
    describeInt8ElementwiseConformance(createBackend, getBackend);
    describeInt8MulLookupConformance(createBackend, getBackend);
    describe('int8 chain', async () => {
      const probe = await createBackend();
      const missing = CHAIN.filter((capability) => typeof probe[capability] !== 'function');
      probe.dispose();
      if (missing.length === 0) chainTests(getBackend);
      else it.skip(`int8 chain: not run, backend does not declare ${missing.join(', ')}`, () => {});
    });
  });
}
