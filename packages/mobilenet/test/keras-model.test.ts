// The Keras reader against models TensorFlow.js's own layers API builds and serialises:
// SeparableConv2D, strided DepthwiseConv2D, ZeroPadding2D, BatchNormalization, ReLU6, Add,
// pooling, Flatten and Dense, all with random weights, run by sepconv and by tfjs.
import { UnsupportedError, ValueError } from '@sepconv/tensor';
import { randomUniform, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { kerasModelSpec } from '../src/weights/keras-model-spec.js';
import { loadLayersModel } from '../src/weights/load-layers-model.js';
import { tf } from './support/tfjs.js';

async function serialise(
  model: tfl.LayersModel,
): Promise<{ modelJson: { modelTopology: unknown; weightsManifest: { paths: string[]; weights: unknown[] }[] }; weightData: Uint8Array }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const data = saved!.weightData as ArrayBuffer;
  return {
    modelJson: { modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs! }] },
    weightData: new Uint8Array(data),
  };
}

/** Gives batch norm non-trivial statistics so that folding is tested, not the identity. */
function randomiseBatchNorm(model: tfl.LayersModel): void {
  let seed = 100;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(
      layer.getWeights().map((w, i) => tf.tensor(randomUniform(w.shape, seed++, i === 3 ? 0.5 : -0.5, i === 3 ? 1.5 : 0.5).data, w.shape)),
    );
  }
}

async function expectSameAsTfjs(model: tfl.LayersModel, x: HostTensor, tolerance = 1e-5): Promise<void> {
  randomiseBatchNorm(model);
  const { modelJson, weightData } = await serialise(model);
  const { spec, weights } = loadLayersModel(modelJson, weightData);
  const ours = onlyOutput(await (await instantiate(spec, createReferenceBackend(), { weights })).predictAsync(x));
  const input = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
  const theirs = model.predict(input) as tf.Tensor;
  expect(ours.shape).toEqual(theirs.shape);
  const expected = theirs.dataSync();
  ours.data.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(tolerance));
  tf.dispose([input, theirs]);
}

describe('loadLayersModel on models built by tfjs-layers', () => {
  it('a functional model with ZeroPadding2D, strided depthwise, batch norm, ReLU6, a residual Add, pooling and a softmax dense head', async () => {
    const input = tfl.input({ shape: [12, 12, 3] });
    let h = tfl.layers
      .zeroPadding2d({
        padding: [
          [0, 1],
          [0, 1],
        ],
      })
      .apply(input) as tfl.SymbolicTensor;
    h = tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
    const block = tfl.layers.reLU({ maxValue: 6 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false }).apply(block) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU({ maxValue: 6 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.add().apply([block, h]) as tfl.SymbolicTensor;
    h = tfl.layers.globalAveragePooling2d({}).apply(h) as tfl.SymbolicTensor;
    const output = tfl.layers.dense({ units: 4, activation: 'softmax' }).apply(h) as tfl.SymbolicTensor;
    await expectSameAsTfjs(tfl.model({ inputs: input, outputs: output }), randomUniform([2, 12, 12, 3], 1));
  });

  it('a sequential model with SeparableConv2D, average pooling, Flatten and two Dense layers', async () => {
    const model = tfl.sequential({
      layers: [
        // tfjs-layers leaves depth_multiplier out of SeparableConv2D's config, so only 1 survives its round trip.
        tfl.layers.separableConv2d({ inputShape: [8, 8, 4], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.batchNormalization(),
        tfl.layers.averagePooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 5, activation: 'relu' }),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    await expectSameAsTfjs(model, randomUniform([1, 8, 8, 4], 2));
  });
});

describe('kerasModelSpec rejects what it cannot run, naming the layer', () => {
  const input = { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 8, 8, 3] }, inbound_nodes: [] };
  const topology = (...layers: unknown[]) => ({ class_name: 'Model', config: { name: 'm', layers: [input, ...layers] } });

  it('an unknown layer class', () => {
    expect(() => kerasModelSpec(topology({ class_name: 'LSTM', name: 'lstm_1', config: {}, inbound_nodes: [[['in', 0, 0, {}]]] }))).toThrow(
      UnsupportedError,
    );
    expect(() => kerasModelSpec(topology({ class_name: 'LSTM', name: 'lstm_1', config: {}, inbound_nodes: [[['in', 0, 0, {}]]] }))).toThrow(
      /^kerasModelSpec: 1 layer does not run: 'LSTM' \(layer 'lstm_1'\)$/,
    );
  });

  it('reads a branching graph: two layers reading the input are both outputs (no output_layers: the sinks)', () => {
    const relu = (name: string, from: string) => ({ class_name: 'ReLU', name, config: {}, inbound_nodes: [[[from, 0, 0, {}]]] });
    const spec = kerasModelSpec(topology(relu('a', 'in'), relu('b', 'in')));
    expect(spec.outputs).toEqual(['a', 'b']);
    expect(spec.layers.map((l) => l.inputs)).toEqual([['in'], ['in']]);
  });

  it('an activation it has no kernel for, and a malformed topology', () => {
    const conv = {
      class_name: 'Conv2D',
      name: 'c',
      config: { filters: 2, kernel_size: [3, 3], activation: 'tanh', padding: 'same' },
      inbound_nodes: [[['in', 0, 0, {}]]],
    };
    expect(() => kerasModelSpec(topology(conv))).toThrow(/layer 'c': activation 'tanh'/);
    expect(() => kerasModelSpec({ class_name: 'Model', config: { layers: [] } })).toThrow(ValueError);
    expect(() => kerasModelSpec('model')).toThrow(/modelTopology must be an object/);
  });

  it('weights that do not fit the topology, naming the weight', () => {
    const spec = {
      modelTopology: topology({
        class_name: 'Conv2D',
        name: 'c',
        config: { filters: 2, kernel_size: [1, 1], use_bias: false },
        inbound_nodes: [[['in', 0, 0, {}]]],
      }),
    };
    const manifest = [{ paths: ['w.bin'], weights: [{ name: 'c/kernel', shape: [1, 1, 4, 2], dtype: 'float32' }] }];
    const { spec: model, weights } = loadLayersModel({ ...spec, weightsManifest: manifest }, new Uint8Array(32));
    return expect(instantiate(model, createReferenceBackend(), { weights })).rejects.toThrow(
      /weight 'c\/kernel' must be \[3, 2\] or \[1, 1, 3, 2\], got \[1, 1, 4, 2\]/,
    );
  });
});
