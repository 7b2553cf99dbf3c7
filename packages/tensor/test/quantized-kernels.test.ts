// The reference int8 kernels: hand-computed cases, saturation, and agreement with a float
// simulation (the float reference kernel run on the dequantized int8 inputs, weights and bias,
// then quantized) to within one output quantum.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRequantization,
  binaryGeometry,
  chooseQuantParams,
  convGeometry,
  convRequantization,
  dequantizeValues,
  globalPool2dGeometry,
  globalPool2dRequantization,
  pool2dGeometry,
  pool2dRequantization,
  quantizeBias,
  quantizeValues,
  Random,
  symmetricPerChannel,
  tensor,
  zeros,
  type ConvActivation,
  type ConvKind,
  type Padding,
  type QuantParams,
} from '../src/index.js';
import {
  referenceAdd,
  referenceConv2d,
  referenceDepthwiseConv2d,
  referenceGlobalPool2d,
  referencePool2d,
  referenceQuantizedAdd,
  referenceQuantizedAvgPool2d,
  referenceQuantizedConv2d,
  referenceQuantizedDepthwiseConv2d,
  referenceQuantizedGlobalAvgPool2d,
  referenceQuantizedPointwiseConv2d,
} from '../src/reference/index.js';

function uniform(random: Random, size: number, low: number, high: number): Float32Array {
  return Float32Array.from({ length: size }, () => random.uniform(low, high));
}

/** Largest |a[i] − b[i]| and the share of equal elements. */
function compare(actual: Int8Array, expected: Int8Array): { maxDiff: number; equalShare: number } {
  let maxDiff = 0;
  let equal = 0;
  actual.forEach((v, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(v - expected[i]!));
    if (v === expected[i]) equal++;
  });
  return { maxDiff, equalShare: equal / actual.length };
}

describe('referenceQuantizedConv2d, hand-computed', () => {
  // x [1, 2, 2, 1] = 1..4 with zero point 1, a 2×2 filter of ones, bias 10: acc = 0+1+2+3 + 10 = 16.
  const g = convGeometry({ kind: 'conv2d', inputShape: [1, 2, 2, 1], kernelHeight: 2, kernelWidth: 2, outChannels: 1, hasBias: true });
  const x = Int8Array.of(1, 2, 3, 4);
  const filter = Int8Array.of(1, 1, 1, 1);
  const requantize = (outputScale: number, outputZeroPoint: number, activation: ConvActivation = 'linear') =>
    convRequantization(
      { outChannels: 1, activation },
      { input: { scale: 1, zeroPoint: 1 }, weightScales: [1], output: { scale: outputScale, zeroPoint: outputZeroPoint } },
    );

  it('subtracts the input zero point, adds the bias, requantizes and adds the output zero point', () => {
    // 16 · 1/2 = 8, plus −5.
    expect([...referenceQuantizedConv2d(x, filter, Int32Array.of(10), g, requantize(2, -5))]).toEqual([3]);
    // 17 / 2 = 8.5: MBQM's high multiply rounds the tie up; −17 / 2 = −8.5 rounds up to −8.
    expect([...referenceQuantizedConv2d(x, filter, Int32Array.of(11), g, requantize(2, 0))]).toEqual([9]);
    expect([...referenceQuantizedConv2d(x, filter, Int32Array.of(-23), g, requantize(2, 0))]).toEqual([-8]);
    // Multiplier 1/4 is 2^30 · 2^-1: two roundings. 17 / 4 = 4.25 gives 5 (8.5 rounds up to 9, then 4.5 away from
    // zero to 5), as TensorFlow Lite's double-rounding MultiplyByQuantizedMultiplier does; −17 / 4 gives −4 (−8.5 → −8 → −4);
    // 18 / 4 = 4.5 → 5 and −18 / 4 = −4.5 → −5 (the right shift rounds ties away from zero).
    expect([11, -23, 12, -24].map((b) => referenceQuantizedConv2d(x, filter, Int32Array.of(b), g, requantize(4, 0))[0])).toEqual([5, -4, 5, -5]);
  });

  it('saturates at -128 and 127 and clamps ReLU at the output zero point', () => {
    expect([...referenceQuantizedConv2d(x, filter, Int32Array.of(10_000), g, requantize(1, 0))]).toEqual([127]);
    expect([...referenceQuantizedConv2d(x, filter, Int32Array.of(-10_000), g, requantize(1, 0))]).toEqual([-128]);
    expect([...referenceQuantizedConv2d(x, filter, Int32Array.of(-100), g, requantize(1, 20, 'relu'))]).toEqual([20]);
    // ReLU6 at scale 0.5, zero point 0: 6 is q = 12.
    expect([...referenceQuantizedConv2d(x, filter, Int32Array.of(0), g, requantize(0.5, 0, 'relu6'))]).toEqual([12]);
  });

  it('treats padding as real 0 (the input zero point), so padded taps add nothing', () => {
    const same = convGeometry({ kind: 'conv2d', inputShape: [1, 1, 1, 1], kernelHeight: 3, kernelWidth: 3, outChannels: 1, padding: 'same' });
    const r = convRequantization(
      { outChannels: 1, activation: 'linear' },
      { input: { scale: 1, zeroPoint: -128 }, weightScales: [1], output: { scale: 1, zeroPoint: 0 } },
    );
    // The one real tap: (−120 − (−128)) · 2 = 16; eight padded taps with weight 100 contribute nothing.
    expect([...referenceQuantizedConv2d(Int8Array.of(-120), Int8Array.of(100, 100, 100, 100, 2, 100, 100, 100, 100), undefined, same, r)]).toEqual([
      16,
    ]);
  });
});

describe('a published per-channel example', () => {
  it("gives Android NNAPI's CTS conv2d_v1_2 channelQuant8 result [7, 7, 7, 7]", () => {
    // Input [1, 3, 3, 1] (scale 0.5, zero point 0), a 2×2 filter of 2s (per-channel scale 0.125),
    // bias 0, output scale 0.125: each window is (3·1 + 0.5) · 0.25 = 0.875, i.e. 7 quanta.
    const g = convGeometry({ kind: 'conv2d', inputShape: [1, 3, 3, 1], kernelHeight: 2, kernelWidth: 2, outChannels: 1, hasBias: true });
    const r = convRequantization(g, { input: { scale: 0.5, zeroPoint: 0 }, weightScales: [0.125], output: { scale: 0.125, zeroPoint: 0 } });
    const x = Int8Array.of(2, 2, 2, 2, 1, 2, 2, 2, 2);
    expect([...referenceQuantizedConv2d(x, Int8Array.of(2, 2, 2, 2), Int32Array.of(0), g, r)]).toEqual([7, 7, 7, 7]);
  });
});

interface ConvCase {
  name: string;
  kind: ConvKind;
  inputShape: [number, number, number, number];
  kernel: number;
  outChannels?: number | undefined;
  channelMultiplier?: number | undefined;
  strides?: number | undefined;
  dilations?: number | undefined;
  padding?: Padding | undefined;
  activation: ConvActivation;
  /** The float input range; [0, 6] gives zero point −128, [−6, 0] gives 127. */
  inputRange: [number, number];
  /** Squeezes the output range to this share of the true one, so many outputs saturate. */
  outputRangeShare?: number;
}

const CONV_CASES: ConvCase[] = [
  {
    name: 'conv2d 3×3 same, ReLU6, zero point −1',
    kind: 'conv2d',
    inputShape: [1, 7, 6, 3],
    kernel: 3,
    outChannels: 4,
    padding: 'same',
    activation: 'relu6',
    inputRange: [-1, 1],
  },
  {
    name: 'conv2d 3×3 stride 2, dilation 2, batch 2',
    kind: 'conv2d',
    inputShape: [2, 9, 8, 5],
    kernel: 3,
    outChannels: 3,
    strides: 2,
    dilations: 2,
    padding: 'same',
    activation: 'linear',
    inputRange: [-3, 2],
  },
  {
    name: 'conv2d saturating output',
    kind: 'conv2d',
    inputShape: [1, 5, 5, 4],
    kernel: 3,
    outChannels: 6,
    padding: 'valid',
    activation: 'linear',
    inputRange: [-1, 1],
    outputRangeShare: 0.3,
  },
  {
    name: 'depthwise 3×3 stride 2, multiplier 2, ReLU, input zero point −128',
    kind: 'depthwiseConv2d',
    inputShape: [1, 9, 9, 3],
    kernel: 3,
    channelMultiplier: 2,
    strides: 2,
    padding: 'same',
    activation: 'relu',
    inputRange: [0, 6],
  },
  {
    name: 'depthwise 5×5 dilation 2, input zero point 127',
    kind: 'depthwiseConv2d',
    inputShape: [2, 11, 10, 4],
    kernel: 5,
    dilations: 2,
    padding: 'same',
    activation: 'relu6',
    inputRange: [-6, 0],
  },
  {
    name: 'pointwise 8 → 5',
    kind: 'pointwiseConv2d',
    inputShape: [1, 4, 3, 8],
    kernel: 1,
    outChannels: 5,
    activation: 'linear',
    inputRange: [-2, 5],
  },
];

const QUANTIZED_KERNELS = {
  conv2d: { int8: referenceQuantizedConv2d, float: referenceConv2d },
  depthwiseConv2d: { int8: referenceQuantizedDepthwiseConv2d, float: referenceDepthwiseConv2d },
  pointwiseConv2d: { int8: referenceQuantizedPointwiseConv2d, float: referenceConv2d },
} satisfies Record<ConvKind, unknown>;

/**
 * Runs one case in int8 and in the float simulation; returns both, quantized to the output parameters,
 * and whether the int32 accumulator can hold the case: a bias quantized at input scale × weight scale
 * grows without bound as a channel's weights shrink (`quantizeBias` saturates it, as TensorFlow Lite's
 * quantizer does), and bias + Σ x·w must stay inside int32 for the integers to mean what the floats do.
 */
function simulateConv(c: ConvCase, seed: number): { actual: Int8Array; expected: Int8Array; fitsInt32: boolean } {
  const random = new Random(seed);
  const g = convGeometry({
    kind: c.kind,
    inputShape: c.inputShape,
    kernelHeight: c.kernel,
    kernelWidth: c.kernel,
    outChannels: c.outChannels,
    channelMultiplier: c.channelMultiplier,
    strides: c.strides,
    dilations: c.dilations,
    padding: c.padding,
    hasBias: true,
    activation: c.activation,
  });
  const input = chooseQuantParams(...c.inputRange);
  const x = quantizeValues(
    uniform(
      random,
      c.inputShape.reduce((a, b) => a * b),
      ...c.inputRange,
    ),
    input,
  );
  // Per-channel weights whose magnitudes differ by orders of magnitude between channels.
  const filterSize = c.kernel * c.kernel * (c.kind === 'depthwiseConv2d' ? g.outChannels : g.inChannels * g.outChannels);
  const floatFilter = Float32Array.from({ length: filterSize }, (_, i) => random.normal() * 10 ** (((i % g.outChannels) % 3) - 1));
  const weights = symmetricPerChannel(tensor(floatFilter, [filterSize / g.outChannels, g.outChannels]));
  const floatBias = uniform(random, g.outChannels, -1, 1);
  const bias = quantizeBias(floatBias, input.scale, weights.scales);

  // The float simulation: the float kernel on exactly the values the integers stand for.
  const xReal = dequantizeValues(x, input);
  const filterReal = Float32Array.from(weights.data, (q, i) => q * weights.scales[i % g.outChannels]!);
  const biasReal = Float64Array.from(bias, (q, o) => q * input.scale * weights.scales[o]!);
  const expectedReal = QUANTIZED_KERNELS[c.kind].float(xReal, filterReal, Float32Array.from(biasReal), g);
  let [low, high] = [Math.min(...expectedReal), Math.max(...expectedReal)];
  if (c.outputRangeShare !== undefined) [low, high] = [low * c.outputRangeShare, high * c.outputRangeShare];
  const output = chooseQuantParams(low, high);

  const r = convRequantization(g, { input, weightScales: weights.scales, output });
  const taps = filterSize / g.outChannels;
  const fitsInt32 = bias.every((q) => Math.abs(q) + 255 * 127 * taps < 2 ** 31 - 1);
  return { actual: QUANTIZED_KERNELS[c.kind].int8(x, weights.data, bias, g, r), expected: quantizeValues(expectedReal, output), fitsInt32 };
}

describe('int8 convolutions agree with a float simulation to one output quantum', () => {
  it.each(CONV_CASES)('$name', (c) => {
    const { actual, expected, fitsInt32 } = simulateConv(
      c,
      c.inputShape.reduce((a, b) => a * 31 + b, c.kernel),
    );
    expect(fitsInt32).toBe(true);
    const { maxDiff, equalShare } = compare(actual, expected);
    expect(maxDiff).toBeLessThanOrEqual(1);
    // Off by one only where the two roundings meet near a tie.
    expect(equalShare).toBeGreaterThan(0.97);
    if (c.outputRangeShare !== undefined) {
      expect(actual.filter((v) => v === 127 || v === -128).length).toBeGreaterThan(actual.length / 10);
    }
  });

  it('on random geometries, activations and input ranges (zero points anywhere in [-128, 127])', () => {
    const convCase = fc.record({
      kind: fc.constantFrom<ConvKind>('conv2d', 'depthwiseConv2d', 'pointwiseConv2d'),
      batch: fc.integer({ min: 1, max: 2 }),
      height: fc.integer({ min: 3, max: 8 }),
      width: fc.integer({ min: 3, max: 8 }),
      channels: fc.integer({ min: 1, max: 6 }),
      outChannels: fc.integer({ min: 1, max: 6 }),
      channelMultiplier: fc.integer({ min: 1, max: 3 }),
      kernel: fc.constantFrom(1, 2, 3),
      strides: fc.constantFrom(1, 2),
      dilations: fc.constantFrom(1, 2),
      padding: fc.constantFrom<Padding>('same', 'valid'),
      activation: fc.constantFrom<ConvActivation>('linear', 'relu', 'relu6'),
      low: fc.double({ min: -8, max: 0, noNaN: true }),
      high: fc.double({ min: 0.01, max: 8, noNaN: true }),
      seed: fc.integer({ min: 1, max: 1e6 }),
    });
    fc.assert(
      fc.property(convCase, (p) => {
        const pointwise = p.kind === 'pointwiseConv2d';
        // 'valid' needs the dilated kernel to fit the input.
        const fits = (p.kernel - 1) * p.dilations + 1 <= Math.min(p.height, p.width);
        const c: ConvCase = {
          name: 'random',
          kind: p.kind,
          inputShape: [p.batch, p.height, p.width, p.channels],
          kernel: pointwise ? 1 : p.kernel,
          outChannels: p.kind === 'depthwiseConv2d' ? undefined : p.outChannels,
          channelMultiplier: p.kind === 'depthwiseConv2d' ? p.channelMultiplier : undefined,
          strides: pointwise ? 1 : p.strides,
          dilations: pointwise ? 1 : p.dilations,
          padding: fits || pointwise ? p.padding : 'same',
          activation: p.activation,
          inputRange: [p.low, p.high],
        };
        const { actual, expected, fitsInt32 } = simulateConv(c, p.seed);
        // Outside int32 the scheme itself cannot represent the layer (a weight channel near 0 beside a bias of order 1).
        fc.pre(fitsInt32);
        return compare(actual, expected).maxDiff <= 1;
      }),
      { numRuns: 150 },
    );
  });
});

describe('multipliers near 0 and near 1', () => {
  const g = convGeometry({ kind: 'pointwiseConv2d', inputShape: [1, 1, 4, 2], kernelHeight: 1, kernelWidth: 1, outChannels: 2, hasBias: true });
  const x = Int8Array.of(127, -128, -128, 127, 5, -7, 0, 0);
  const filter = Int8Array.of(127, -127, 127, 127);
  const bias = Int32Array.of(1000, -1000);

  it('near 1 (output scale = input scale · weight scale), the output is the accumulator plus the zero point, saturated', () => {
    const r = convRequantization(g, { input: { scale: 0.5, zeroPoint: 0 }, weightScales: [0.25, 0.25], output: { scale: 0.125, zeroPoint: -3 } });
    expect([...r.multipliers]).toEqual([2 ** 30, 2 ** 30]);
    expect([...r.shifts]).toEqual([1, 1]);
    // Pixel 2: 5·127 − 7·127 + 1000 = 746 → 127 (saturated); 5·(−127) − 7·127 − 1000 → −128. Pixel 3: 1000 − 3 and −1000 − 3, saturated too.
    expect([...referenceQuantizedPointwiseConv2d(x, filter, bias, g, r)].slice(4)).toEqual([127, -128, 127, -128]);
    const small = referenceQuantizedPointwiseConv2d(x, filter, Int32Array.of(40, -40), g, r);
    expect([...small].slice(6)).toEqual([37, -43]);
  });

  it('near 0 (a multiplier of about 2^-31), every output is the output zero point; below 2^-32 the multiplier is 0', () => {
    const tiny = convRequantization(g, {
      input: { scale: 2 ** -20, zeroPoint: 0 },
      weightScales: [2 ** -11, 2 ** -13],
      output: { scale: 1, zeroPoint: 9 },
    });
    // 2^-20 · 2^-11 = 2^-31 is 2^30 · 2^-30 / 2^31; 2^-33 is below 2^-32 and flushes to 0.
    expect([...tiny.multipliers]).toEqual([2 ** 30, 0]);
    expect([...tiny.shifts]).toEqual([-30, 0]);
    expect([...referenceQuantizedPointwiseConv2d(x, filter, bias, g, tiny)]).toEqual(new Array(8).fill(9));
  });
});

describe('referenceQuantizedAdd', () => {
  it('adds two int8 tensors through the left shift of 20 and per-input multipliers', () => {
    const g = binaryGeometry('add', zeros([4]), zeros([4]));
    const same = { scale: 1, zeroPoint: 0 };
    expect([
      ...referenceQuantizedAdd(Int8Array.of(3, -3, 100, -100), Int8Array.of(4, -4, 100, -100), g, addRequantization(same, same, same)),
    ]).toEqual([7, -7, 127, -128]);
    // b at half a's scale with zero point 1: b = 9 stands for 4; out scale 2: (3 + 4) / 2 = 3.5 → 4, (−3 − 4) / 2 → −4 (ties away from zero).
    const r = addRequantization(same, { scale: 0.5, zeroPoint: 1 }, { scale: 2, zeroPoint: 0 });
    expect([...referenceQuantizedAdd(Int8Array.of(3, -3, 0, 0), Int8Array.of(9, -7, 1, 2), g, r)]).toEqual([4, -4, 0, 0]);
  });

  it('broadcasts like the float add and clamps ReLU6', () => {
    const g = binaryGeometry('add', zeros([1, 2, 2, 3]), zeros([3]), { activation: 'relu6' });
    const params = { scale: 0.1, zeroPoint: 0 };
    const r = addRequantization(params, params, params, 'relu6');
    const a = Int8Array.of(10, 20, 30, -10, -20, -30, 50, 60, 70, 0, 0, 0);
    expect([...referenceQuantizedAdd(a, Int8Array.of(1, 2, 50), g, r)]).toEqual([11, 22, 60, 0, 0, 20, 51, 60, 60, 1, 2, 50]);
  });

  it('agrees with a float simulation to one output quantum, zero points at the extremes', () => {
    const random = new Random(7);
    const cases: [QuantParams, QuantParams][] = [
      [chooseQuantParams(-1, 3), chooseQuantParams(-0.5, 0.5)],
      [chooseQuantParams(0, 6), chooseQuantParams(-6, 0)],
      [chooseQuantParams(-10, 10), chooseQuantParams(0, 0.01)],
    ];
    for (const [aParams, bParams] of cases) {
      const g = binaryGeometry('add', zeros([1, 8, 8, 4]), zeros([1, 8, 8, 4]));
      const a = quantizeValues(uniform(random, g.size, -12, 12), aParams);
      const b = quantizeValues(uniform(random, g.size, -12, 12), bParams);
      const expectedReal = referenceAdd(dequantizeValues(a, aParams), dequantizeValues(b, bParams), g);
      const output = chooseQuantParams(Math.min(...expectedReal), Math.max(...expectedReal));
      const actual = referenceQuantizedAdd(a, b, g, addRequantization(aParams, bParams, output));
      const { maxDiff, equalShare } = compare(actual, quantizeValues(expectedReal, output));
      expect(maxDiff).toBeLessThanOrEqual(1);
      // Off by one only at ties: with equal input scales and an output scale twice theirs, sums land
      // exactly on half quanta, where the integers see the exact tie and float32 sees 82.49999….
      expect(equalShare).toBeGreaterThan(0.9);
    }
  });
});

describe('referenceQuantizedAvgPool2d', () => {
  it('rounds the window average with ties away from zero and excludes padding from the count', () => {
    const g = pool2dGeometry(zeros([1, 2, 2, 2]), { type: 'avg', kernelSize: 2 });
    const r = pool2dRequantization({ scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 });
    // Channel 0: 1 + 2 + 3 + 4 = 10, 10 / 4 = 2.5 → 3; channel 1: −10 / 4 → −3.
    expect([...referenceQuantizedAvgPool2d(Int8Array.of(1, -1, 2, -2, 3, -3, 4, -4), g, r)]).toEqual([3, -3]);
    const same = pool2dGeometry(zeros([1, 2, 2, 1]), { type: 'avg', kernelSize: 3, strides: 1, padding: 'same' });
    // Every window sees all four cells (padding excluded): (1 + 2 + 3 + 5) / 4 = 2.75 → 3.
    expect([...referenceQuantizedAvgPool2d(Int8Array.of(1, 2, 3, 5), same, r)]).toEqual([3, 3, 3, 3]);
    // ReLU clamps at the zero point.
    expect([
      ...referenceQuantizedAvgPool2d(
        Int8Array.of(1, -1, 2, -2, 3, -3, 4, -4),
        g,
        pool2dRequantization({ scale: 1, zeroPoint: -1 }, { scale: 1, zeroPoint: -1 }, 'relu'),
      ),
    ]).toEqual([3, -1]);
  });

  it('agrees with the float average of the dequantized input to one quantum', () => {
    const random = new Random(11);
    const params = chooseQuantParams(-2, 5);
    const g = pool2dGeometry(zeros([2, 7, 7, 3]), { type: 'avg', kernelSize: 3, strides: 2, padding: 'same' });
    const x = quantizeValues(uniform(random, 2 * 7 * 7 * 3, -2, 5), params);
    const expected = quantizeValues(referencePool2d(dequantizeValues(x, params), g), params);
    const { maxDiff } = compare(referenceQuantizedAvgPool2d(x, g, pool2dRequantization(params, params)), expected);
    expect(maxDiff).toBeLessThanOrEqual(1);
  });
});

describe('referenceQuantizedGlobalAvgPool2d', () => {
  it('sums less the input zero point, requantizes, divides with ties away from zero', () => {
    const g = globalPool2dGeometry(zeros([1, 2, 2, 1]), { type: 'avg' });
    const unit = { scale: 1, zeroPoint: 0 };
    expect([...referenceQuantizedGlobalAvgPool2d(Int8Array.of(1, 2, 3, 4), g, globalPool2dRequantization(unit, unit))]).toEqual([3]);
    // Output scale 0.5, zero point −1: the mean 2.5 is 5 quanta, plus −1.
    expect([
      ...referenceQuantizedGlobalAvgPool2d(Int8Array.of(1, 2, 3, 4), g, globalPool2dRequantization(unit, { scale: 0.5, zeroPoint: -1 })),
    ]).toEqual([4]);
    // Input zero point 10 with 1, 2, 3, 4: the mean −7.5 → −8.
    expect([
      ...referenceQuantizedGlobalAvgPool2d(Int8Array.of(1, 2, 3, 4), g, globalPool2dRequantization({ scale: 1, zeroPoint: 10 }, unit)),
    ]).toEqual([-8]);
  });

  it('agrees with the float mean of the dequantized input to one quantum, with a change of scale', () => {
    const random = new Random(13);
    const input = chooseQuantParams(0, 6);
    const g = globalPool2dGeometry(zeros([3, 7, 7, 16]), { type: 'avg' });
    const x = quantizeValues(uniform(random, 3 * 7 * 7 * 16, 0, 6), input);
    const expectedReal = referenceGlobalPool2d(dequantizeValues(x, input), g);
    const output = chooseQuantParams(Math.min(...expectedReal), Math.max(...expectedReal));
    const actual = referenceQuantizedGlobalAvgPool2d(x, g, globalPool2dRequantization(input, output));
    expect(compare(actual, quantizeValues(expectedReal, output)).maxDiff).toBeLessThanOrEqual(1);
  });
});
