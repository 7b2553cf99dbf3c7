// modelCost / predictModel with { fused: true }: the network counted as sepconv runs it, batch
// norm folded into the convolution before it and ReLU/ReLU6 fused into its kernel.
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  conv2dLayer,
  depthwiseConv2dLayer,
  modelSpec,
  pointwiseConv2dLayer,
  type ModelSpec,
} from '@sepconv/graph';
import { ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { FLOAT32_BYTES, fusedLayers, layerCost, modelCost, predictModel } from '../src/index.js';

const INPUT = [1, 16, 16, 8] as const;

/** conv → bn → relu6 → depthwise → bn → relu → pointwise → bn (linear), as a MobileNet block. */
function block(): ModelSpec {
  const conv = conv2dLayer({ name: 'conv', inputShape: [...INPUT], kernelSize: 3, outChannels: 16, padding: 'same' });
  const convBn = batchNormLayer({ name: 'conv_bn', inputShape: conv.outputShape });
  const convRelu = activationLayer({ name: 'conv_relu', inputShape: conv.outputShape, activation: 'relu6' });
  const dw = depthwiseConv2dLayer({ name: 'dw', inputShape: conv.outputShape, kernelSize: 3, padding: 'same' });
  const dwBn = batchNormLayer({ name: 'dw_bn', inputShape: dw.outputShape });
  const dwRelu = activationLayer({ name: 'dw_relu', inputShape: dw.outputShape, activation: 'relu' });
  const pw = pointwiseConv2dLayer({ name: 'pw', inputShape: dw.outputShape, outChannels: 8 });
  const pwBn = batchNormLayer({ name: 'pw_bn', inputShape: pw.outputShape });
  return modelSpec({ name: 'block', inputShape: [...INPUT], layers: [conv, convBn, convRelu, dw, dwBn, dwRelu, pw, pwBn] });
}

const profile = { name: 'test', peakFlops: 100e9, memoryBandwidth: 10e9 };

describe('modelCost(spec, { fused: true })', () => {
  it('folds each batch norm and fuses each ReLU/ReLU6 into the convolution before it', () => {
    expect(Object.fromEntries(fusedLayers(block()))).toEqual({
      conv_bn: 'conv',
      conv_relu: 'conv',
      dw_bn: 'dw',
      dw_relu: 'dw',
      pw_bn: 'pw',
    });
  });

  it('charges folded and fused layers no memory pass; the convolutions read the folded bias; mult-adds and params unchanged', () => {
    const spec = block();
    const plain = modelCost(spec);
    const fused = modelCost(spec, { fused: true });
    expect(fused.multAdds).toBe(plain.multAdds);
    expect(fused.params).toEqual(plain.params);
    for (const name of ['conv_bn', 'conv_relu', 'dw_bn', 'dw_relu', 'pw_bn']) {
      const layer = fused.layers.find((l) => l.name === name);
      expect(layer?.bytes, name).toBe(0);
      expect(layer?.fusedInto, name).toBe(fusedLayers(spec).get(name));
    }
    const conv = fused.layers.find((l) => l.name === 'conv');
    const plainConv = layerCost(spec.layers[0]!);
    expect(conv?.bytesRead).toBe(plainConv.bytesRead + 16 * FLOAT32_BYTES);
    expect(conv?.fusedInto).toBeUndefined();
    // The separate passes of the unfused count: every batch norm and activation reads and writes its tensor.
    const passes = plain.layers.filter((l) => l.type === 'batchNorm' || l.type === 'activation').reduce((total, l) => total + l.bytes, 0);
    expect(fused.bytes).toBe(plain.bytes - passes + (16 + 16 + 8) * FLOAT32_BYTES);
  });

  it('keeps a batch norm whose input has another reader, a model output, or a sigmoid as separate passes', () => {
    const conv = conv2dLayer({ name: 'conv', inputShape: [...INPUT], kernelSize: 1, outChannels: 8 });
    const bn = batchNormLayer({ name: 'bn', inputShape: conv.outputShape });
    const add = addLayer({ name: 'add', inputShape: conv.outputShape, inputs: ['conv', 'bn'] });
    const swish = activationLayer({ name: 'swish', inputShape: add.outputShape, activation: 'hardSwish' });
    const conv2 = conv2dLayer({ name: 'conv2', inputShape: swish.outputShape, kernelSize: 1, outChannels: 8 });
    const swish2 = activationLayer({ name: 'swish2', inputShape: conv2.outputShape, activation: 'sigmoid' });
    const conv3 = conv2dLayer({ name: 'conv3', inputShape: swish2.outputShape, kernelSize: 1, outChannels: 8 });
    const relu = activationLayer({ name: 'relu', inputShape: conv3.outputShape, activation: 'relu' });
    const spec = modelSpec({
      name: 'kept',
      inputShape: [...INPUT],
      layers: [conv, bn, add, swish, conv2, swish2, conv3, relu],
      outputs: ['conv3', 'relu'],
    });
    expect(fusedLayers(spec).size).toBe(0);
    expect(modelCost(spec, { fused: true })).toEqual(modelCost(spec));
  });

  it('fuses hard-swish and hard-sigmoid into the convolution before them, as the kernels apply them in their epilogue', () => {
    const conv = conv2dLayer({ name: 'conv', inputShape: [...INPUT], kernelSize: 1, outChannels: 8 });
    const swish = activationLayer({ name: 'swish', inputShape: conv.outputShape, activation: 'hardSwish' });
    const conv2 = conv2dLayer({ name: 'conv2', inputShape: swish.outputShape, kernelSize: 1, outChannels: 8 });
    const gate = activationLayer({ name: 'gate', inputShape: conv2.outputShape, activation: 'hardSigmoid' });
    const spec = modelSpec({ name: 'v3', inputShape: [...INPUT], layers: [conv, swish, conv2, gate] });
    expect([...fusedLayers(spec)]).toEqual([
      ['swish', 'conv'],
      ['gate', 'conv2'],
    ]);
  });

  it('does not fuse after a convolution with its own activation', () => {
    const conv = conv2dLayer({ name: 'conv', inputShape: [...INPUT], kernelSize: 1, outChannels: 8, activation: 'relu' });
    const bn = batchNormLayer({ name: 'bn', inputShape: conv.outputShape });
    expect(fusedLayers(modelSpec({ name: 'own', inputShape: [...INPUT], layers: [conv, bn] })).size).toBe(0);
  });

  it('predictModel({ fused: true }) predicts less time than the unfused count and no time for fused layers', () => {
    const spec = block();
    const fused = predictModel(spec, profile, { fused: true });
    const plain = predictModel(spec, profile);
    expect(fused.seconds).toBeLessThan(plain.seconds);
    expect(fused.layers.filter((l) => l.seconds === 0).length).toBe(5);
  });

  it('rejects a non-boolean fused option, naming modelCost and the option', () => {
    expect(() => modelCost(block(), { fused: 'yes' as unknown as boolean })).toThrow(ValueError);
    expect(() => modelCost(block(), { fused: 'yes' as unknown as boolean })).toThrow(/modelCost: .*options\.fused must be true or false, got 'yes'/);
    expect(() => predictModel(block(), profile, { fused: 1 as unknown as boolean })).toThrow(/options\.fused/);
  });
});
