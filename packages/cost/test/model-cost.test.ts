// modelCost on specs built here, not on a particular network: the MobileNet figures are
// asserted in @sepconv/mobilenet's tests.
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  type ModelSpec,
} from '@sepconv/graph';
import { ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { layerCost, modelCost } from '../src/index.js';

/** A small residual network: a stem, a separable block with batch norm, a residual add, a classifier. */
function residualNet(): ModelSpec {
  const stem = conv2dLayer({
    name: 'stem',
    inputShape: [2, 16, 16, 3],
    kernelSize: 3,
    outChannels: 8,
    strides: 2,
    padding: 'same',
    useBias: true,
    activation: 'relu',
  });
  const dw = depthwiseConv2dLayer({ name: 'dw', inputShape: stem.outputShape, kernelSize: 3, padding: 'same' });
  const bn = batchNormLayer({ name: 'dw_bn', inputShape: dw.outputShape });
  const relu = activationLayer({ name: 'dw_relu', inputShape: bn.outputShape, activation: 'relu6' });
  const pw = pointwiseConv2dLayer({ name: 'pw', inputShape: relu.outputShape, outChannels: 8 });
  const add = addLayer({ name: 'add', inputShape: pw.outputShape, inputs: ['stem', 'pw'] });
  const pool = poolLayer({ name: 'pool', inputShape: add.outputShape, mode: 'avg', global: true, keepDims: true });
  const flat = reshapeLayer({ name: 'flat', inputShape: pool.outputShape, targetShape: [8] });
  const dense = denseLayer({ name: 'logits', inputShape: flat.outputShape, units: 10, useBias: true });
  return modelSpec({ name: 'residual_net', inputShape: [2, 16, 16, 3], layers: [stem, dw, bn, relu, pw, add, pool, flat, dense] });
}

describe('modelCost', () => {
  it("counts every layer with layerCost, in the spec's order, and sums them", () => {
    const spec = residualNet();
    const cost = modelCost(spec);
    const layers = spec.layers.map((layer) => layerCost(layer));
    expect(cost.name).toBe('residual_net');
    expect(cost.layers).toEqual(layers);
    const sum = (pick: (c: (typeof layers)[number]) => number): number => layers.reduce((total, c) => total + pick(c), 0);
    expect(cost.multAdds).toBe(sum((c) => c.multAdds));
    expect(cost.flops).toBe(2 * cost.multAdds);
    expect(cost.params).toEqual({
      total: sum((c) => c.params.total),
      trainable: sum((c) => c.params.trainable),
      weights: sum((c) => c.params.weights),
    });
    expect(cost.bytesRead).toBe(sum((c) => c.bytesRead));
    expect(cost.bytesWritten).toBe(sum((c) => c.bytesWritten));
    expect(cost.bytes).toBe(cost.bytesRead + cost.bytesWritten);
    expect(cost.arithmeticIntensity).toBe(cost.flops / cost.bytes);
  });

  it('gives the figures a hand count gives', () => {
    const cost = modelCost(residualNet());
    // stem 2·8·8·8·3·3·3, depthwise 2·8·8·8·3·3, pointwise 2·8·8·8·8, dense 2·8·10; nothing else counts.
    expect(cost.multAdds).toBe(27_648 + 9_216 + 8_192 + 160);
    // stem 216 + 8 bias, depthwise 72, batch norm 4·8, pointwise 64, dense 80 + 10 bias.
    expect(cost.params).toEqual({ total: 224 + 72 + 32 + 64 + 90, trainable: 224 + 72 + 16 + 64 + 90, weights: 216 + 72 + 64 + 80 });
  });

  it('a network of layers that count no arithmetic has intensity 0, not NaN', () => {
    const relu = activationLayer({ name: 'relu', inputShape: [0, 4, 4, 2], activation: 'relu' });
    const cost = modelCost(modelSpec({ name: 'empty_batch', inputShape: [0, 4, 4, 2], layers: [relu] }));
    expect(cost).toMatchObject({ multAdds: 0, flops: 0, bytes: 0, arithmeticIntensity: 0 });
  });

  it.each([[null], [undefined], [{ name: 'x' }], [{ name: 'x', layers: 'conv' }]])('rejects %j naming modelCost and spec', (spec) => {
    const given: unknown = spec;
    expect(() => modelCost(given as ModelSpec)).toThrow(ValueError);
    expect(() => modelCost(given as ModelSpec)).toThrow(/^modelCost: spec must be a model spec with a layers array/);
  });

  it("passes on layerCost's error for a layer it cannot count", () => {
    const spec = JSON.parse(JSON.stringify(residualNet()));
    spec.layers[1].type = 'lstm';
    expect(() => modelCost(spec)).toThrow(/layerCost: layer.type must be a known layer kind, got 'lstm'/);
  });
});
