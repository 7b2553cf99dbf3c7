// sepconv's MobileNet builders against Keras's recipes rebuilt independently in tfjs-layers
// (test/support/keras-applications.ts): same options, sepconv's random weights copied across
// by layer name (which also proves the layer names and weight shapes are Keras's), the same
// input, outputs within 1e-4 on the reference and CPU backends.
import { createCpuBackend } from '@sepconv/cpu';
import { isHostTensor, randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { mobilenetV1, mobilenetV2, type ModelSpec } from '../src/spec/index.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { copyWeights, kerasMobileNetV1, kerasMobileNetV2 } from './support/keras-applications.js';
import { tf } from './support/tfjs.js';

let cpu: Backend;
beforeAll(async () => {
  cpu = await createCpuBackend({ threads: 1 });
});
afterAll(() => cpu.dispose());

async function predict(spec: ModelSpec, backend: Backend, seed: number, x: HostTensor): Promise<Float32Array> {
  const model = await instantiate(spec, backend, { seed });
  const y = onlyOutput(await model.predictAsync(x));
  if (!isHostTensor(y)) throw new Error('expected one output');
  return y.data;
}

async function expectAgreement(spec: ModelSpec, keras: tfl.LayersModel, seed: number, x: HostTensor): Promise<void> {
  const copied = copyWeights(keras, randomWeights(spec, seed));
  expect(copied).toBe(randomWeights(spec, seed).size);
  const input = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
  const theirs = keras.predict(input) as tf.Tensor;
  const expected = theirs.dataSync() as Float32Array;
  tf.dispose([input, theirs]);
  keras.dispose();
  for (const backend of [createReferenceBackend(), cpu]) {
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
