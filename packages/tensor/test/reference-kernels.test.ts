// Hand-computed values for the reference kernels (the conformance package also checks them
// against tfjs on every fixed case).
import { describe, expect, it } from 'vitest';
import { tensor, UnsupportedError, type Tensor } from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

const backend = createReferenceBackend();
const nine = () => tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);

describe('reference kernels', () => {
  it("depthwise 3×3 of ones with 'same' sums each neighbourhood", async () => {
    const y = backend.depthwiseConv2d(nine(), tensor(new Array(9).fill(1), [3, 3, 1, 1]), { padding: 'same' });
    expect(Array.from(await backend.read(y))).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('depthwise multiplier 2 orders outputs c·M + m, with bias and ReLU6', async () => {
    // two channels, filter 1×1: channel 0 × [1, -1], channel 1 × [2, 10]
    const x = tensor([1, 3], [1, 1, 1, 2]);
    const y = backend.depthwiseConv2d(x, tensor([1, -1, 2, 10], [1, 1, 2, 2]), { bias: tensor([0, 0, 0.5, 0], [4]), activation: 'relu6' });
    expect(Array.from(await backend.read(y))).toEqual([1, 0, 6, 6]);
  });

  it('pointwise is a matrix product over channels', async () => {
    const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]); // two pixels, two channels
    const y = backend.pointwiseConv2d(x, tensor([1, 0, 1, 0, 1, 1], [2, 3]), { bias: tensor([0, 0, 10], [3]) });
    expect(Array.from(await backend.read(y))).toEqual([1, 2, 13, 3, 4, 17]);
  });

  it('conv2d with stride 2 and explicit asymmetric padding', async () => {
    const y = backend.conv2d(nine(), tensor([1, 1, 1, 1], [2, 2, 1, 1]), { strides: 2, padding: { top: 1, bottom: 0, left: 0, right: 1 } });
    // padded rows: [0,0,0,0],[1,2,3,0],[4,5,6,0],[7,8,9,0]; windows at (0,0),(0,2),(2,0),(2,2)
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(await backend.read(y))).toEqual([3, 3, 24, 15]);
  });

  it('separable = depthwise then pointwise, with the activation in between', async () => {
    const x = tensor([-1, 2], [1, 1, 1, 2]);
    const y = backend.separableConv2d(x, tensor([1, 1], [1, 1, 2, 1]), tensor([1, 1], [2, 1]), { depthwiseActivation: 'relu' });
    expect(Array.from(await backend.read(y))).toEqual([2]);
  });

  it('adds options.residual after the bias and before the activation', async () => {
    const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const filter = tensor([1, 0, 0, 1], [2, 2]);
    const options = { bias: tensor([1, -10], [2]), residual: tensor([-3, 5, 0.5, 7], [1, 1, 2, 2]) };
    // (x + bias) = [2, -8, 4, -6]; + residual = [-1, -3, 4.5, 1]; relu6 after, not before, the sum
    const linear = backend.pointwiseConv2d(x, filter, options);
    expect(Array.from(await backend.read(linear))).toEqual([-1, -3, 4.5, 1]);
    const relu6 = backend.pointwiseConv2d(x, filter, { ...options, activation: 'relu6' });
    expect(Array.from(await backend.read(relu6))).toEqual([0, 0, 4.5, 1]);
    const conv = backend.conv2d(x, tensor([1, 0, 0, 1], [1, 1, 2, 2]), { ...options, activation: 'relu' });
    expect(Array.from(await backend.read(conv))).toEqual([0, 0, 4.5, 1]);
    const depthwise = backend.depthwiseConv2d(x, tensor([1, 1], [1, 1, 2, 1]), { ...options, activation: 'relu' });
    expect(Array.from(await backend.read(depthwise))).toEqual([0, 0, 4.5, 1]);
    const separable = backend.separableConv2d(x, tensor([1, 1], [1, 1, 2, 1]), filter, { ...options, activation: 'relu' });
    expect(Array.from(await backend.read(separable))).toEqual([0, 0, 4.5, 1]);
  });

  it('takes host tensors only, saying so', () => {
    const foreign: Tensor = { shape: [1, 1, 1, 1], dtype: 'float32', size: 1, location: 'webgpu', isDisposed: false, dispose() {} };
    expect(() => backend.pointwiseConv2d(foreign, tensor([1], [1, 1]))).toThrow(UnsupportedError);
  });
});
