// Post-training int8 quantization on real weights: nsfwjs's MobileNetV2 quantized with
// calibration photos, then run in int8 on photos not used for calibration, against the float model.
import { createCpuBackend } from '@sepconv/cpu';
import { HostTensor, type Backend } from '@sepconv/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageToTensor, type Pixels } from '../src/image/image-to-tensor.js';
import { quantizeModel } from '../src/quantize/quantize-model.js';
import type { QuantizedModel } from '../src/quantize/quantized-model-spec.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { loadLayersModel, type LoadedModel } from '../src/weights/load-layers-model.js';
import { coffeePhoto, darknetPhoto, faceApiPhoto, nsfwjsMobileNetV2 } from './support/real-models.js';
import { int8Backend } from './support/int8-backend.js';

const CLASSES = 5;
const calibrationPhotos = [faceApiPhoto('sample1'), faceApiPhoto('sample2'), darknetPhoto('scream'), faceApiPhoto('sample3')];
const testPhotos: { name: string; pixels: Pixels }[] = [
  ...(['dog', 'eagle', 'giraffe', 'horses', 'kite', 'person'] as const).map((name) => ({ name, pixels: darknetPhoto(name) })),
  { name: 'coffee', pixels: coffeePhoto() },
  ...(['sample4', 'sample5', 'sample6'] as const).map((name) => ({ name, pixels: faceApiPhoto(name) })),
];
const image = { range: '[0, 1]' } as const;
const x = imageToTensor(
  testPhotos.map((p) => p.pixels),
  { resolution: 224, ...image },
);

let backend: Backend;
let loaded: LoadedModel;
let float: Float32Array;
/** The defaults' probabilities on the ten photos (the first test), which the second compares with. */
let corrected: Float32Array;

beforeAll(async () => {
  backend = await createCpuBackend({ threads: 2 });
  loaded = loadLayersModel(nsfwjsMobileNetV2().modelJson, nsfwjsMobileNetV2().weightData);
  const model = await instantiate(loaded.spec, backend, { weights: loaded.weights });
  float = onlyOutput(await model.predictAsync(x)).data;
  model.dispose();
}, 120_000);
afterAll(() => backend.dispose());

function argmax(values: Float32Array, row: number): number {
  let best = 0;
  for (let i = 1; i < CLASSES; i++) if (values[row * CLASSES + i]! > values[row * CLASSES + best]!) best = i;
  return best;
}

// The int8 model runs on the CPU backend's int8 capabilities where it declares them, else on the
// reference backend's (the oracle every backend's int8 kernels match bit for bit: the same
// probabilities either way, the CPU only sooner); the float model and calibration on the CPU.
async function int8Probabilities(quantized: QuantizedModel, input: HostTensor): Promise<Float32Array> {
  const model = await instantiate(quantized.spec, int8Backend(backend), { weights: quantized.weights });
  return (onlyOutput(await model.predictAsync(input)) as HostTensor).data;
}

/** How many rows keep the float model's top-1 class, and the largest probability difference. */
function agreement(label: string, y: Float32Array, rows: number): { sameTop: number; maxDiff: number } {
  let sameTop = 0;
  let maxDiff = 0;
  for (let row = 0; row < rows; row++) {
    if (argmax(y, row) === argmax(float, row)) sameTop++;
    for (let i = 0; i < CLASSES; i++) maxDiff = Math.max(maxDiff, Math.abs(y[row * CLASSES + i]! - float[row * CLASSES + i]!));
  }
  console.log(`${label}: same top-1 on ${sameTop}/${rows}, max |Δp| ${maxDiff.toFixed(4)}`);
  return { sameTop, maxDiff };
}

const quantize = (options: { biasCorrection?: boolean; perChannel?: boolean } = {}) =>
  quantizeModel(loaded.spec, loaded.weights, { calibration: calibrationPhotos, image, backend, ...options });

describe('nsfwjs MobileNetV2 quantized to int8 agrees with float on photos not used for calibration', () => {
  it('per-channel weights with bias correction (the defaults): the same top-1 on at least 9 of 10 photos, probabilities within 0.05', async () => {
    corrected = await int8Probabilities(await quantize(), x);
    const { sameTop, maxDiff } = agreement('per-channel + bias correction', corrected, testPhotos.length);
    expect(sameTop).toBeGreaterThanOrEqual(9);
    expect(maxDiff).toBeLessThan(0.05);
  }, 600_000);

  it('min/max alone and per-tensor weights are further from float (the numbers the quantization guide quotes)', async () => {
    const rows = testPhotos.length;
    const defaults = agreement('per-channel + bias correction', corrected, rows);
    const plain = agreement('per-channel, min/max only', await int8Probabilities(await quantize({ biasCorrection: false }), x), rows);
    const perTensor = agreement('per-tensor + bias correction', await int8Probabilities(await quantize({ perChannel: false }), x), rows);
    expect(plain.maxDiff).toBeGreaterThan(defaults.maxDiff);
    expect(perTensor.maxDiff).toBeGreaterThan(defaults.maxDiff);
    expect(perTensor.sameTop).toBeLessThan(defaults.sameTop);
  }, 600_000);
});
