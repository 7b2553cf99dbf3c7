// End to end on real trained weights and real photos: nsfwjs's Keras MobileNetV2 (α 1.0, 224,
// uint8-quantised, batch norm unfolded, 5-class head), read by loadLayersModel, run by
// instantiate on each backend, against TensorFlow.js's layers API on tfjs-backend-cpu running
// the same model.json and weights on the same input tensor.
import { createCpuBackend } from '@sepconv/cpu';
import { modelInput, modelOutputShape } from '@sepconv/graph';
import type { Backend, HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mobilenetV2 } from '../src/spec/index.js';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { loadLayersModel, type LoadedModel } from '../src/weights/load-layers-model.js';
import { acquireWebGpuBackend } from './support/gpu-backend.js';
import { coffeePhoto, DARKNET_PHOTOS, darknetPhoto, nsfwjsMobileNetV2 } from './support/real-models.js';
import { tfjsLayersPredict } from './support/tfjs.js';

const CLASSES = 5;
const files = nsfwjsMobileNetV2();
const photos = [...DARKNET_PHOTOS.map((name) => ({ name, pixels: darknetPhoto(name) })), { name: 'coffee', pixels: coffeePhoto() }];
// nsfwjs feeds its model pixels / 255.
const x = imageToTensor(
  photos.map((p) => p.pixels),
  { resolution: 224, range: '[0, 1]' },
);
let loaded: LoadedModel;
let expected: Float32Array;

beforeAll(async () => {
  loaded = loadLayersModel(files.modelJson, files.weightData);
  expected = await tfjsLayersPredict(files.modelJson, files.weightData, x);
});

function argmax(values: Float32Array, row: number): number {
  let best = 0;
  for (let i = 1; i < CLASSES; i++) if (values[row * CLASSES + i]! > values[row * CLASSES + best]!) best = i;
  return best;
}

async function expectMatchesTfjs(backend: Backend, input: HostTensor, rows: number): Promise<void> {
  const model = await instantiate(loaded.spec, backend, { weights: loaded.weights });
  const y = onlyOutput(await model.predictAsync(input));
  model.dispose();
  expect(y.shape).toEqual([rows, CLASSES]);
  for (let row = 0; row < rows; row++) {
    for (let i = 0; i < CLASSES; i++) {
      expect(Math.abs(y.data[row * CLASSES + i]! - expected[row * CLASSES + i]!), `${photos[row]!.name}, class ${i}`).toBeLessThan(1e-4);
    }
    expect(argmax(y.data, row), photos[row]!.name).toBe(argmax(expected, row));
  }
}

describe('nsfwjs MobileNetV2 on real photos matches TensorFlow.js (probabilities within 1e-4, same top class)', () => {
  it('reads the Keras topology into a MobileNetV2 spec with the nsfwjs head', () => {
    const { spec } = loaded;
    expect(modelInput(spec).shape).toEqual([1, 224, 224, 3]);
    expect(modelOutputShape(spec)).toEqual([1, CLASSES]);
    expect(spec.layers.filter((l) => l.type === 'add')).toHaveLength(10);
    expect(spec.layers.filter((l) => l.type === 'depthwiseConv2d')).toHaveLength(17);
    // Keras's ZeroPadding2D + 'valid' became explicit padding on the strided layers.
    const conv1 = spec.layers.find((l) => l.name === 'Conv1');
    expect(conv1?.type === 'conv2d' && conv1.padding).toEqual({ top: 0, bottom: 1, left: 0, right: 1 });
    expect(loaded.weights.size).toBe(266);
  });

  it('its backbone is sepconv’s own mobilenetV2() spec, layer for layer', () => {
    const ours = mobilenetV2({ includeTop: false }).layers;
    const imported = loaded.spec.layers.slice(0, ours.length);
    expect(imported.map((l) => [l.type, l.name, l.outputShape])).toEqual(ours.map((l) => [l.type, l.name, l.outputShape]));
    expect(loaded.spec.layers[ours.length - 1]!.name).toBe('out_relu');
  });

  it('on the CPU backend (2 threads), all six photos', async () => {
    const backend = await createCpuBackend({ threads: 2 });
    await expectMatchesTfjs(backend, x, photos.length);
    backend.dispose();
  });

  it('on the reference backend, the first photo', async () => {
    const one = imageToTensor([photos[0]!.pixels], { resolution: 224, range: '[0, 1]' });
    expect(one.data).toEqual(x.data.subarray(0, one.size));
    await expectMatchesTfjs(createReferenceBackend(), one, 1);
  });
});

const gpu = await acquireWebGpuBackend();
afterAll(() => gpu.backend?.dispose());

describe('nsfwjs MobileNetV2 on WebGPU matches TensorFlow.js', () => {
  if (gpu.backend) {
    const backend = gpu.backend;
    // Two photos: SwiftShader is a CPU rasteriser, several seconds per 224×224 image.
    it('the first two photos', async () => {
      const two = imageToTensor([photos[0]!.pixels, photos[1]!.pixels], { resolution: 224, range: '[0, 1]' });
      await expectMatchesTfjs(backend, two, 2);
    });
  } else {
    it.skip(`NO WEBGPU ADAPTER — not run (set SEPCONV_REQUIRE_GPU=1 to fail instead): ${gpu.reason}`, () => {});
  }
});
