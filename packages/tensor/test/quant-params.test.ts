// Quantization parameters: choosing them, quantizing and dequantizing, per-channel weights, biases, clamps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activationRange,
  addRequantization,
  chooseQuantParams,
  convRequantization,
  DTypeError,
  dequantize,
  dequantizeValues,
  HostQuantizedTensor,
  isHostQuantizedTensor,
  pool2dRequantization,
  quantize,
  quantizeBias,
  quantizeValues,
  ShapeError,
  symmetricPerChannel,
  tensor,
  UnsupportedError,
  ValueError,
} from '../src/index.js';

describe('chooseQuantParams', () => {
  it('nudges the zero point to an integer so real 0 is exact, as TensorFlow Lite', () => {
    expect(chooseQuantParams(-1, 1)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: -1 }); // -0.5 rounds away from zero
    expect(chooseQuantParams(0, 6)).toEqual({ scale: Math.fround(6 / 255), zeroPoint: -128 });
    expect(chooseQuantParams(-6, 0)).toEqual({ scale: Math.fround(6 / 255), zeroPoint: 127 });
    expect(chooseQuantParams(-2.55, 0.0)).toEqual({ scale: Math.fround(0.01), zeroPoint: 127 });
  });

  it('widens a range that excludes 0 to contain it (zero padding must be exact)', () => {
    expect(chooseQuantParams(2, 5)).toEqual(chooseQuantParams(0, 5));
    expect(chooseQuantParams(-5, -2)).toEqual(chooseQuantParams(-5, 0));
  });

  it('gives scale 1 and zero point 0 for the empty range [0, 0] (TensorFlow Lite gives scale 0)', () => {
    expect(chooseQuantParams(0, 0)).toEqual({ scale: 1, zeroPoint: 0 });
  });

  it('keeps min and max within one quantum of representable for any range', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 0, noNaN: true }), fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (min, max) => {
        const params = chooseQuantParams(min, max);
        const [low, high] = dequantizeValues(quantizeValues(Float32Array.of(min, max), params), params);
        return Number.isInteger(params.zeroPoint) && Math.abs(low! - min) <= params.scale * 1.01 && Math.abs(high! - max) <= params.scale * 1.01;
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses non-finite bounds and min > max with a ValueError naming the bound', () => {
    expect(() => chooseQuantParams(Number.NaN, 1)).toThrow(/chooseQuantParams: min must be a finite number, got NaN/);
    expect(() => chooseQuantParams(0, Infinity)).toThrow(ValueError);
    expect(() => chooseQuantParams(2, 1)).toThrow(/chooseQuantParams: max must be >= min \(2\), got 1/);
  });
});

describe('quantize and dequantize', () => {
  const params = { scale: 0.5, zeroPoint: 10 };

  it('rounds x / scale with ties away from zero, adds the zero point and saturates', () => {
    const values = Float32Array.of(0, 0.25, -0.25, 0.75, 1, 1000, -1000, Infinity, -Infinity, -69, 58.5);
    expect([...quantizeValues(values, params)]).toEqual([10, 11, 9, 12, 12, 127, -128, 127, -128, -128, 127]);
  });

  it('dequantizes as scale · (q − zeroPoint) and round-trips within half a quantum inside the range', () => {
    expect([...dequantizeValues(Int8Array.of(10, 11, -128, 127), params)]).toEqual([0, 0.5, -69, 58.5]);
    const x = tensor([-3.3, 0, 1.26, 50], [2, 2]);
    const q = quantize(x, params);
    expect(q).toBeInstanceOf(HostQuantizedTensor);
    expect(isHostQuantizedTensor(q)).toBe(true);
    expect(q.shape).toEqual([2, 2]);
    expect(q.quantization).toEqual(params);
    const back = dequantize(q);
    back.data.forEach((v, i) => expect(Math.abs(v - x.data[i]!)).toBeLessThanOrEqual(0.25));
  });

  it('refuses NaN (it has no int8 value) with the index, and bad parameters', () => {
    expect(() => quantizeValues(Float32Array.of(1, Number.NaN), params)).toThrow(
      /quantize: x must not hold NaN \(it has no int8 value\), got NaN at index 1/,
    );
    expect(() => quantizeValues(Float32Array.of(1), { scale: 0, zeroPoint: 0 })).toThrow(/params.scale must be a finite number > 0, got 0/);
    expect(() => quantizeValues(Float32Array.of(1), { scale: 1, zeroPoint: 128 })).toThrow(
      /params.zeroPoint must be an integer in \[-128, 127\], got 128/,
    );
    expect(() => quantizeValues(Float32Array.of(1), { scale: 1, zeroPoint: 0.5 })).toThrow(ValueError);
  });

  it('HostQuantizedTensor checks its data type, length and parameters', () => {
    expect(() => new HostQuantizedTensor(new Uint8Array(4) as unknown as Int8Array, [4], params)).toThrow(
      /HostQuantizedTensor: data must be an Int8Array, got Uint8Array/,
    );
    expect(() => new HostQuantizedTensor(null as unknown as Int8Array, [4], params)).toThrow(DTypeError);
    expect(() => new HostQuantizedTensor(new Int8Array(3), [2, 2], params)).toThrow(ShapeError);
    expect(() => new HostQuantizedTensor(new Int8Array(4), [2, 2], { scale: -1, zeroPoint: 0 })).toThrow(ValueError);
  });
});

describe('symmetricPerChannel', () => {
  it('scales each channel of the last axis by max|w| / 127, ties away from zero, zero point 0', () => {
    // [2, 2]: channel 0 holds 127 and -63.5 (scale 1), channel 1 holds 3 and -254 (scale 2).
    const result = symmetricPerChannel(tensor([127, 3, -63.5, -254], [2, 2]));
    expect([...result.scales]).toEqual([1, 2]);
    expect([...result.data]).toEqual([127, 2, -64, -127]);
    expect(result.axis).toBe(1);
  });

  it('takes any axis (OIHW filters quantize along axis 0) and gives a zero channel scale 1', () => {
    const result = symmetricPerChannel(tensor([0, 0, 0, 0, 12.7, -1.27], [3, 2]), 0);
    expect([...result.scales]).toEqual([1, 1, Math.fround(0.1)]);
    expect([...result.data]).toEqual([0, 0, 0, 0, 127, -13]);
  });

  it('quantizes a depthwise [KH, KW, C, M] filter per output channel c·M + m when viewed as [KH, KW, C·M]', () => {
    const values = [1, 100, -2, 50, 0.5, -100, 2, 25]; // [1, 2, 2, 2]: C = 2, M = 2
    const result = symmetricPerChannel(tensor(values, [1, 2, 4]));
    expect([...result.scales]).toEqual([1, 100, 2, 50].map((m) => Math.fround(m / 127)));
    result.data.forEach((q) => expect(Math.abs(q)).toBeLessThanOrEqual(127));
    expect([...result.data]).toEqual([127, 127, -127, 127, 64, -127, 127, 64]);
  });

  it('refuses an axis out of range and non-finite weights', () => {
    expect(() => symmetricPerChannel(tensor([1, 2], [2]), 1)).toThrow(/symmetricPerChannel: axis must be an integer in \[-1, 0\], got 1/);
    expect(() => symmetricPerChannel(tensor([1, Infinity], [2]))).toThrow(/weights must be finite, got Infinity at index 1/);
  });
});

describe('quantizeBias', () => {
  it('divides by inputScale · weightScale[c], rounds ties away from zero and saturates to int32', () => {
    expect([...quantizeBias(Float32Array.of(1, -1, 0.0625, -0.0625), 0.5, [0.25, 0.5, 0.25, 0.25])]).toEqual([8, -4, 1, -1]);
    expect([...quantizeBias(Float32Array.of(1e30, -1e30), 1, [1, 1])]).toEqual([2 ** 31 - 1, -(2 ** 31)]);
  });

  it('tells onSaturated of each channel that did not fit int32, with its unrounded quotient, and of no other', () => {
    const saturated: [number, number][] = [];
    const onSaturated = (channel: number, quotient: number) => saturated.push([channel, quotient]);
    // Channel 1: 3 / (0.5 · 1e-9) = 6e9; channel 2: 2^31 − 128 (the float32 below 2^31) still fits; channel 3: −2^31 − 256 is past the bottom.
    const q = quantizeBias(Float32Array.of(1, 3, 2 ** 31 - 128, -(2 ** 31) - 256), 0.5, [0.25, 1e-9, 2, 2], onSaturated);
    expect([...q]).toEqual([8, 2 ** 31 - 1, 2 ** 31 - 128, -(2 ** 31)]);
    expect(saturated.map(([channel]) => channel)).toEqual([1, 3]);
    expect(saturated[0]![1]).toBeCloseTo(6e9, -3);
    expect(saturated[1]![1]).toBe(-(2 ** 31) - 256);
  });

  it('refuses a scale count that differs from the bias length', () => {
    expect(() => quantizeBias(Float32Array.of(1, 2), 1, [1])).toThrow(/quantizeBias: weightScales must have one scale per bias element \(2\), got 1/);
  });
});

describe('activation clamps and requantization parameters', () => {
  it('turns ReLU and ReLU6 into clamp bounds at the quantized 0 and 6', () => {
    const output = { scale: 0.05, zeroPoint: -10 };
    expect(activationRange('conv2d', 'linear', output)).toEqual({ activationMin: -128, activationMax: 127 });
    expect(activationRange('conv2d', 'relu', output)).toEqual({ activationMin: -10, activationMax: 127 });
    expect(activationRange('conv2d', 'relu6', output)).toEqual({ activationMin: -10, activationMax: 110 });
    // Zero points at the extremes: ReLU's floor is the zero point, and clamps stay inside int8.
    expect(activationRange('conv2d', 'relu', { scale: 0.05, zeroPoint: 127 })).toEqual({ activationMin: 127, activationMax: 127 });
    expect(activationRange('conv2d', 'relu6', { scale: 0.01, zeroPoint: -128 })).toEqual({ activationMin: -128, activationMax: 127 });
    expect(() => activationRange('conv2d', 'hardSwish', output)).toThrow(UnsupportedError);
  });

  it('computes one multiplier and shift per output channel from inputScale · weightScale / outputScale', () => {
    const r = convRequantization(
      { outChannels: 3, activation: 'relu' },
      { input: { scale: 0.5, zeroPoint: 3 }, weightScales: [1, 0.25, 3], output: { scale: 0.25, zeroPoint: -5 } },
    );
    // Real multipliers 2, 0.5 and 6.
    expect([...r.multipliers]).toEqual([2 ** 30, 2 ** 30, 0.75 * 2 ** 31]);
    expect([...r.shifts]).toEqual([2, 0, 3]);
    expect(r).toMatchObject({ inputZeroPoint: 3, outputZeroPoint: -5, activationMin: -5, activationMax: 127 });
  });

  it('refuses a weight scale count other than outChannels and a non-positive weight scale', () => {
    const quantization = { input: { scale: 1, zeroPoint: 0 }, weightScales: [1], output: { scale: 1, zeroPoint: 0 } };
    expect(() => convRequantization({ outChannels: 2, activation: 'linear' }, quantization)).toThrow(/weightScales must hold outChannels=2 scales/);
    expect(() => convRequantization({ outChannels: 1, activation: 'linear' }, { ...quantization, weightScales: [0] })).toThrow(
      /weightScales\[0\] must be a finite number > 0, got 0/,
    );
  });

  it('gives add TensorFlow Lite parameters: left shift 20, input multipliers a / 2max, b / 2max, output 2max / (2^20 · out)', () => {
    const r = addRequantization({ scale: 1, zeroPoint: 0 }, { scale: 0.5, zeroPoint: 1 }, { scale: 1, zeroPoint: 0 });
    expect(r).toMatchObject({
      leftShift: 20,
      aMultiplier: 2 ** 30,
      aShift: 0,
      bMultiplier: 2 ** 30,
      bShift: -1,
      outputMultiplier: 2 ** 30,
      outputShift: -18,
    });
    expect(() => addRequantization({ scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, { scale: 2 ** -20, zeroPoint: 0 })).toThrow(
      /addRequantization: output gives a requantization multiplier 2 >= 1/,
    );
  });

  it('refuses average pooling whose output parameters differ from the input (TensorFlow Lite requires them equal)', () => {
    expect(() => pool2dRequantization({ scale: 1, zeroPoint: 0 }, { scale: 0.5, zeroPoint: 0 })).toThrow(UnsupportedError);
    expect(pool2dRequantization({ scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, 'relu')).toEqual({ activationMin: 0, activationMax: 127 });
  });
});
