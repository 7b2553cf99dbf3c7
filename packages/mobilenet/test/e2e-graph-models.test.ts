// Graphs end to end through instantiate, against TensorFlow.js running the same files:
// nsfwjs's real TF-Hub MobileNetV2 graph model (input scaling Mul/Sub inside the graph) on a
// darknet photo vs tfjs-converter; a converter-style graph with two outputs (SE multiply,
// concat, a shared backbone) vs tfjs-converter; a Keras functional model with Concatenate,
// Multiply and two outputs vs tfjs-layers. On the reference and CPU backends (and WebGPU for
// the two graph models).
import { readFileSync } from 'node:fs';
import { createCpuBackend } from '@sepconv/cpu';
import { randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as tfc from '@tensorflow/tfjs-converter';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../src/image/decode-image.js';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput, type ModelOutputs } from '../src/runtime/model.js';
import { loadGraphModel } from '../src/weights/load-graph-model.js';
import { loadLayersModel } from '../src/weights/load-layers-model.js';
import { acquireWebGpuBackend, type TestGpuBackend } from './support/gpu-backend.js';
import { nsfwjsModel } from './support/real-models.js';
import { graphBuilder } from './support/tiny-graph-model.js';
import { tf } from './support/tfjs.js';

let cpu: Backend;
let gpu: TestGpuBackend;
beforeAll(async () => {
  cpu = await createCpuBackend({ threads: 2 });
  gpu = await acquireWebGpuBackend();
});
afterAll(() => {
  cpu.dispose();
  gpu.backend?.dispose();
});

const BACKENDS: readonly { name: string; get: () => Backend }[] = [
  { name: 'reference', get: () => createReferenceBackend() },
  { name: 'cpu', get: () => cpu },
];

/** tfjs-converter's graph executor on a model.json and its weight data, in memory. */
async function tfjsGraphModel(
  modelJson: Record<string, unknown> & { weightsManifest: { weights: unknown[] }[] },
  weightData: Uint8Array,
): Promise<tfc.GraphModel> {
  return tfc.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
      format: 'graph-model',
      ...(modelJson.signature ? { signature: modelJson.signature as object } : {}),
    }),
  );
}

/** The largest absolute difference, after checking both hold as many numbers. */
function maxDifference(ours: Float32Array, theirs: ArrayLike<number>): number {
  expect(ours.length).toBe(theirs.length);
  let max = 0;
  for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - theirs[i]!));
  return max;
}

/** The largest absolute difference relative to the largest expected magnitude. */
function relativeDifference(ours: Float32Array, theirs: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < theirs.length; i++) scale = Math.max(scale, Math.abs(theirs[i]!));
  return maxDifference(ours, theirs) / scale;
}

function records(outputs: ModelOutputs<HostTensor>): Record<string, HostTensor> {
  if ('shape' in outputs && 'dtype' in outputs) throw new Error('expected several outputs');
  return outputs as Record<string, HostTensor>;
}

describe("nsfwjs's TF-Hub MobileNetV2 graph model (mobilenet_v2_mid) on a darknet photo matches tfjs-converter", () => {
  const { modelJson, weightData } = nsfwjsModel('mobilenet_v2_mid');
  let x: HostTensor;
  let expected: Float32Array;
  beforeAll(async () => {
    // The graph scales its own input (x · 2 − 1): it takes pixels / 255.
    const image = await decodeImage(readFileSync('/usr/share/darknet/data/dog.jpg'));
    x = imageToTensor([image], { resolution: 224, range: '[0, 1]' });
    const model = await tfjsGraphModel(modelJson, weightData);
    const input = tf.tensor4d(x.data, [1, 224, 224, 3]);
    const y = model.execute(input) as tf.Tensor;
    expected = (await y.data()) as Float32Array;
    tf.dispose([input, y]);
    model.dispose();
  });

  for (const { name, get } of [...BACKENDS, { name: 'webgpu', get: () => gpu.backend }]) {
    it(`on ${name}: the five probabilities within 1e-4, the same top class`, async (context) => {
      const backend = get();
      if (backend === undefined) return context.skip(`no WebGPU adapter: ${gpu.reason}`);
      const { spec, weights } = loadGraphModel(modelJson, weightData);
      const model = await instantiate(spec, backend, { weights });
      const y = onlyOutput(await model.predictAsync(x));
      model.dispose();
      expect(y.shape).toEqual([1, 5]);
      expect(maxDifference(y.data, expected)).toBeLessThan(1e-4);
      expect(y.data.indexOf(Math.max(...y.data))).toBe(expected.indexOf(Math.max(...expected)));
      // A check that can fail: the photo gives a decided answer, not five near-equal classes.
      expect(Math.max(...expected)).toBeGreaterThan(0.5);
    });
  }
});

/**
 * A converter-style graph with two outputs from one backbone: TF-Hub input scaling, a
 * squeeze-and-excitation multiply (Mean → 1×1 convs → Sigmoid → Mul), a ConcatV2 of two
 * branches, a spatial head (Sigmoid map) and a classifier head (Mean → MatMul → Softmax),
 * named by a signature.
 */
function twoHeadedGraph() {
  const g = graphBuilder();
  const axes = (name: string) => g.constant(name, [2], 'int32', [1, 2]);
  g.placeholder('image', [-1, 16, 16, 3]);
  g.node('scaled', 'Mul', [g.constant('scale', [], 'float32', [2]), 'image']);
  g.node('centred', 'Sub', ['scaled', g.constant('one', [], 'float32', [1])]);
  g.node(
    'stem',
    '_FusedConv2D',
    ['centred', g.random('stem/w', [3, 3, 3, 8]), g.random('stem/b', [8])],
    g.conv({ strides: 2, fused: ['BiasAdd', 'Relu6'] }),
  );
  g.node('se_pool', 'Mean', ['stem', axes('se_axes')], { keep_dims: { b: true } });
  g.node(
    'se_down',
    '_FusedConv2D',
    ['se_pool', g.random('se_down/w', [1, 1, 8, 4]), g.random('se_down/b', [4])],
    g.conv({ fused: ['BiasAdd', 'Relu'] }),
  );
  g.node('se_up', '_FusedConv2D', ['se_down', g.random('se_up/w', [1, 1, 4, 8]), g.random('se_up/b', [8])], g.conv({ fused: ['BiasAdd'] }));
  g.node('se_gate', 'Sigmoid', ['se_up']);
  g.node('excited', 'Mul', ['stem', 'se_gate']);
  g.node(
    'left',
    'FusedDepthwiseConv2dNative',
    ['excited', g.random('left/w', [3, 3, 8, 1]), g.random('left/b', [8])],
    g.conv({ fused: ['BiasAdd', 'Relu6'] }),
  );
  g.node('right', '_FusedConv2D', ['excited', g.random('right/w', [1, 1, 8, 6]), g.random('right/b', [6])], g.conv({ fused: ['BiasAdd', 'Relu'] }));
  g.node('joined', 'ConcatV2', ['left', 'right', g.constant('concat_axis', [], 'int32', [3])], { N: { i: '2' }, Tidx: { type: 'DT_INT32' } });
  g.node('mask_logits', 'Conv2D', ['joined', g.random('mask/w', [1, 1, 14, 2])], g.conv({}));
  g.node('mask', 'Sigmoid', ['mask_logits']);
  g.node('pooled', 'Mean', ['joined', axes('head_axes')], { keep_dims: { b: false } });
  g.node('logits', 'MatMul', ['pooled', g.random('fc/w', [14, 5])], { transpose_a: { b: false }, transpose_b: { b: false } });
  g.node('probs', 'Softmax', ['logits']);
  const signature = { inputs: { image: { name: 'image:0' } }, outputs: { mask: { name: 'mask:0' }, probabilities: { name: 'probs:0' } } };
  return g.model({ signature });
}

describe('a two-output graph model (shared backbone, SE multiply, concat) matches tfjs-converter', () => {
  const { modelJson, weightData } = twoHeadedGraph();
  const x = randomUniform([2, 16, 16, 3], 21, 0, 1);
  const expected: Record<string, Float32Array> = {};
  beforeAll(async () => {
    const model = await tfjsGraphModel(modelJson, weightData);
    const input = tf.tensor4d(x.data, [2, 16, 16, 3]);
    const [mask, probs] = model.execute(input, ['mask', 'probs']) as tf.Tensor[];
    expected.mask = (await mask!.data()) as Float32Array;
    expected.probabilities = (await probs!.data()) as Float32Array;
    tf.dispose([input, mask!, probs!]);
    model.dispose();
  });

  const backends = [...BACKENDS, { name: 'webgpu', get: () => gpu.backend }];
  for (const { name, get } of backends) {
    it(`on ${name}: a record { mask, probabilities }, each within 1e-4 relative`, async (context) => {
      const backend = get();
      if (backend === undefined) return context.skip(`no WebGPU adapter: ${gpu.reason}`);
      const { spec, weights } = loadGraphModel(modelJson, weightData);
      expect(spec.outputs).toEqual(['mask', 'probabilities']);
      const model = await instantiate(spec, backend, { weights });
      expect(model.outputs).toEqual(['mask', 'probabilities']);
      const y = records(await model.predictAsync(x));
      model.dispose();
      expect(Object.keys(y)).toEqual(['mask', 'probabilities']);
      expect(y.mask!.shape).toEqual([2, 8, 8, 2]);
      expect(y.probabilities!.shape).toEqual([2, 5]);
      expect(relativeDifference(y.mask!.data, expected.mask!)).toBeLessThan(1e-4);
      expect(maxDifference(y.probabilities!.data, expected.probabilities!)).toBeLessThan(1e-4);
    });
  }
});

/** A Keras functional model: two inputs, Concatenate, an SE-style Multiply, Add, two outputs. */
function kerasFunctionalModel(): tfl.LayersModel {
  const image = tfl.input({ shape: [12, 12, 3], name: 'image' });
  const hint = tfl.input({ shape: [12, 12, 2], name: 'hint' });
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;
  const joined = apply(tfl.layers.concatenate({ axis: -1, name: 'joined' }), [image, hint]);
  const stem = apply(tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'stem' }), joined);
  const pooled = apply(tfl.layers.globalAveragePooling2d({ name: 'se_pool' }), stem);
  const squeezed = apply(tfl.layers.reshape({ targetShape: [1, 1, 8], name: 'se_reshape' }), pooled);
  const down = apply(tfl.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'relu', name: 'se_down' }), squeezed);
  const gate = apply(tfl.layers.conv2d({ filters: 8, kernelSize: 1, activation: 'sigmoid', name: 'se_up' }), down);
  const excited = apply(tfl.layers.multiply({ name: 'se_mul' }), [stem, gate]);
  const branch = apply(tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'branch_dw' }), excited);
  const sum = apply(tfl.layers.add({ name: 'residual' }), [excited, branch]);
  const features = apply(tfl.layers.conv2d({ filters: 3, kernelSize: 1, name: 'features' }), sum);
  const head = apply(tfl.layers.globalAveragePooling2d({ name: 'head_pool' }), sum);
  const probs = apply(tfl.layers.dense({ units: 4, activation: 'softmax', name: 'probs' }), head);
  return tfl.model({ inputs: [image, hint], outputs: [features, probs] });
}

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
  return {
    modelJson: { modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs! }] },
    weightData: new Uint8Array(saved!.weightData as ArrayBuffer),
  };
}

describe('a Keras functional model with Concatenate, Multiply and two inputs and outputs matches tfjs-layers', () => {
  const image = randomUniform([2, 12, 12, 3], 31, -1, 1);
  const hint = randomUniform([2, 12, 12, 2], 32, -1, 1);
  let files: Awaited<ReturnType<typeof serialise>>;
  let expected: Float32Array[];
  beforeAll(async () => {
    const keras = kerasFunctionalModel();
    files = await serialise(keras);
    const inputs = [tf.tensor4d(image.data, [2, 12, 12, 3]), tf.tensor4d(hint.data, [2, 12, 12, 2])];
    const outputs = keras.predict(inputs) as tf.Tensor[];
    expected = outputs.map((t) => t.dataSync() as Float32Array);
    tf.dispose([...inputs, ...outputs]);
    keras.dispose();
  });

  for (const { name, get } of BACKENDS) {
    it(`on ${name}: inputs by name, outputs { features, probs } within 1e-4`, async () => {
      const { spec, weights } = loadLayersModel(files.modelJson, files.weightData);
      expect(spec.inputs.map((i) => i.name)).toEqual(['image', 'hint']);
      expect(spec.outputs).toEqual(['features', 'probs']);
      const model = await instantiate(spec, get(), { weights });
      const y = records(await model.predictAsync({ image, hint }));
      model.dispose();
      expect(y.features!.shape).toEqual([2, 6, 6, 3]);
      expect(y.probs!.shape).toEqual([2, 4]);
      expect(relativeDifference(y.features!.data, expected[0]!)).toBeLessThan(1e-4);
      expect(maxDifference(y.probs!.data, expected[1]!)).toBeLessThan(1e-4);
    });
  }
});
