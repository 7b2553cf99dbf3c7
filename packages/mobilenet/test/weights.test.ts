import { HostTensor, randomUniform, ShapeError, tensor, UnsupportedError, ValueError } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { checkWeightsManifest, decodeWeights, type WeightSpec } from '../src/weights/decode-weights.js';
import { dequantize, halfToFloat } from '../src/weights/dequantize.js';
import { foldBatchNorm } from '../src/weights/fold-batch-norm.js';
import { readWeights } from '../src/weights/read-weights.js';
import { nsfwjsMobileNetV2 } from './support/real-models.js';
import { tf } from './support/tfjs.js';

const reference = createReferenceBackend();

function bytes(values: number[], type: 'f32' | 'i32' | 'u8' | 'u16'): Uint8Array {
  const size = type === 'u8' ? 1 : type === 'u16' ? 2 : 4;
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, i) => {
    if (type === 'f32') view.setFloat32(4 * i, v, true);
    else if (type === 'i32') view.setInt32(4 * i, v, true);
    else if (type === 'u16') view.setUint16(2 * i, v, true);
    else view.setUint8(i, v);
  });
  return new Uint8Array(view.buffer);
}

describe('dequantisation', () => {
  it('uint8 and uint16 are min + scale·q', () => {
    const view = new DataView(bytes([0, 1, 255], 'u8').buffer);
    expect(Array.from(dequantize(view, 3, { dtype: 'uint8', min: -1, scale: 0.5 }))).toEqual([-1, -0.5, 126.5]);
    const wide = new DataView(bytes([0, 65535], 'u16').buffer);
    expect(Array.from(dequantize(wide, 2, { dtype: 'uint16', min: 2, scale: 0.25 }))).toEqual([2, 2 + 65535 * 0.25]);
  });

  it('float16 widens exactly, subnormals, infinities and NaN included', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x3555)).toBeCloseTo(0.33325, 5);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('gives bit for bit what TensorFlow.js decodes from nsfwjs’s uint8 weights', () => {
    const { modelJson, weightData } = nsfwjsMobileNetV2();
    const ours = readWeights(modelJson.weightsManifest, weightData);
    const specs = modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
    const theirs = tf.io.decodeWeights(weightData.slice().buffer, specs);
    expect(ours.size).toBe(Object.keys(theirs).length);
    for (const [name, t] of Object.entries(theirs)) {
      const mine = ours.get(name)!;
      expect(mine.shape, name).toEqual(t.shape);
      const expected = t.dataSync();
      let differing = 0;
      for (let i = 0; i < expected.length; i++) if (!Object.is(mine.data[i], expected[i])) differing++;
      expect(differing, name).toBe(0);
      t.dispose();
    }
  });
});

describe('decodeWeights never trusts the file', () => {
  const specs: WeightSpec[] = [
    { name: 'a/kernel', shape: [2, 2], dtype: 'float32' },
    { name: 'a/count', shape: [1], dtype: 'int32' },
    { name: 'b/kernel', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 2 } },
  ];
  const data = new Uint8Array([...bytes([1, 2, 3, 4], 'f32'), ...bytes([-7], 'i32'), ...bytes([1, 2, 3], 'u8')]);

  it('decodes float32, int32 and quantised entries in order, little-endian', () => {
    const weights = decodeWeights('test', specs, data);
    expect(Array.from(weights.get('a/kernel')!.data)).toEqual([1, 2, 3, 4]);
    expect(weights.get('a/kernel')!.shape).toEqual([2, 2]);
    expect(Array.from(weights.get('a/count')!.data)).toEqual([-7]);
    expect(Array.from(weights.get('b/kernel')!.data)).toEqual([2, 4, 6]);
  });

  it('refuses to read past the buffer, naming the weight', () => {
    expect(() => decodeWeights('test', specs, data.subarray(0, data.length - 1))).toThrow(ShapeError);
    expect(() => decodeWeights('test', specs, data.subarray(0, data.length - 1))).toThrow(
      /weight 'b\/kernel' \[3\] needs bytes 20\.\.23, but the weight data has only 22/,
    );
  });

  it('rejects bytes left over and repeated names', () => {
    expect(() => decodeWeights('test', specs, new Uint8Array([...data, 0]))).toThrow(/describes 23 bytes of weights, but the weight data has 24/);
    expect(() => decodeWeights('test', [specs[0]!, specs[0]!], new Uint8Array(32))).toThrow(/appears twice/);
  });

  it('checks the manifest: shapes, dtypes, quantisation parameters', () => {
    const group = (weights: unknown[]) => [{ paths: ['x.bin'], weights }];
    expect(() => checkWeightsManifest('test', group([{ name: 'w', shape: [2, -1], dtype: 'float32' }]))).toThrow(ShapeError);
    expect(() => checkWeightsManifest('test', group([{ name: 'w', shape: [2.5], dtype: 'float32' }]))).toThrow(
      /^test: weightsManifest\[0\]\.weights\[0\]\.shape \(weight 'w'\) must hold non-negative integers, got 2\.5 at axis 0/,
    );
    expect(() => checkWeightsManifest('test', group([{ name: 'w', shape: [2], dtype: 'string' }]))).toThrow(UnsupportedError);
    expect(() =>
      checkWeightsManifest('test', group([{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1 } }])),
    ).toThrow(ValueError);
    expect(() => checkWeightsManifest('test', group([{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'int4' } }]))).toThrow(
      /quantization.dtype \(weight 'w'\) must be one of 'uint8', 'uint16', 'float16', got 'int4'/,
    );
    expect(() => checkWeightsManifest('test', { weights: [] })).toThrow(/weightsManifest must be an array/);
    expect(() => checkWeightsManifest('test', group([{ shape: [1], dtype: 'float32' }]))).toThrow(/must have a non-empty name/);
  });
});

describe('foldBatchNorm', () => {
  const norm = (channels: number, seed: number) => ({
    gamma: randomUniform([channels], seed, 0.5, 1.5).data,
    beta: randomUniform([channels], seed + 1, -1, 1).data,
    movingMean: randomUniform([channels], seed + 2, -1, 1).data,
    movingVariance: randomUniform([channels], seed + 3, 0.2, 2).data,
    epsilon: 1e-3,
  });
  const applyNorm = (y: Float32Array, n: ReturnType<typeof norm>): Float32Array =>
    y.map((v, i) => {
      const c = i % n.gamma.length;
      return ((v - n.movingMean[c]!) / Math.sqrt(n.movingVariance[c]! + n.epsilon)) * n.gamma[c]! + n.beta[c]!;
    });

  it('conv then batch norm equals the folded conv (with its own bias)', () => {
    const x = randomUniform([1, 6, 6, 3], 1);
    const filter = randomUniform([3, 3, 3, 5], 2);
    const bias = randomUniform([5], 3).data;
    const n = norm(5, 4);
    const unfolded = applyNorm((reference.conv2d(x, filter, { bias: tensor(bias, [5]), padding: 'same' }) as HostTensor).data, n);
    const folded = foldBatchNorm('conv', filter, bias, 5, n);
    const y = reference.conv2d(x, folded.filter, { bias: folded.bias, padding: 'same' }) as HostTensor;
    y.data.forEach((v, i) => expect(v).toBeCloseTo(unfolded[i]!, 5));
  });

  it('folds per output channel c·M + m of a depthwise filter with multiplier 2', () => {
    const x = randomUniform([1, 5, 5, 3], 5);
    const filter = randomUniform([3, 3, 3, 2], 6);
    const n = norm(6, 7);
    const unfolded = applyNorm((reference.depthwiseConv2d(x, filter) as HostTensor).data, n);
    const folded = foldBatchNorm('dw', filter, undefined, 6, n);
    const y = reference.depthwiseConv2d(x, folded.filter, { bias: folded.bias }) as HostTensor;
    y.data.forEach((v, i) => expect(v).toBeCloseTo(unfolded[i]!, 5));
  });

  it('names the layer when a vector has the wrong length', () => {
    expect(() => foldBatchNorm('conv_pw_1_bn', randomUniform([4, 8], 1), undefined, 8, { ...norm(8, 1), gamma: new Float32Array(7) })).toThrow(
      /conv_pw_1_bn: gamma must have 8 values/,
    );
  });
});
