// End to end on a real MobileNetV1 (α 1.0): face-api's SSD MobileNetV1 backbone (TF-slim
// names, uint8-quantised; pointwise batch norm folded by the converter, depthwise batch norm
// not), mapped onto sepconv's mobilenetV1 spec and compared with the same network written
// with TensorFlow.js ops (conv2d, depthwiseConv2d, batchNorm, relu6) on tfjs-backend-cpu,
// fed the same photos; tfjs dequantises the weights itself.
import { createCpuBackend } from '@sepconv/cpu';
import { modelOutputShape } from '@sepconv/graph';
import type { Backend, HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import type { LoadedModel } from '../src/weights/load-layers-model.js';
import { readWeights } from '../src/weights/read-weights.js';
import { tfSlimMobileNetV1 } from '../src/weights/tf-slim-mobilenet-v1.js';
import { acquireWebGpuBackend } from './support/gpu-backend.js';
import { coffeePhoto, darknetPhoto, faceApiSsdMobileNetV1 } from './support/real-models.js';
import { tf } from './support/tfjs.js';

const STRIDE_2 = new Set([2, 4, 6, 12]);
const files = faceApiSsdMobileNetV1();

/** MobileNetV1 written directly in TensorFlow.js ops over the file's own (tfjs-decoded) weights. */
async function tfjsBackbone(x: HostTensor): Promise<Float32Array> {
  const manifest = files.manifest as { weights: tf.io.WeightsManifestEntry[] }[];
  const w = tf.io.decodeWeights(
    files.weightData.slice().buffer,
    manifest.flatMap((g) => g.weights),
  );
  const get = (name: string): tf.Tensor => {
    const t = w[name];
    if (t === undefined) throw new Error(`tfjs: no ${name}`);
    return t;
  };
  const y = tf.tidy(() => {
    let h: tf.Tensor4D = tf.tensor4d(x.data, [x.shape[0]!, x.shape[1]!, x.shape[2]!, x.shape[3]!]);
    h = tf.relu6(
      tf.add(
        tf.conv2d(h, get('MobilenetV1/Conv2d_0_pointwise/weights') as tf.Tensor4D, 2, 'same'),
        get('MobilenetV1/Conv2d_0_pointwise/convolution_bn_offset'),
      ),
    );
    for (let i = 1; i <= 13; i++) {
      const dw = `MobilenetV1/Conv2d_${i}_depthwise`;
      const pw = `MobilenetV1/Conv2d_${i}_pointwise`;
      h = tf.depthwiseConv2d(h, get(`${dw}/depthwise_weights`) as tf.Tensor4D, STRIDE_2.has(i) ? 2 : 1, 'same');
      h = tf.relu6(
        tf.batchNorm4d(
          h,
          get(`${dw}/BatchNorm/moving_mean`) as tf.Tensor1D,
          get(`${dw}/BatchNorm/moving_variance`) as tf.Tensor1D,
          get(`${dw}/BatchNorm/beta`) as tf.Tensor1D,
          get(`${dw}/BatchNorm/gamma`) as tf.Tensor1D,
          0.001,
        ),
      );
      h = tf.relu6(tf.add(tf.conv2d(h, get(`${pw}/weights`) as tf.Tensor4D, 1, 'same'), get(`${pw}/convolution_bn_offset`)));
    }
    return h;
  });
  const data = (await y.data()) as Float32Array;
  tf.dispose([y, ...Object.values(w)]);
  return data;
}

// TF Object Detection's MobileNets take 2·x/255 − 1.
const x = imageToTensor([darknetPhoto('person'), coffeePhoto()], { resolution: 224 });
let loaded: LoadedModel;
let expected: Float32Array;

beforeAll(async () => {
  loaded = tfSlimMobileNetV1(readWeights(files.manifest, files.weightData), { resolution: 224 });
  expected = await tfjsBackbone(x);
});

function maxDifference(actual: Float32Array, reference: Float32Array): number {
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i]! - reference[i]!));
  return max;
}

async function expectMatchesTfjs(backend: Backend, input: HostTensor): Promise<void> {
  const model = await instantiate(loaded.spec, backend, { weights: loaded.weights });
  const y = onlyOutput(await model.predictAsync(input));
  model.dispose();
  expect(y.shape).toEqual([input.shape[0], 7, 7, 1024]);
  // Features are ReLU6 outputs in [0, 6] after 27 layers of float32 arithmetic in different
  // orders; 1e-4 of the range bounds the difference.
  expect(maxDifference(y.data, expected)).toBeLessThan(6e-4);
}

describe('face-api MobileNetV1 backbone on real photos matches TensorFlow.js ops', () => {
  it('maps TF-slim names onto the spec: pointwise batch norm folded into a bias, depthwise kept', () => {
    const { spec, weights } = loaded;
    expect(modelOutputShape(spec)).toEqual([1, 7, 7, 1024]);
    expect(spec.layers.filter((l) => l.type === 'batchNorm').map((l) => l.name)).toEqual(Array.from({ length: 13 }, (_, i) => `conv_dw_${i + 1}_bn`));
    expect(weights.get('conv_pw_13/bias')?.shape).toEqual([1024]);
    expect(weights.size).toBe(93);
  });

  it('on the CPU backend (2 threads), person and coffee photos', async () => {
    const backend = await createCpuBackend({ threads: 2 });
    await expectMatchesTfjs(backend, x);
    backend.dispose();
  });

  it('on the reference backend, the person photo', async () => {
    await expectMatchesTfjs(createReferenceBackend(), imageToTensor([darknetPhoto('person')], { resolution: 224 }));
  });
});

const gpu = await acquireWebGpuBackend();
afterAll(() => gpu.backend?.dispose());

describe('face-api MobileNetV1 backbone on WebGPU matches TensorFlow.js ops', () => {
  if (gpu.backend) {
    const backend = gpu.backend;
    // One photo: SwiftShader is a CPU rasteriser, seconds per 224×224 image.
    it('the person photo, kept on the GPU until the one read at the end', async () => {
      const model = await instantiate(loaded.spec, backend, { weights: loaded.weights });
      const y = onlyOutput(model.predict(imageToTensor([darknetPhoto('person')], { resolution: 224 })));
      expect(y.location).toBe('webgpu');
      const data = await backend.read(y);
      y.dispose();
      model.dispose();
      expect(data.length).toBe(7 * 7 * 1024);
      expect(maxDifference(data, expected)).toBeLessThan(6e-4);
    });
  } else {
    it.skip(`NO WEBGPU ADAPTER — not run (set SEPCONV_REQUIRE_GPU=1 to fail instead): ${gpu.reason}`, () => {});
  }
});
