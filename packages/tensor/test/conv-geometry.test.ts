import { describe, expect, it } from 'vitest';
import {
  conv2dGeometry,
  convGeometry,
  depthwiseConv2dGeometry,
  separableConv2dGeometry,
  ShapeError,
  UnsupportedError,
  ValueError,
  zeros,
} from '../src/index.js';

describe('convGeometry', () => {
  it("'same' follows TensorFlow: out = ceil(in / stride), the odd extra padding at bottom/right", () => {
    const g = convGeometry({
      kind: 'conv2d',
      inputShape: [1, 224, 224, 3],
      kernelHeight: 3,
      kernelWidth: 3,
      outChannels: 32,
      strides: 2,
      padding: 'same',
    });
    expect([g.outHeight, g.outWidth]).toEqual([112, 112]);
    expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([0, 1, 0, 1]);
  });

  it("'same' with stride 1 pads symmetrically for odd kernels, extra after for even kernels", () => {
    const odd = convGeometry({ kind: 'depthwiseConv2d', inputShape: [1, 7, 9, 4], kernelHeight: 5, kernelWidth: 3, padding: 'same' });
    expect([odd.padTop, odd.padBottom, odd.padLeft, odd.padRight, odd.outHeight, odd.outWidth]).toEqual([2, 2, 1, 1, 7, 9]);
    const even = convGeometry({ kind: 'depthwiseConv2d', inputShape: [1, 7, 9, 4], kernelHeight: 2, kernelWidth: 4, padding: 'same' });
    expect([even.padTop, even.padBottom, even.padLeft, even.padRight]).toEqual([0, 1, 1, 2]);
  });

  it("'same' accounts for dilation through the effective kernel size", () => {
    const g = convGeometry({ kind: 'depthwiseConv2d', inputShape: [1, 13, 13, 4], kernelHeight: 3, kernelWidth: 3, dilations: 2, padding: 'same' });
    expect([g.padTop, g.padBottom, g.outHeight]).toEqual([2, 2, 13]);
  });

  it("'valid' and explicit padding give floor((in + pads - effectiveKernel) / stride) + 1", () => {
    const valid = convGeometry({ kind: 'conv2d', inputShape: [2, 13, 13, 3], kernelHeight: 3, kernelWidth: 5, outChannels: 8, strides: [2, 3] });
    expect([valid.outHeight, valid.outWidth, valid.padTop, valid.padLeft]).toEqual([6, 3, 0, 0]);
    const explicit = convGeometry({
      kind: 'conv2d',
      inputShape: [1, 7, 9, 3],
      kernelHeight: 3,
      kernelWidth: 3,
      outChannels: 8,
      padding: { top: 1, bottom: 0, left: 2, right: 1 },
    });
    expect([explicit.outHeight, explicit.outWidth]).toEqual([6, 10]);
  });

  it('defaults: strides 1, dilations 1, padding valid, activation linear, no bias, multiplier 1', () => {
    const g = convGeometry({ kind: 'depthwiseConv2d', inputShape: [1, 5, 5, 2], kernelHeight: 3, kernelWidth: 3 });
    expect(g).toMatchObject({
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: 1,
      dilationWidth: 1,
      padTop: 0,
      outHeight: 3,
      activation: 'linear',
      hasBias: false,
      channelMultiplier: 1,
      outChannels: 2,
    });
  });

  it('depthwise output channels are inChannels × multiplier', () => {
    const g = depthwiseConv2dGeometry(zeros([1, 4, 4, 3]), zeros([3, 3, 3, 2]), { padding: 'same' });
    expect(g.outChannels).toBe(6);
  });

  it('separable geometry chains the depthwise output into a 1×1 step', () => {
    const g = separableConv2dGeometry(zeros([1, 8, 8, 4]), zeros([3, 3, 4, 2]), zeros([8, 16]), {
      strides: 2,
      padding: 'same',
      depthwiseActivation: 'relu6',
      activation: 'relu',
    });
    expect([g.depthwise.outHeight, g.depthwise.outChannels, g.depthwise.activation]).toEqual([4, 8, 'relu6']);
    expect([g.pointwise.inHeight, g.pointwise.inChannels, g.pointwise.outChannels, g.pointwise.activation]).toEqual([4, 8, 16, 'relu']);
  });

  it('rejects bad geometry with typed errors naming the argument', () => {
    expect(() => convGeometry({ kind: 'conv2d', inputShape: [1, 3, 3, 1], kernelHeight: 5, kernelWidth: 5, outChannels: 1 })).toThrow(ShapeError);
    expect(() =>
      convGeometry({ kind: 'conv2d', inputShape: [1, 3, 3, 1], kernelHeight: 1, kernelWidth: 1, outChannels: 1, strides: [1, 0] }),
    ).toThrow(/options\.strides/);
    expect(() =>
      convGeometry({ kind: 'conv2d', inputShape: [1, 3, 3, 1], kernelHeight: 1, kernelWidth: 1, outChannels: 1, padding: 'half' as 'same' }),
    ).toThrow(ValueError);
    expect(() => convGeometry({ kind: 'conv2d', inputShape: [1, 0, 3, 1], kernelHeight: 1, kernelWidth: 1, outChannels: 1 })).toThrow(
      /height must be an integer >= 1/,
    );
  });

  it('refuses the activations convolutions do not fuse with an UnsupportedError that says what to do', () => {
    expect(() => conv2dGeometry(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), { activation: 'sigmoid' })).toThrow(UnsupportedError);
    expect(() => conv2dGeometry(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), { activation: 'sigmoid' })).toThrow(
      "conv2d: options.activation 'sigmoid' is not fused into convolutions yet (they take 'linear', 'relu', 'relu6', 'hardSigmoid', 'hardSwish'); apply it after the convolution with activation()",
    );
    expect(() => depthwiseConv2dGeometry(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), { activation: 'sigmoid' })).toThrow(UnsupportedError);
    try {
      separableConv2dGeometry(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), zeros([1, 1]), { depthwiseActivation: 'sigmoid' });
    } catch (error) {
      expect(error).toMatchObject({ name: 'UnsupportedError', op: 'separableConv2d', argument: 'options.depthwiseActivation' });
    }
    expect(() =>
      convGeometry({ kind: 'conv2d', inputShape: [1, 3, 3, 1], kernelHeight: 1, kernelWidth: 1, outChannels: 1, activation: 'gelu' as 'relu' }),
    ).toThrow(ValueError);
    expect.assertions(5);
  });

  it('fuses hardSigmoid and hardSwish, the epilogues of MobileNetV3', () => {
    expect(conv2dGeometry(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), { activation: 'hardSwish' }).activation).toBe('hardSwish');
    expect(depthwiseConv2dGeometry(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), { activation: 'hardSigmoid' }).activation).toBe('hardSigmoid');
    const separable = separableConv2dGeometry(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), zeros([1, 1]), {
      depthwiseActivation: 'hardSwish',
      activation: 'hardSigmoid',
    });
    expect([separable.depthwise.activation, separable.pointwise.activation]).toEqual(['hardSwish', 'hardSigmoid']);
  });
});
