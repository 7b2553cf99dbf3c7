// sepconv's MobileNet builders against Keras's recipes rebuilt independently in tfjs-layers
// (test/support/keras-applications.ts): same options, sepconv's random weights copied across
// by layer name (which also proves the layer names and weight shapes are Keras's), the same
// input, outputs within 1e-4 on the reference and CPU backends (and WebGPU for one V3).
import { createCpuBackend } from '@sepconv/cpu';
import { isHostTensor, randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { mobilenetV1, mobilenetV2, mobilenetV3, type MobileNetV3Options, type ModelSpec } from '../src/spec/index.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { acquireWebGpuBackend, type TestGpuBackend } from './support/gpu-backend.js';
import { copyWeights, kerasMobileNetV1, kerasMobileNetV2, kerasMobileNetV3 } from './support/keras-applications.js';
import { tf } from './support/tfjs.js';

let cpu: Backend;
let gpu: TestGpuBackend;
beforeAll(async () => {
  cpu = await createCpuBackend({ threads: 1 });
  gpu = await acquireWebGpuBackend();
});
afterAll(() => {
  cpu.dispose();
  gpu.backend?.dispose();
});

async function predict(spec: ModelSpec, backend: Backend, seed: number, x: HostTensor): Promise<Float32Array> {
  const model = await instantiate(spec, backend, { seed });
  const y = onlyOutput(await model.predictAsync(x));
  if (!isHostTensor(y)) throw new Error('expected one output');
  return y.data;
}

async function expectAgreement(
  spec: ModelSpec,
  keras: tfl.LayersModel,
  seed: number,
  x: HostTensor,
  backends: () => readonly Backend[] = () => [createReferenceBackend(), cpu],
): Promise<void> {
  const copied = copyWeights(keras, randomWeights(spec, seed));
  expect(copied).toBe(randomWeights(spec, seed).size);
  const input = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
  const theirs = keras.predict(input) as tf.Tensor;
  const expected = theirs.dataSync() as Float32Array;
  tf.dispose([input, theirs]);
  keras.dispose();
  // A check that can fail: random weights that flattened the softmax to 1/classes would agree
  // with almost anything, so the probabilities must spread by 100 times the tolerance.
  expect(Math.max(...expected) - Math.min(...expected), `${spec.name}: tfjs-layers' probabilities spread`).toBeGreaterThan(1e-2);
  for (const backend of backends()) {
    const ours = await predict(spec, backend, seed, x);
    expect(ours.length).toBe(expected.length);
    let max = 0;
    for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - expected[i]!));
    expect(max, `${spec.name} on ${backend.name}`).toBeLessThan(1e-4);
  }
}

describe('the MobileNet builders agree with Keras recipes built in tfjs-layers', () => {
  it('MobileNetV1 0.25-64, 10 classes', async () => {
    const options = { alpha: 0.25, resolution: 64, classes: 10 };
    await expectAgreement(mobilenetV1(options), kerasMobileNetV1(options), 3, randomUniform([1, 64, 64, 3], 1, -1, 1));
  });

  it('MobileNetV2 0.35-63 (odd size: Keras pads strided depthwise convs with correct_pad), 10 classes', async () => {
    const options = { alpha: 0.35, resolution: 63, classes: 10 };
    await expectAgreement(mobilenetV2(options), kerasMobileNetV2(options), 5, randomUniform([1, 63, 63, 3], 2, -1, 1));
  });
});

describe('MobileNetV3 agrees with the Keras recipe built in tfjs-layers (hard-swish, SE, Rescaling)', () => {
  // Small sizes keep the tfjs-layers run short; 64 and 96 still take every stride-2 stage.
  const cases: readonly [string, MobileNetV3Options, number][] = [
    ['Small 0.75-64, 10 classes, pixels in [0, 255] (Rescaling)', { variant: 'small', alpha: 0.75, resolution: 64, classes: 10 }, 11],
    ['Large 0.75-64, 10 classes, inputs in [−1, 1]', { variant: 'large', alpha: 0.75, resolution: 64, classes: 10, includePreprocessing: false }, 12],
    ['Small minimalistic 1.0-96, 10 classes', { variant: 'small', minimalistic: true, resolution: 96, classes: 10 }, 13],
    ['Large minimalistic 0.75-64, 10 classes', { variant: 'large', alpha: 0.75, minimalistic: true, resolution: 64, classes: 10 }, 14],
  ];
  it.each(cases)('%s', async (_, options, seed) => {
    const resolution = options.resolution!;
    const [low, high] = options.includePreprocessing === false ? [-1, 1] : [0, 255];
    await expectAgreement(mobilenetV3(options), kerasV3(options), seed, randomUniform([2, resolution, resolution, 3], seed, low, high));
  });

  it('Small 0.75-64 on WebGPU too', async (context) => {
    if (!gpu.backend) return context.skip(`no WebGPU adapter: ${gpu.reason}`);
    const options = { variant: 'small', alpha: 0.75, resolution: 64, classes: 10 } as const;
    await expectAgreement(mobilenetV3(options), kerasV3(options), 15, randomUniform([1, 64, 64, 3], 15, 0, 255), () => [gpu.backend!]);
  });
});

function kerasV3(options: MobileNetV3Options): tfl.LayersModel {
  return kerasMobileNetV3({
    variant: options.variant,
    alpha: options.alpha ?? 1,
    minimalistic: options.minimalistic ?? false,
    resolution: options.resolution ?? 224,
    classes: options.classes ?? 1000,
    includeTop: options.includeTop ?? true,
    includePreprocessing: options.includePreprocessing ?? true,
  });
}
