// The readers on the other TF.js models shipped inside npm packages here (nsfwjs's TF-Hub
// MobileNetV2 graph model and its Keras InceptionV3), at the spec level: they load, with the
// input scaling, shapes and output names of the files. (face-api ships weights manifests
// only; its nets are built in code, see the face-api end-to-end test.)
import type { GraphLayer } from '@sepconv/graph';
import { describe, expect, it } from 'vitest';
import { loadGraphModel } from '../src/weights/load-graph-model.js';
import { loadLayersModel } from '../src/weights/load-layers-model.js';
import { nsfwjsModel } from './support/real-models.js';

function counts(layers: readonly GraphLayer[]): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const layer of layers) byType[layer.type] = (byType[layer.type] ?? 0) + 1;
  return byType;
}

describe('real model files from npm packages', () => {
  it("nsfwjs's mobilenet_v2_mid (TF-Hub graph model): input scaling Mul/Sub by constants before the first conv, the signature's output name", () => {
    const { modelJson, weightData } = nsfwjsModel('mobilenet_v2_mid');
    const { spec, weights } = loadGraphModel(modelJson, weightData);
    expect(spec.inputs).toEqual([{ name: 'input', shape: [1, 224, 224, 3] }]);
    expect(spec.outputs).toEqual(['Identity:0']);
    expect(spec.layers.find((l) => l.name === 'Identity:0')!.outputShape).toEqual([1, 5]);
    const [mul, sub, conv] = spec.layers;
    expect([mul!.type, sub!.type, conv!.type]).toEqual(['mul', 'sub', 'conv2d']);
    // The converter wrote Mul(y, input): the constant on the left.
    expect(mul).toMatchObject({ inputs: ['input'], constant: { shape: [], side: 'left' } });
    expect(sub).toMatchObject({ inputs: [mul!.name], constant: { shape: [], side: 'right' } });
    // TF-Hub maps [0, 1] pixels to [-1, 1]: x · 2 − 1.
    expect(Array.from(weights.get(`${mul!.name}/constant`)!.data)).toEqual([2]);
    expect(Array.from(weights.get(`${sub!.name}/constant`)!.data)).toEqual([1]);
    expect(counts(spec.layers)).toEqual({
      mul: 1,
      sub: 1,
      conv2d: 1,
      depthwiseConv2d: 17,
      pointwiseConv2d: 34,
      add: 10,
      pool: 1,
      reshape: 1,
      dense: 1,
      activation: 1,
    });
  });

  it("nsfwjs's inception_v3 (Keras 2.2.4): Concatenate branches, max pooling, batch norm, 299×299", () => {
    const { modelJson, weightData } = nsfwjsModel('inception_v3');
    const { spec } = loadLayersModel(modelJson, weightData);
    expect(spec.inputs).toEqual([{ name: 'input_1', shape: [1, 299, 299, 3] }]);
    expect(spec.outputs).toEqual(['dense_3']);
    expect(counts(spec.layers)).toEqual({
      conv2d: 54,
      pointwiseConv2d: 40,
      batchNorm: 94,
      activation: 94,
      pool: 14,
      concat: 15,
      reshape: 1,
      dense: 3,
      dropout: 2,
    });
    expect(spec.layers.find((l) => l.name === 'dense_3')!.outputShape).toEqual([1, 5]);
  });
});
