import { HostQuantizedTensor, pointwiseConv2dGeometry, QuantizedConvWeights, UnsupportedError, ValueError, zeros } from '@sepconv/tensor';
import { afterAll, expect, it } from 'vitest';
import { createWebGpuBackend, GpuQuantizedTensor, type WebGpuBackend } from '../src/index.js';
import { quantizedKernels } from '../src/quantized-kernels.js';
import { WebGpuContext } from '../src/webgpu-context.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

// The int8 tensors' lifecycle on a WebGPU backend: memory in a loop, foreign and disposed
// tensors, and a forced dot4I8Packed variant where WGSL lacks the feature.

const gpu = await acquireTestDevice();
const params = { scale: 0.05, zeroPoint: -3 };

function pointwiseWeights(inChannels: number, outChannels: number): QuantizedConvWeights {
  return new QuantizedConvWeights({
    kind: 'pointwiseConv2d',
    filter: Int8Array.from({ length: inChannels * outChannels }, (_, i) => ((i * 37) % 255) - 127),
    filterShape: [inChannels, outChannels],
    bias: Int32Array.from({ length: outChannels }, (_, i) => i * 100 - 700),
    weightScales: Array.from({ length: outChannels }, (_, i) => 0.002 + i * 0.0001),
    input: params,
    output: { scale: 0.1, zeroPoint: 7 },
  });
}

const x = new HostQuantizedTensor(
  Int8Array.from({ length: 2 * 5 * 5 * 8 }, (_, i) => ((i * 53) % 256) - 128),
  [2, 5, 5, 8],
  params,
);

describeGpu('WebGPU int8 tensors', gpu, (device) => {
  const backends: WebGpuBackend[] = [];
  const backend = async (): Promise<WebGpuBackend> => {
    const created = await createWebGpuBackend({ device });
    backends.push(created);
    return created;
  };
  afterAll(() => {
    for (const b of backends) b.dispose();
  });

  it('results are GpuQuantizedTensors that readQuantized brings back; a loop that disposes holds no more memory after its first pass', async () => {
    const b = await backend();
    const weights = pointwiseWeights(8, 12);
    const run = () => b.quantizedPointwiseConv2d!(x, weights);
    const first = run();
    expect(first).toBeInstanceOf(GpuQuantizedTensor);
    expect([first.shape, first.quantization]).toEqual([[2, 5, 5, 12], weights.output]);
    const expected = await b.readQuantized!(first);
    first.dispose();
    const held = b.memory().liveBytes;
    for (let i = 0; i < 5; i++) {
      const y = run();
      expect((await b.readQuantized!(y)).data).toEqual(expected.data);
      y.dispose();
      expect(b.memory().liveBytes).toBe(held);
    }
  });

  it("another backend's int8 tensor is an UnsupportedError naming the op and the argument, for a kernel and for readQuantized", async () => {
    const [a, other] = [await backend(), await backend()];
    const foreign = other.requantize!(x, params);
    expect(() => a.quantizedPointwiseConv2d!(foreign, pointwiseWeights(8, 4))).toThrow(UnsupportedError);
    expect(() => a.quantizedPointwiseConv2d!(foreign, pointwiseWeights(8, 4))).toThrow(
      /^quantizedPointwiseConv2d: x belongs to another WebGPU backend/,
    );
    await expect(a.readQuantized!(foreign)).rejects.toThrow(/^readQuantized: x is an int8 tensor on 'webgpu' that this WebGPU backend does not own/);
    foreign.dispose();
  });

  it('an int8 add or mul whose broadcast keeps more axes than the program walks is an UnsupportedError naming the op and a', async () => {
    const b = await backend();
    // Broadcast axes alternate between the operands, so no two neighbours merge: seven axes stay.
    const left = new HostQuantizedTensor(new Int8Array(16), [2, 1, 2, 1, 2, 1, 2], params);
    const right = new HostQuantizedTensor(new Int8Array(8), [1, 2, 1, 2, 1, 2, 1], params);
    const options = { output: params };
    for (const [op, word] of [
      ['quantizedAdd', 'add'],
      ['quantizedMul', 'mul'],
    ] as const) {
      const call = () => b[op]!(left, right, options);
      expect(call).toThrow(UnsupportedError);
      expect(call).toThrow(expect.objectContaining({ op, argument: 'a' }));
      expect(call).toThrow(new RegExp(`^${op}: the WebGPU int8 ${word} takes at most 6 axes, got 7$`));
    }
    expect(b.memory().liveBytes).toBe(0);
  });

  it('a disposed int8 input is refused naming the op and the argument (ValueError, as for float tensors)', async () => {
    const b = await backend();
    const y = b.requantize!(x, { scale: 0.07, zeroPoint: 0 });
    y.dispose();
    expect(() => b.dequantize!(y)).toThrow(ValueError);
    expect(() => b.dequantize!(y)).toThrow(/^dequantize: x has been disposed/);
    await expect(b.readQuantized!(y)).rejects.toThrow(/^readQuantized: x has been disposed/);
  });

  it('a forced dot4I8Packed variant where WGSL lacks packed_4x8_integer_dot_product is an UnsupportedError, not a compile failure', () => {
    const ctx = new WebGpuContext(device, 'pwconv2d-nhwc-c4-dot4i8-qs8', false, false);
    const weights = pointwiseWeights(8, 4);
    const geometry = pointwiseConv2dGeometry(zeros([2, 5, 5, 8]), zeros([8, 4]));
    const call = () => quantizedKernels.quantizedPointwiseConv2d(ctx, { x, weights, geometry, output: weights.output });
    expect(call).toThrow(UnsupportedError);
    expect(call).toThrow(/^quantizedPointwiseConv2d: variant 'pwconv2d-nhwc-c4-dot4i8-qs8' needs WGSL's packed_4x8_integer_dot_product/);
    ctx.dispose();
  });
});
