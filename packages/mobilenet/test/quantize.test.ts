// quantizeModel, the int8 runtime and sepconv's model files on small random-weight MobileNets
// (the real-weight accuracy is e2e-quantize-*.test.ts).
import { createCpuBackend } from '@sepconv/cpu';
import { HostTensor, randomUniform, UnsupportedError, ValueError } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { concatLayer, conv2dLayer, denseLayer, modelSpec, padLayer, pointwiseConv2dLayer, poolLayer } from '@sepconv/graph';
import { describe, expect, it, vi } from 'vitest';
import { loadModel } from '../src/load/load-model.js';
import { loadSepconvModel, saveModel } from '../src/load/sepconv-model-file.js';
import { biasSaturationError } from '../src/quantize/bias-saturation.js';
import { foldModel } from '../src/quantize/fold-model.js';
import { quantizeModel } from '../src/quantize/quantize-model.js';
import { isQuantizedSpec, type QuantizedModel } from '../src/quantize/quantized-model-spec.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { mobilenetV1, mobilenetV2, mobilenetV3 } from '../src/spec/index.js';
import { randomWeights } from '../src/weights/random-weights.js';

const backend = createReferenceBackend();
const v1 = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 });
const v1Weights = randomWeights(v1, 3);
// Inputs in [-1, 1], as Keras MobileNets take them: four calibration batches, one held-out batch.
const calibration = [1, 2, 3, 4].map((seed) => randomUniform([2, 32, 32, 3], seed));
const heldOut = randomUniform([3, 32, 32, 3], 99);

async function run(
  spec: Parameters<typeof instantiate>[0],
  weights: NonNullable<Parameters<typeof instantiate>[2]>['weights'],
  x: HostTensor,
): Promise<Float32Array> {
  const model = await instantiate(spec, backend, { weights });
  return onlyOutput(await model.predictAsync(x)).data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i]!)), 0);
}

let v1Quantized: Promise<QuantizedModel> | undefined;
const quantizedV1 = () => (v1Quantized ??= quantizeModel(v1, v1Weights, { calibration }));

describe('foldModel', () => {
  it('folds every batch norm and ReLU6 into its convolution, and computes what the original does', async () => {
    const folded = foldModel(v1, v1Weights);
    expect(v1.layers.some((l) => l.type === 'batchNorm')).toBe(true);
    expect(folded.spec.layers.filter((l) => l.type === 'batchNorm' || l.type === 'activation').map((l) => l.name)).toEqual(['predictions']);
    const conv1 = folded.spec.layers.find((l) => l.name === 'conv1');
    expect(conv1).toMatchObject({ type: 'conv2d', useBias: true, activation: 'relu6' });
    expect(folded.weights.get('conv1/bias')?.shape).toEqual([8]);
    expect(folded.weights.has('conv1_bn/gamma')).toBe(false);
    expect(maxAbsDiff(await run(folded.spec, folded.weights, heldOut), await run(v1, v1Weights, heldOut))).toBeLessThan(1e-5);
  });
});

describe('quantizeModel', () => {
  it('gives int8 kernels, int32 biases and every tensor’s parameters; the softmax alone stays float', async () => {
    const { spec, weights } = await quantizedV1();
    expect(isQuantizedSpec(spec)).toBe(true);
    expect(spec.quantization.floatLayers).toEqual({ predictions: 'softmax runs in float on the dequantized logits' });
    const kernel = weights.get('conv_dw_1/depthwise_kernel');
    expect(kernel).toMatchObject({ dtype: 'int8', shape: [3, 3, 8, 1] });
    expect(kernel && 'scales' in kernel && kernel.scales.length).toBe(8);
    expect(weights.get('conv_dw_1/bias')).toMatchObject({ dtype: 'int32', shape: [8] });
    for (const name of [v1.inputs[0]!.name, ...spec.layers.map((l) => l.name)]) {
      expect(spec.quantization.activations[name], name).toMatchObject({ scale: expect.any(Number), zeroPoint: expect.any(Number) });
    }
    // A ReLU6 output's range starts at 0: its zero point is -128.
    expect(spec.quantization.activations.conv_pw_1!.zeroPoint).toBe(-128);
  });

  it('runs in int8 close to the float model on inputs it was not calibrated on', async () => {
    const { spec, weights } = await quantizedV1();
    const int8 = await run(spec, weights, heldOut);
    const float = await run(v1, v1Weights, heldOut);
    expect(int8.length).toBe(30);
    expect(maxAbsDiff(int8, float)).toBeLessThan(0.05);
  });

  it('bias correction removes the mean error int8 kernels cause: closer to float than min/max alone', async () => {
    const corrected = await run((await quantizedV1()).spec, (await quantizedV1()).weights, heldOut);
    const plain = await quantizeModel(v1, v1Weights, { calibration, biasCorrection: false });
    const uncorrected = await run(plain.spec, plain.weights, heldOut);
    const float = await run(v1, v1Weights, heldOut);
    const meanAbs = (y: Float32Array) => y.reduce((sum, v, i) => sum + Math.abs(v - float[i]!), 0) / y.length;
    expect(meanAbs(corrected)).toBeLessThan(meanAbs(uncorrected));
    // Without correction the biases are the folded float ones, quantized.
    expect(plain.weights.get('conv1/bias')).not.toEqual((await quantizedV1()).weights.get('conv1/bias'));
  });

  it('runs MobileNetV3 in int8 but for the softmax: hard-swish and hard-sigmoid by table, the SE multiply and the input rescaling as int8 MUL/ADD', async () => {
    const spec = mobilenetV3({ variant: 'small', alpha: 0.75, minimalistic: false, resolution: 32, classes: 4 });
    const weights = randomWeights(spec, 5);
    const images = (seed: number, batch: number) => randomUniform([batch, 32, 32, 3], seed, 0, 255);
    const quantized = await quantizeModel(spec, weights, { calibration: [7, 8, 9, 10].map((seed) => images(seed, 2)) });
    expect(Object.values(quantized.spec.quantization.floatLayers)).toEqual(['softmax runs in float on the dequantized logits']);
    const held = images(11, 6);
    const y = await run(quantized.spec, quantized.weights, held);
    const float = await run(spec, weights, held);
    // Random weights give nearly uniform probabilities (0.22–0.28): measured 0.0008 apart.
    expect(maxAbsDiff(y, float)).toBeLessThan(0.005);
  });

  it('runs quantizedMul and quantizedLookup steps on the host when the backend lacks them: the same values', async () => {
    const spec = mobilenetV3({ variant: 'small', alpha: 0.75, minimalistic: false, resolution: 32, classes: 4 });
    const weights = randomWeights(spec, 5);
    const quantized = await quantizeModel(spec, weights, { calibration: [randomUniform([1, 32, 32, 3], 7, 0, 255)] });
    const cpu = await createCpuBackend({ threads: 1 });
    const without = Object.create(cpu, { quantizedMul: { value: undefined }, quantizedLookup: { value: undefined } }) as typeof cpu;
    const x = randomUniform([2, 32, 32, 3], 8, 0, 255);
    const predict = async (b: typeof cpu) =>
      onlyOutput(await (await instantiate(quantized.spec, b, { weights: quantized.weights })).predictAsync(x)).data;
    const expected = await run(quantized.spec, quantized.weights, x);
    expect(await predict(without)).toEqual(expected);
    expect(await predict(cpu)).toEqual(expected);
    cpu.dispose();
  });

  it('keeps a layer in float when asked (keepFloat), and runs MobileNetV2’s residual adds in int8', async () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 3 });
    const weights = randomWeights(spec, 2);
    const quantized = await quantizeModel(spec, weights, { calibration: calibration.slice(0, 2), keepFloat: ['Conv1'] });
    expect(quantized.spec.quantization.floatLayers.Conv1).toBe('kept in float by options.keepFloat');
    expect(quantized.weights.get('Conv1/kernel')).toMatchObject({ dtype: 'float32' });
    expect(Object.keys(quantized.spec.quantization.floatLayers).filter((name) => name.includes('add'))).toEqual([]);
    const float = await run(spec, weights, heldOut);
    expect(maxAbsDiff(await run(quantized.spec, quantized.weights, heldOut), float)).toBeLessThan(0.1);
  });

  it('runs pad, max and padded average pooling, concat and global max pooling in int8 too', async () => {
    const conv = conv2dLayer({
      name: 'c1',
      inputShape: [1, 16, 16, 3],
      kernelSize: 3,
      outChannels: 8,
      padding: 'same',
      useBias: true,
      activation: 'relu',
    });
    const pad = padLayer({ name: 'p', inputShape: conv.outputShape, padding: { top: 1, bottom: 1, left: 1, right: 1 } });
    const maxPool = poolLayer({ name: 'mp', inputShape: pad.outputShape, mode: 'max', poolSize: 3, strides: 2 });
    const branch = pointwiseConv2dLayer({ name: 'a', inputShape: maxPool.outputShape, outChannels: 6, useBias: true, activation: 'relu6' });
    const avgPool = poolLayer({ name: 'ap', inputs: ['mp'], inputShape: maxPool.outputShape, mode: 'avg', poolSize: 3, strides: 1, padding: 'same' });
    const cat = concatLayer({ name: 'cat', inputs: ['a', 'ap'], inputShapes: [branch.outputShape, avgPool.outputShape] });
    const globalMax = poolLayer({ name: 'gmp', inputShape: cat.outputShape, mode: 'max', global: true });
    const dense = denseLayer({ name: 'd', inputShape: globalMax.outputShape, units: 4, useBias: true, activation: 'softmax' });
    const spec = modelSpec({ name: 'pools', inputShape: [1, 16, 16, 3], layers: [conv, pad, maxPool, branch, avgPool, cat, globalMax, dense] });
    const weights = randomWeights(spec, 4);
    const calibrationData = [1, 2, 3].map((seed) => randomUniform([2, 16, 16, 3], seed));
    const quantized = await quantizeModel(spec, weights, { calibration: calibrationData });
    expect(quantized.spec.quantization.floatLayers).toEqual({ d: 'softmax runs in float on the dequantized logits' });
    // Padding and pooling keep their input's parameters (no rescaling in int8, as TensorFlow Lite).
    const { activations } = quantized.spec.quantization;
    expect([activations.p, activations.mp, activations.ap]).toEqual([activations.c1, activations.c1, activations.c1]);
    const x = randomUniform([2, 16, 16, 3], 50);
    expect(maxAbsDiff(await run(quantized.spec, quantized.weights, x), await run(spec, weights, x))).toBeLessThan(0.03);
  });

  it('refuses bad options with a typed error naming the option', async () => {
    await expect(quantizeModel(v1, v1Weights, {} as never)).rejects.toThrow(/quantizeModel: .*options\.calibration is required/);
    await expect(quantizeModel(v1, v1Weights, { calibration: [] })).rejects.toThrow(ValueError);
    await expect(quantizeModel(v1, v1Weights, { calibration: 42 as never })).rejects.toThrow(/options\.calibration must be a tensor, or an iterable/);
    await expect(quantizeModel(v1, v1Weights, { calibration, range: 'percentile' as never })).rejects.toThrow(/options\.range must be/);
    await expect(quantizeModel(v1, v1Weights, { calibration, keepFloat: ['nope'] })).rejects.toThrow(/options\.keepFloat names 'nope'/);
    const nan = randomUniform([1, 32, 32, 3], 1);
    nan.data[5] = NaN;
    await expect(quantizeModel(v1, v1Weights, { calibration: nan })).rejects.toThrow(/is NaN on the calibration data/);
  });

  it('refuses a bias that int32 cannot hold at its scale, naming the layer, the channel, the values and the fixes', async () => {
    const conv = conv2dLayer({ name: 'c1', inputShape: [1, 8, 8, 3], kernelSize: 3, outChannels: 4, padding: 'same', useBias: true });
    const head = pointwiseConv2dLayer({ name: 'pw', inputShape: conv.outputShape, outChannels: 2, useBias: true });
    const spec = modelSpec({ name: 'dead-channel', inputShape: [1, 8, 8, 3], layers: [conv, head] });
    const weights = randomWeights(spec, 6);
    // Output channel 2's weights all near zero beside a bias of 1: weight scale ~1e-11, bias / scale ~1e13.
    const kernel = weights.get('c1/kernel')!;
    for (let i = 2; i < kernel.size; i += 4) kernel.data[i] = 1e-9 * Math.sign(kernel.data[i]! || 1);
    weights.get('c1/bias')!.data.set([0.5, -0.5, 1, 0.25]);
    const calibrationData = [randomUniform([2, 8, 8, 3], 1)];
    const refusal = quantizeModel(spec, weights, { calibration: calibrationData, biasCorrection: false });
    await expect(refusal).rejects.toThrow(ValueError);
    await expect(refusal).rejects.toThrow(
      /^quantizeModel: a bias does not fit int32 .*: layer 'c1' channel 2: bias 1 \/ \(input scale 0\.00781 · weight scale 7\.874e-12\) = 1\.626e\+13\. .*set them to exactly 0.*keepFloat: \["c1"\]$/,
    );
    await expect(refusal).rejects.toMatchObject({ op: 'quantizeModel', argument: 'weights' });
    // The fixes it names: keep the layer in float, or zero the channel's weights (weight scale 1).
    const kept = await quantizeModel(spec, weights, { calibration: calibrationData, keepFloat: ['c1'] });
    expect(kept.spec.quantization.floatLayers.c1).toBe('kept in float by options.keepFloat');
    for (let i = 2; i < kernel.size; i += 4) kernel.data[i] = 0;
    const zeroed = await quantizeModel(spec, weights, { calibration: calibrationData });
    expect(zeroed.weights.get('c1/bias')).toMatchObject({ dtype: 'int32' });
  });

  it('lists at most 8 saturated channels one by one, then counts the rest, and each layer once in keepFloat', () => {
    const saturated = Array.from({ length: 10 }, (_, i) => ({
      layer: i < 9 ? 'a' : 'b',
      channel: i,
      bias: 1,
      inputScale: 0.01,
      weightScale: 1e-12,
      quotient: 1e14,
    }));
    const error = biasSaturationError('quantizeModel', saturated);
    expect(error.message.match(/layer '.' channel \d+:/g)).toHaveLength(8);
    expect(error.message).toMatch(/channel 7: .*; and 2 more\. /);
    expect(error.message).toMatch(/keepFloat: \["a","b"\]$/);
  });

  it('takes what loadModel returns, and refuses a model that is already quantized', async () => {
    const quantized = await quantizedV1();
    await expect(quantizeModel(quantized.spec, quantized.weights, { calibration })).rejects.toThrow(
      /quantizeModel: the model is already quantized \(.*\): quantizeModel takes a float model/,
    );
    await expect(quantizeModel(v1, quantized.weights, { calibration })).rejects.toThrow(/weight '.*' is int(8|32)/);
  });

  it('a percentile range clips outliers: narrower ranges than min/max, still close to float', async () => {
    const percentile = await quantizeModel(v1, v1Weights, { calibration, range: { percentile: 99 } });
    const minmax = (await quantizedV1()).spec.quantization.activations;
    const narrower = Object.entries(percentile.spec.quantization.activations).filter(([name, params]) => params.scale < minmax[name]!.scale);
    expect(narrower.length).toBeGreaterThan(20);
    const float = await run(v1, v1Weights, heldOut);
    expect(maxAbsDiff(await run(percentile.spec, percentile.weights, heldOut), float)).toBeLessThan(0.1);
    await expect(quantizeModel(v1, v1Weights, { calibration, range: { percentile: 40 } })).rejects.toThrow(
      /options\.range must be 'minmax', 'averageMinMax' or \{ percentile \} with a percentile in \(50, 100\], got/,
    );
  });

  it('calibrates on an async iterable of images', async () => {
    async function* images() {
      for (const seed of [1, 2]) {
        const pixels = randomUniform([40 * 30 * 4], seed, 0, 255);
        yield { data: Uint8ClampedArray.from(pixels.data), width: 40, height: 30 };
      }
    }
    const quantized = await quantizeModel(v1, v1Weights, { calibration: images() });
    // [-1, 1] by default (imageToTensor's range): the input's range is about that.
    expect(quantized.spec.quantization.activations[v1.inputs[0]!.name]!.scale).toBeCloseTo(2 / 255, 2);
  });
});

describe('the int8 runtime', () => {
  it('refuses a quantized spec without its weights, and a spec whose float layers are not listed', async () => {
    const { spec, weights } = await quantizedV1();
    await expect(instantiate(spec, backend)).rejects.toThrow(/a quantized spec needs its weights/);
    const floatKernel = new Map(weights).set('conv1/kernel', new HostTensor(new Float32Array(3 * 3 * 3 * 8), [3, 3, 3, 8]));
    await expect(instantiate(spec, backend, { weights: floatKernel })).rejects.toThrow(
      /weight 'conv1\/bias' is int32, but its layer has no int8 kernel/,
    );
    const floatBias = new Map(weights).set('conv1/bias', new HostTensor(new Float32Array(8), [8]));
    await expect(instantiate(spec, backend, { weights: floatBias })).rejects.toThrow(/layer 'conv1' runs in int8, so its bias must be int32/);
    const unlisted = { ...spec, quantization: { ...spec.quantization, floatLayers: {} } };
    await expect(instantiate(unlisted, backend, { weights })).rejects.toThrow(/layer 'predictions' cannot run in int8 \(softmax/);
  });

  it('names every int8 capability a backend lacks, at instantiate', async () => {
    const { spec, weights } = await quantizedV1();
    const lacking = Object.create(backend, {
      quantizedDepthwiseConv2d: { value: undefined },
      quantize: { value: undefined },
      name: { value: 'lacking' },
    });
    await expect(instantiate(spec, lacking, { weights })).rejects.toThrow(
      new UnsupportedError(
        'instantiate',
        'backend',
        "a quantized model needs the int8 capabilities 'quantize', 'quantizedDepthwiseConv2d', which backend 'lacking' lacks",
      ),
    );
  });

  it('takes a batch of any size and checks the input shape', async () => {
    const { spec, weights } = await quantizedV1();
    const model = await instantiate(spec, backend, { weights });
    const one = onlyOutput(model.predict(randomUniform([1, 32, 32, 3], 5)));
    expect(one.shape).toEqual([1, 10]);
    expect(() => model.predict(randomUniform([1, 31, 32, 3], 5))).toThrow(/predict: x must be \[batch, 32, 32, 3\]/);
  });
});

describe('the int8 runtime on the CPU backend', () => {
  it('returns the same bits as on the reference backend (int8 kernels bit-exact, float tail on the host)', async () => {
    const { spec, weights } = await quantizedV1();
    const cpu = await createCpuBackend({ threads: 2 });
    try {
      const fused = vi.spyOn(cpu, 'quantizedSeparableConv2d');
      const model = await instantiate(spec, cpu, { weights });
      const y = onlyOutput(await model.predictAsync(heldOut));
      // MobileNetV1's 13 depthwise separable blocks.
      expect(fused).toHaveBeenCalledTimes(13);
      expect(y.data).toEqual(await run(spec, weights, heldOut));
      // Depthwise→pointwise pairs ran as the fused int8 kernel; unfused, the same bits.
      const unfused = await instantiate(spec, cpu, { weights, fuseSeparable: false });
      expect(onlyOutput(await unfused.predictAsync(heldOut)).data).toEqual(y.data);
      // Its int8 values live in the CPU backend's memory: a synchronous predict cannot read them.
      expect(() => model.predict(heldOut)).toThrow(/int8 values are on 'cpu': use predictAsync/);
      model.dispose();
    } finally {
      cpu.dispose();
    }
  });
});

describe('sepconv model files (saveModel, loadModel)', () => {
  it('round-trip a quantized model: the same spec and weights, bit-identical outputs', async () => {
    const quantized = await quantizedV1();
    const { modelJson, weightData } = saveModel(quantized);
    expect(modelJson.format).toBe('sepconv-model');
    const loaded = await loadModel({ modelJson: JSON.stringify(modelJson), weights: weightData });
    expect(loaded.format).toBe('sepconv-model');
    expect(loaded.spec).toEqual(quantized.spec);
    expect([...loaded.weights.keys()]).toEqual([...quantized.weights.keys()]);
    expect(await run(loaded.spec, loaded.weights, heldOut)).toEqual(await run(quantized.spec, quantized.weights, heldOut));
  });

  it('round-trip a float model too', async () => {
    const folded = foldModel(v1, v1Weights);
    const { modelJson, weightData } = saveModel(folded);
    const loaded = loadSepconvModel(modelJson, weightData);
    expect(loaded.spec).toEqual(folded.spec);
    expect(await run(loaded.spec, loaded.weights, heldOut)).toEqual(await run(folded.spec, folded.weights, heldOut));
  });

  it('refuse malformed files with errors naming the part at fault', async () => {
    const { modelJson, weightData } = saveModel(await quantizedV1());
    expect(() => loadSepconvModel({ ...modelJson, formatVersion: 2 }, weightData)).toThrow(/modelJson\.formatVersion must be 1, got 2/);
    expect(() => loadSepconvModel(modelJson, weightData.subarray(0, 100))).toThrow(/weight 'conv1\/kernel' \[3, 3, 3, 8\] needs bytes/);
    expect(() => loadSepconvModel(modelJson, new Uint8Array([...weightData, 0]))).toThrow(/1 bytes the manifest does not describe/);
    const badParams = JSON.parse(JSON.stringify(modelJson));
    badParams.spec.quantization.activations.conv1.zeroPoint = 300;
    expect(() => loadSepconvModel(badParams, weightData)).toThrow(/activations\['conv1'\]\.zeroPoint must be an integer in \[-128, 127\]/);
    const badDtype = JSON.parse(JSON.stringify(modelJson));
    badDtype.weightsManifest[0].weights[0].dtype = 'uint4';
    expect(() => loadSepconvModel(badDtype, weightData)).toThrow(/dtype \(weight 'conv1\/kernel'\) must be one of 'float32', 'int8', 'int32'/);
    await expect(loadModel({ modelJson, weights: weightData }, { batch: 2 })).rejects.toThrow(UnsupportedError);
  });
});
