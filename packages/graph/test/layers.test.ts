import { describe, expect, it } from 'vitest';
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  dropoutLayer,
  layerGeometry,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  separableConv2dLayer,
  separableLayerGeometry,
  type Conv2dLayerOptions,
  type LayerSpec,
} from '../src/index.js';
import { convGeometry, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';

describe('convolution layer specs', () => {
  it('conv2dLayer resolves the output shape with convGeometry and stores normalised options', () => {
    const layer = conv2dLayer({
      name: 'c',
      inputShape: [2, 7, 9, 3],
      kernelSize: [3, 2],
      outChannels: 5,
      strides: [2, 1],
      dilations: 2,
      padding: 'same',
    });
    const g = convGeometry({
      kind: 'conv2d',
      inputShape: [2, 7, 9, 3],
      kernelHeight: 3,
      kernelWidth: 2,
      outChannels: 5,
      strides: [2, 1],
      dilations: 2,
      padding: 'same',
    });
    expect(layer).toEqual({
      type: 'conv2d',
      name: 'c',
      inputShape: [2, 7, 9, 3],
      outputShape: [2, g.outHeight, g.outWidth, 5],
      kernelSize: [3, 2],
      outChannels: 5,
      strides: [2, 1],
      dilations: [2, 2],
      padding: 'same',
      useBias: false,
      activation: 'linear',
    });
    expect(layer.outputShape).toEqual([2, 4, 9, 5]);
  });

  it('defaults: Keras-like names, valid padding, stride and dilation 1, no bias, linear', () => {
    expect(conv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4 })).toMatchObject({
      name: 'conv2d',
      padding: 'valid',
      strides: [1, 1],
      dilations: [1, 1],
      useBias: false,
      activation: 'linear',
      outputShape: [1, 3, 3, 4],
    });
    expect(depthwiseConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3 })).toMatchObject({
      name: 'depthwise_conv2d',
      channelMultiplier: 1,
      outputShape: [1, 3, 3, 2],
    });
    expect(pointwiseConv2dLayer({ inputShape: [1, 5, 5, 2], outChannels: 6 })).toMatchObject({ name: 'pointwise_conv2d', outputShape: [1, 5, 5, 6] });
    expect(separableConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 6 })).toMatchObject({
      name: 'separable_conv2d',
      depthwiseUseBias: false,
      depthwiseActivation: 'linear',
      outputShape: [1, 3, 3, 6],
    });
  });

  it('depthwise: output channels are inChannels x multiplier', () => {
    const layer = depthwiseConv2dLayer({
      inputShape: [1, 8, 8, 3],
      kernelSize: 3,
      channelMultiplier: 4,
      strides: 2,
      padding: 'same',
      activation: 'relu6',
    });
    expect(layer.outputShape).toEqual([1, 4, 4, 12]);
    expect(layerGeometry(layer)).toMatchObject({
      kind: 'depthwiseConv2d',
      channelMultiplier: 4,
      outChannels: 12,
      padTop: 0,
      padBottom: 1,
      activation: 'relu6',
    });
  });

  it('separable: geometry of both steps; explicit padding is copied, not aliased', () => {
    const padding = { top: 1, bottom: 0, left: 1, right: 0 };
    const layer = separableConv2dLayer({ inputShape: [1, 6, 6, 4], kernelSize: 3, outChannels: 8, channelMultiplier: 2, padding, useBias: true });
    padding.top = 5;
    expect(layer.padding).toEqual({ top: 1, bottom: 0, left: 1, right: 0 });
    const { depthwise, pointwise } = separableLayerGeometry(layer);
    expect(depthwise).toMatchObject({ outHeight: 5, outWidth: 5, outChannels: 8, hasBias: false });
    expect(pointwise).toMatchObject({ inChannels: 8, outChannels: 8, hasBias: true });
    expect(layer.outputShape).toEqual([1, 5, 5, 8]);
  });

  it('layerGeometry re-validates a spec read back from JSON', () => {
    const layer = conv2dLayer({ inputShape: [1, 4, 4, 1], kernelSize: 3, outChannels: 1 });
    const parsed = JSON.parse(JSON.stringify(layer));
    expect(layerGeometry(parsed)).toMatchObject({ outHeight: 2, outWidth: 2 });
    parsed.strides = [0, 1];
    expect(() => layerGeometry(parsed)).toThrow(ValueError);
  });

  it.each([
    [{ inputShape: [1, 5, 5], kernelSize: 3, outChannels: 4 }, ShapeError, /conv2dLayer: options.inputShape must be rank 4/],
    [
      { inputShape: [1, 5, 5, 2], kernelSize: 0, outChannels: 4 },
      ValueError,
      /conv2dLayer: options.kernelSize must be a positive integer or \[height, width\], got 0/,
    ],
    [{ inputShape: [1, 5, 5, 2], kernelSize: [3, 3, 3], outChannels: 4 }, ValueError, /options.kernelSize/],
    [
      { inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 2.5 },
      ValueError,
      /conv2dLayer: options.outChannels must be a positive integer, got 2.5/,
    ],
    [{ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, strides: 0 }, ValueError, /conv2dLayer: options.strides/],
    [
      { inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, padding: 'full' },
      ValueError,
      /conv2dLayer: options.padding must be 'same', 'valid'/,
    ],
    [{ inputShape: [1, 2, 2, 2], kernelSize: 3, outChannels: 4 }, ShapeError, /conv2dLayer: filter's dilated extent 3x3/],
    [{ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, activation: 'tanh' }, ValueError, /conv2dLayer: options.activation must be one of/],
    [{ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, useBias: 1 }, ValueError, /conv2dLayer: options.useBias must be true or false/],
    [{ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, name: '' }, ValueError, /conv2dLayer: options.name must be a non-empty string/],
  ])('conv2dLayer rejects %j', (options, type, message) => {
    const given: unknown = options;
    expect(() => conv2dLayer(given as Conv2dLayerOptions)).toThrow(type);
    expect(() => conv2dLayer(given as Conv2dLayerOptions)).toThrow(message);
  });

  it('other convolution builders name themselves in errors', () => {
    expect(() => depthwiseConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, channelMultiplier: 0 })).toThrow(
      /depthwiseConv2dLayer: options.channelMultiplier must be a positive integer/,
    );
    expect(() => pointwiseConv2dLayer({ inputShape: [1, 5, 5, 2], outChannels: 0 })).toThrow(/pointwiseConv2dLayer: options.outChannels/);
    const gelu: unknown = 'gelu';
    expect(() => separableConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, depthwiseActivation: gelu as 'relu' })).toThrow(
      /separableConv2dLayer: options.depthwiseActivation must be one of 'linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish', got 'gelu'/,
    );
    // Known, but not fused into convolution epilogues: a typed UnsupportedError that says what to do instead.
    expect(() => separableConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, depthwiseActivation: 'sigmoid' })).toThrow(
      UnsupportedError,
    );
    // hard-swish is one (MobileNetV3's).
    expect(separableConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, depthwiseActivation: 'hardSwish' }).type).toBe(
      'separableConv2d',
    );
    expect(() => separableConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, activation: 'sigmoid' })).toThrow(
      "separableConv2dLayer: options.activation 'sigmoid' is not fused into convolutions yet (they take 'linear', 'relu', 'relu6', 'hardSigmoid', 'hardSwish'); apply it after the convolution with activation()",
    );
    expect(() => separableConv2dLayer({ inputShape: [1, 5, 5, 2], kernelSize: 3, outChannels: 4, activation: gelu as 'relu' })).toThrow(
      /separableConv2dLayer: options.activation must be one of/,
    );
  });
});

describe('other layer specs', () => {
  it('batch norm keeps the shape; Keras defaults', () => {
    expect(batchNormLayer({ inputShape: [1, 4, 4, 8] })).toEqual({
      type: 'batchNorm',
      name: 'batch_normalization',
      inputShape: [1, 4, 4, 8],
      outputShape: [1, 4, 4, 8],
      epsilon: 1e-3,
      center: true,
      scale: true,
    });
    expect(() => batchNormLayer({ inputShape: [1, 4], epsilon: -1 })).toThrow(/batchNormLayer: options.epsilon must be a finite number >= 0/);
    expect(() => batchNormLayer({ inputShape: [4] })).toThrow(/batchNormLayer: options.inputShape must be \[batch, ..., channels\]/);
  });

  it('activation layers take the epilogues and softmax', () => {
    expect(activationLayer({ inputShape: [2, 10], activation: 'softmax' })).toMatchObject({ name: 'softmax', outputShape: [2, 10] });
    const gelu: unknown = 'gelu';
    expect(() => activationLayer({ inputShape: [2, 10], activation: gelu as 'relu' })).toThrow(
      /activationLayer: options.activation must be one of 'linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish', 'softmax', got 'gelu'/,
    );
  });

  it('pooling: windows via convGeometry (strides default to the window), or global', () => {
    expect(poolLayer({ inputShape: [1, 7, 7, 3], mode: 'max', poolSize: 2 })).toMatchObject({
      name: 'max_pooling2d',
      strides: [2, 2],
      outputShape: [1, 3, 3, 3],
    });
    expect(poolLayer({ inputShape: [1, 7, 7, 3], mode: 'avg', poolSize: 2, padding: 'same' }).outputShape).toEqual([1, 4, 4, 3]);
    expect(poolLayer({ inputShape: [1, 7, 7, 3], mode: 'avg', global: true })).toMatchObject({
      name: 'global_average_pooling2d',
      poolSize: [7, 7],
      outputShape: [1, 3],
    });
    expect(poolLayer({ inputShape: [1, 7, 7, 3], mode: 'avg', global: true, keepDims: true }).outputShape).toEqual([1, 1, 1, 3]);
    const sum: unknown = 'sum';
    expect(() => poolLayer({ inputShape: [1, 7, 7, 3], mode: sum as 'avg', global: true })).toThrow(/poolLayer: options.mode must be 'avg' or 'max'/);
    expect(() => poolLayer({ inputShape: [1, 7, 7, 3], mode: 'max' })).toThrow(/poolLayer: options.poolSize must be a positive integer/);
    expect(() => poolLayer({ inputShape: [1, 7, 7, 3], mode: 'max', poolSize: 2, keepDims: true })).toThrow(
      /poolLayer: options.keepDims applies only to global pooling/,
    );
  });

  it('dense acts on the last axis', () => {
    expect(denseLayer({ inputShape: [4, 3, 16], units: 10, useBias: true, activation: 'softmax' })).toMatchObject({
      name: 'dense',
      outputShape: [4, 3, 10],
      useBias: true,
      activation: 'softmax',
    });
    expect(() => denseLayer({ inputShape: [4, 16], units: 0 })).toThrow(/denseLayer: options.units must be a positive integer/);
  });

  it('add names two inputs; dropout and reshape', () => {
    expect(addLayer({ inputShape: [1, 2, 2, 3], inputs: ['a', 'b'] })).toMatchObject({ name: 'add', inputs: ['a', 'b'], outputShape: [1, 2, 2, 3] });
    const oneInput: unknown = ['a'];
    expect(() => addLayer({ inputShape: [1, 2], inputs: oneInput as [string, string] })).toThrow(/addLayer: options.inputs must be 2 tensor names/);
    expect(dropoutLayer({ inputShape: [1, 5], rate: 0.2 })).toMatchObject({ rate: 0.2, outputShape: [1, 5] });
    expect(() => dropoutLayer({ inputShape: [1, 5], rate: 1 })).toThrow(/dropoutLayer: options.rate must be a number in \[0, 1\)/);
    expect(reshapeLayer({ inputShape: [2, 1, 1, 10], targetShape: [10] })).toMatchObject({ outputShape: [2, 10], targetShape: [10] });
    expect(() => reshapeLayer({ inputShape: [2, 1, 1, 10], targetShape: [3, 3] })).toThrow(
      /reshapeLayer: options.targetShape \[3, 3\] must hold 10 elements per example/,
    );
  });
});

describe('modelSpec', () => {
  const conv = conv2dLayer({ name: 'conv', inputShape: [1, 6, 6, 3], kernelSize: 3, outChannels: 4, padding: 'same' });
  const bn = batchNormLayer({ name: 'bn', inputShape: conv.outputShape });
  const add = addLayer({ name: 'add', inputShape: conv.outputShape, inputs: ['conv', 'bn'] });

  it('chains layers and takes the output shape of the last', () => {
    const spec = modelSpec({ name: 'tiny', inputShape: [1, 6, 6, 3], layers: [conv, bn, add] });
    expect(spec).toMatchObject({ name: 'tiny', inputs: [{ name: 'input', shape: [1, 6, 6, 3] }], outputs: ['add'] });
    expect(spec.layers.map((layer) => layer.inputs)).toEqual([['input'], ['conv'], ['conv', 'bn']]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it.each<[string, LayerSpec[], RegExp]>([
    [
      'a shape break',
      [conv, batchNormLayer({ name: 'bn', inputShape: [1, 6, 6, 5] })],
      /modelSpec: layers\[1\] \('bn'\): input 'conv' has shape \[1, 6, 6, 4\], but the layer's inputShape is \[1, 6, 6, 5\]/,
    ],
    ['a duplicate name', [conv, batchNormLayer({ name: 'conv', inputShape: conv.outputShape })], /layers\[1\] \('conv'\): the name is already used/],
    [
      'an add of an unknown layer',
      [conv, addLayer({ name: 'add', inputShape: conv.outputShape, inputs: ['conv', 'nope'] })],
      /layers\[1\] \('add'\): input 'nope' is neither a model input nor a layer/,
    ],
    [
      'an add of mismatched shapes',
      [conv, addLayer({ name: 'add', inputShape: conv.outputShape, inputs: ['conv', 'input'] })],
      /input 'input' has shape \[1, 6, 6, 3\], but the layer's inputShapes\[1\] is \[1, 6, 6, 4\]/,
    ],
  ])('rejects %s', (_, layers, message) => {
    expect(() => modelSpec({ name: 'bad', inputShape: [1, 6, 6, 3], layers })).toThrow(message);
  });

  it('rejects an empty layer list and unknown layer kinds', () => {
    expect(() => modelSpec({ name: 'bad', inputShape: [1, 2], layers: [] })).toThrow(/modelSpec: options.layers must be a non-empty array/);
    const bogus: unknown = [{ type: 'lstm', name: 'x', inputShape: [1, 2], outputShape: [1, 2] }];
    expect(() => modelSpec({ name: 'bad', inputShape: [1, 2], layers: bogus as LayerSpec[] })).toThrow(
      /modelSpec: layers\[0\] must be a layer spec with type one of/,
    );
  });
});
