import {
  DTypeError,
  HostQuantizedTensor,
  Random,
  ShapeError,
  tensor,
  UnsupportedError,
  ValueError,
  type Backend,
  type QuantParams,
} from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';
import { concatCases } from './concat-cases.js';
import { capabilityOf, describeCapability } from './describe-capability.js';
import { expectInt8MatchesReference, int8Reference, readInt8AndDispose } from './expect-int8.js';
import { ZERO_POINTS } from './int8-conv-cases.js';
import { padCases } from './pad-cases.js';
import { globalPool2dCases, pool2dCases } from './pool-cases.js';
import { int8BinaryCaseTests, int8CaseParams as params } from './int8-binary-cases.js';
import { randomInt8Tensor } from './random-int8-tensor.js';

/** Lengths around SIMD widths (4, 8, 16 lanes), for the element-wise kernels' tails. */
const LENGTHS = [1, 3, 4, 7, 8, 15, 16, 17, 33, 64, 255] as const;

function quantizeTests(getBackend: () => Backend): void {
  const quantize = (b: Backend) => capabilityOf(b, 'quantize');
  LENGTHS.forEach((length, i) => {
    const output = params(i, [0.5, 0.05, 0.0137, 3][i % 4]);
    it(`quantize [${length}] zp${output.zeroPoint} scale ${output.scale}`, async () => {
      const random = new Random(30000 + i);
      const x = tensor(
        Array.from({ length }, () => random.uniform(-200, 200) * output.scale),
        [length],
      );
      await expectInt8MatchesReference(getBackend(), { run: (b) => quantize(b)(x, output), inputs: [x] }, 'quantize');
    });
  });
  it('quantize: ties round away from zero, ±Infinity and huge values saturate, −0 is 0', async () => {
    const x = tensor([0.25, -0.25, 0.75, -0.75, Infinity, -Infinity, 1e30, -1e30, -0, 1e-40, 63.75, -64.25], [12]);
    const y = await readInt8AndDispose(getBackend(), quantize(getBackend())(x, { scale: 0.5, zeroPoint: 0 }));
    expect(Array.from(y.data)).toEqual([1, -1, 2, -2, 127, -128, 127, -128, 0, 0, 127, -128]);
    const shifted = await readInt8AndDispose(getBackend(), quantize(getBackend())(x, { scale: 0.5, zeroPoint: -100 }));
    expect(Array.from(shifted.data)).toEqual([-99, -101, -98, -102, 127, -128, 127, -128, -100, -100, 28, -128]);
  });
  it('quantize: the division is float32 (x / scale rounded to float32, then to an integer)', async () => {
    // 0.25 / float32(0.1) = 2.49999996… in float64, which rounds to the float32 2.5, then away from zero to 3 (float64 would give 2).
    const x = tensor([0.25, -0.25], [2]);
    const y = await readInt8AndDispose(getBackend(), quantize(getBackend())(x, { scale: Math.fround(0.1), zeroPoint: 0 }));
    expect(Array.from(y.data)).toEqual([3, -3]);
  });
  describe('bad input is rejected with a typed error naming op and argument', () => {
    it('quantize: an int8 x', () =>
      expectTypedRejection(() => quantize(getBackend())(randomInt8Tensor([2], 1, params(0)) as never, params(0)), DTypeError, 'quantize', 'x'));
    it('quantize: a zero point outside int8', () =>
      expectTypedRejection(() => quantize(getBackend())(tensor([1], [1]), { scale: 1, zeroPoint: 128 }), ValueError, 'quantize', 'output'));
  });
}

function dequantizeTests(getBackend: () => Backend): void {
  LENGTHS.forEach((length, i) => {
    const quantization = params(i, [0.5, 0.05, 0.0137, 3, 1e-30][i % 5]);
    it(`dequantize [${length}] zp${quantization.zeroPoint} scale ${quantization.scale}: the same float32 bits as the reference`, async () => {
      const x = randomInt8Tensor([length], 31000 + i, quantization);
      const expected = await readAndDispose(int8Reference(), capabilityOf(int8Reference(), 'dequantize')(x));
      const y = capabilityOf(getBackend(), 'dequantize')(x);
      expect(y.dtype).toBe('float32');
      expect([...y.shape]).toEqual([length]);
      expect(await readAndDispose(getBackend(), y)).toEqual(expected);
    });
  });
  it('dequantize: scale · (q − zeroPoint) as one float32 product', async () => {
    const x = new HostQuantizedTensor(Int8Array.from([-128, 0, 3, 127]), [2, 2], { scale: 0.1, zeroPoint: 3 });
    const y = await readAndDispose(getBackend(), capabilityOf(getBackend(), 'dequantize')(x));
    expect(Array.from(y)).toEqual([-131, -3, 0, 124].map((q) => Math.fround(Math.fround(0.1) * q)));
  });
  it('dequantize: a float x is a DTypeError', () =>
    expectTypedRejection(() => capabilityOf(getBackend(), 'dequantize')(tensor([1], [1]) as never), DTypeError, 'dequantize', 'x'));
}

/** Ratios `input.scale / output.scale` from one that rounds everything to the zero point to one that saturates. */
const RATIOS = [2 ** -33, 1e-3, 0.3, 0.5, 0.9999999, 1, 1.0000001, 3, 200, 2 ** 20] as const;

function requantizeTests(getBackend: () => Backend): void {
  RATIOS.forEach((ratio, i) => {
    const input = params(i, 0.04);
    const output = { scale: 0.04 / ratio, zeroPoint: ZERO_POINTS[(i + 2) % ZERO_POINTS.length]! };
    it(`requantize ratio ${ratio} zp${input.zeroPoint}->${output.zeroPoint}`, async () => {
      const x = randomInt8Tensor([3, 5, 17], 32000 + i, input);
      await expectInt8MatchesReference(getBackend(), { run: (b) => capabilityOf(b, 'requantize')(x, output), inputs: [x] }, 'requantize');
    });
  });
  it('requantize: an output scale 2^30 times smaller than the input scale is a ValueError', () =>
    expectTypedRejection(
      () => capabilityOf(getBackend(), 'requantize')(randomInt8Tensor([2], 1, params(0, 1)), { scale: 2 ** -31, zeroPoint: 0 }),
      ValueError,
      'requantize',
      'output',
    ));
}

/** Add cases: equal shapes, a channel vector, squeeze-and-excitation's [N, 1, 1, C], a scalar, in both orders. */
const ADD_SHAPES: readonly [readonly number[], readonly number[]][] = [
  [
    [1, 7, 9, 17],
    [1, 7, 9, 17],
  ],
  [[2, 3, 3, 16], [16]],
  [[5], [2, 3, 1, 5]],
  [
    [2, 4, 4, 8],
    [2, 1, 1, 8],
  ],
  [[1], [3, 5, 7]],
  [
    [1, 1, 1, 33],
    [1, 1, 1, 33],
  ],
];
/** Scale pairs: equal, a ≫ b, a ≪ b, both tiny against the output. */
const ADD_SCALES: readonly [number, number, number][] = [
  [0.05, 0.05, 0.1],
  [0.2, 0.01, 0.25],
  [0.003, 0.07, 0.05],
  [0.001, 0.002, 0.5],
];

function addTests(getBackend: () => Backend): void {
  int8BinaryCaseTests(getBackend, { op: 'quantizedAdd', symbol: '+', shapes: ADD_SHAPES, scales: ADD_SCALES, seed: 33000 });
  describe('bad input is rejected with a typed error naming op and argument', () => {
    it('quantizedAdd: shapes that do not broadcast', () =>
      expectTypedRejection(
        () =>
          capabilityOf(getBackend(), 'quantizedAdd')(randomInt8Tensor([1, 2, 2, 3], 1, params(0)), randomInt8Tensor([1, 2, 2, 4], 2, params(0)), {
            output: params(0),
          }),
        ShapeError,
        'quantizedAdd',
        'b',
      ));
    it('quantizedAdd: no output quantization', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedAdd')(randomInt8Tensor([2], 1, params(0)), randomInt8Tensor([2], 2, params(0)), {} as never),
        ValueError,
        'quantizedAdd',
        'options.output',
      ));
    it('quantizedAdd: an output scale so small that the multiplier reaches 1', () =>
      expectTypedRejection(
        () =>
          capabilityOf(getBackend(), 'quantizedAdd')(randomInt8Tensor([2], 1, params(0)), randomInt8Tensor([2], 2, params(0)), {
            output: { scale: 1e-9, zeroPoint: 0 },
          }),
        ValueError,
        'quantizedAdd',
        'output',
      ));
  });
}

function poolTests(getBackend: () => Backend): void {
  pool2dCases.forEach((c, i) => {
    it(`int8 ${c.name} zp${params(i).zeroPoint}`, async () => {
      const x = randomInt8Tensor(c.shape, c.seed, params(i));
      const options = { type: c.type, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding };
      await expectInt8MatchesReference(getBackend(), { run: (b) => capabilityOf(b, 'quantizedPool2d')(x, options), inputs: [x] }, c.name);
    });
  });
  it('quantizedPool2d avg: the rounded average of the cells inside the input, ties away from zero', async () => {
    const x = new HostQuantizedTensor(Int8Array.from([1, 2, -3, -4]), [1, 2, 2, 1], params(0));
    const y = await readInt8AndDispose(
      getBackend(),
      capabilityOf(getBackend(), 'quantizedPool2d')(x, { type: 'avg', kernelSize: 2, strides: 1, padding: 'same' }),
    );
    // Windows: all four (−4/4 = −1), [2, −4] (−1), [−3, −4] (−3.5 → −4), [−4].
    expect(Array.from(y.data)).toEqual([-1, -1, -4, -4]);
  });
  it('quantizedPool2d: a window larger than the padded input is a ShapeError', () =>
    expectTypedRejection(
      () => capabilityOf(getBackend(), 'quantizedPool2d')(randomInt8Tensor([1, 3, 3, 1], 1, params(0)), { type: 'max', kernelSize: 4 }),
      ShapeError,
      'quantizedPool2d',
      'options.kernelSize',
    ));
}

function globalPoolTests(getBackend: () => Backend): void {
  globalPool2dCases.forEach((c, i) => {
    const input = params(i, 0.05);
    const outputs: (QuantParams | undefined)[] = c.type === 'max' ? [undefined] : [undefined, params(i + 1, 0.02), params(i + 3, 0.3)];
    for (const output of outputs) {
      it(`int8 ${c.name} zp${input.zeroPoint}${output ? ` -> scale ${output.scale} zp${output.zeroPoint}` : ''}`, async () => {
        const x = randomInt8Tensor(c.shape, c.seed, input);
        await expectInt8MatchesReference(
          getBackend(),
          { run: (b) => capabilityOf(b, 'quantizedGlobalPool2d')(x, { type: c.type, output }), inputs: [x] },
          c.name,
        );
      });
    }
  });
  it('quantizedGlobalPool2d max: other output parameters are an UnsupportedError', () =>
    expectTypedRejection(
      () => capabilityOf(getBackend(), 'quantizedGlobalPool2d')(randomInt8Tensor([1, 2, 2, 1], 1, params(0)), { type: 'max', output: params(1) }),
      UnsupportedError,
      'quantizedGlobalPool2d',
      'options.output',
    ));
}

function concatTests(getBackend: () => Backend): void {
  concatCases.forEach((c, i) => {
    it(`int8 ${c.name}`, async () => {
      const xs = c.shapes.map((shape, k) => randomInt8Tensor(shape, c.seed + k, params(i)));
      await expectInt8MatchesReference(getBackend(), { run: (b) => capabilityOf(b, 'quantizedConcat')(xs, { axis: c.axis }), inputs: xs }, c.name);
    });
  });
  it('quantizedConcat: inputs of other quantizations are a ValueError naming the input (requantize them first)', () =>
    expectTypedRejection(
      () =>
        capabilityOf(getBackend(), 'quantizedConcat')([randomInt8Tensor([1, 1, 1, 2], 1, params(0)), randomInt8Tensor([1, 1, 1, 2], 2, params(1))]),
      ValueError,
      'quantizedConcat',
      'xs[1]',
    ));
}

function padTests(getBackend: () => Backend): void {
  padCases.forEach((c, i) => {
    it(`int8 ${c.name.replace(/, value [^ ]+/, '')} zp${params(i).zeroPoint}`, async () => {
      const x = randomInt8Tensor(c.shape, c.seed, params(i));
      await expectInt8MatchesReference(getBackend(), { run: (b) => capabilityOf(b, 'quantizedPad')(x, c.padding), inputs: [x] }, c.name);
    });
  });
  it('quantizedPad: a negative side is a ValueError', () =>
    expectTypedRejection(
      () => capabilityOf(getBackend(), 'quantizedPad')(randomInt8Tensor([1, 2, 2, 1], 1, params(0)), { top: -1, bottom: 0, left: 0, right: 0 }),
      ValueError,
      'quantizedPad',
      'padding',
    ));
}

function reshapeTests(getBackend: () => Backend): void {
  const x = randomInt8Tensor([2, 1, 1, 17], 34000, params(2));
  it('quantizedReshape [2, 1, 1, 17] -> [2, 17], a copy the caller disposes on its own', async () => {
    const backend = getBackend();
    await expectInt8MatchesReference(backend, { run: (b) => capabilityOf(b, 'quantizedReshape')(x, [2, 17]), inputs: [x] }, 'reshape');
    const own = capabilityOf(backend, 'requantize')(x, params(2, 0.05));
    const reshaped = capabilityOf(backend, 'quantizedReshape')(own, [34]);
    own.dispose();
    expect((await readInt8AndDispose(backend, reshaped)).data).toEqual(x.data);
  });
  it('quantizedReshape: another element count is a ShapeError', () =>
    expectTypedRejection(() => capabilityOf(getBackend(), 'quantizedReshape')(x, [3, 11]), ShapeError, 'quantizedReshape', 'shape'));
}

/**
 * The conformance tests of the int8 element-wise, pooling and data-movement capabilities
 * (`quantize`, `dequantize`, `requantize`, `quantizedAdd`, `quantizedPool2d`,
 * `quantizedGlobalPool2d`, `quantizedConcat`, `quantizedPad`, `quantizedReshape`): bit-exact with
 * the reference (dequantize's float32 bits included), zero points at both ends, saturation,
 * ratios around 1; each capability probed on its own.
 */
export function describeInt8ElementwiseConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describeCapability('quantize', createBackend, () => quantizeTests(getBackend));
  describeCapability('dequantize', createBackend, () => dequantizeTests(getBackend));
  describeCapability('requantize', createBackend, () => requantizeTests(getBackend));
  describeCapability('quantizedAdd', createBackend, () => addTests(getBackend));
  describeCapability('quantizedPool2d', createBackend, () => poolTests(getBackend));
  describeCapability('quantizedGlobalPool2d', createBackend, () => globalPoolTests(getBackend));
  describeCapability('quantizedConcat', createBackend, () => concatTests(getBackend));
  describeCapability('quantizedPad', createBackend, () => padTests(getBackend));
  describeCapability('quantizedReshape', createBackend, () => reshapeTests(getBackend));
}
