// The int8 element-wise steps of MobileNetV3 in integers: TensorFlow Lite's MUL (squeeze-and-
// excitation's x · gate) and 256-entry lookup tables (hard-swish, hard-sigmoid, sigmoid): the
// reference kernels by hand and against a float simulation, the tables' construction, and the
// typed errors of the reference backend's `quantizedMul` / `quantizedLookup`.
import { describe, expect, it } from 'vitest';
import {
  activationLookupTable,
  binaryGeometry,
  chooseQuantParams,
  dequantizeValues,
  DTypeError,
  HostQuantizedTensor,
  int8LookupTable,
  mulRequantization,
  QuantizedLookupTable,
  quantizeValues,
  Random,
  ShapeError,
  tensor,
  unaryGeometry,
  UnsupportedError,
  ValueError,
  zeros,
  type QuantParams,
} from '../src/index.js';
import {
  createReferenceBackend,
  referenceActivation,
  referenceBinary,
  referenceQuantizedLookup,
  referenceQuantizedMul,
} from '../src/reference/index.js';

const unit = { scale: 1, zeroPoint: 0 };

function uniform(random: Random, size: number, low: number, high: number): Float32Array {
  return Float32Array.from({ length: size }, () => low + (high - low) * random.next());
}

describe('referenceQuantizedMul', () => {
  it('multiplies the zero-point-shifted inputs and requantizes once', () => {
    const g = binaryGeometry('mul', zeros([4]), zeros([4]));
    expect([...referenceQuantizedMul(Int8Array.of(3, -3, 100, -100), Int8Array.of(4, 4, 2, 2), g, mulRequantization(unit, unit, unit))]).toEqual([
      12, -12, 127, -128,
    ]);
    // a zero point 2 (a = 5 stands for 3), b scale 0.5 (b = 3 stands for 1.5), output scale 2:
    // 3 · 1.5 / 2 = 2.25, which TensorFlow Lite's double rounding makes 3 (9 · 2^30 / 2^31 = 4.5 → 5,
    // then 5 / 2 = 2.5 → 3), so 3 − 1 = 2; 7.5 / 2 = 3.75 → 4 − 1 = 3 (b = 5 stands for 2.5).
    const r = mulRequantization({ scale: 1, zeroPoint: 2 }, { scale: 0.5, zeroPoint: 0 }, { scale: 2, zeroPoint: -1 });
    expect([...referenceQuantizedMul(Int8Array.of(5, 5, 2, 2), Int8Array.of(3, 5, 9, -9), g, r)]).toEqual([2, 3, -1, -1]);
  });

  it("broadcasts squeeze-and-excitation's [N, 1, 1, C] gate over [N, H, W, C] and clamps ReLU", () => {
    const g = binaryGeometry('mul', zeros([2, 1, 2, 2]), zeros([2, 1, 1, 2]), { activation: 'relu' });
    const r = mulRequantization(unit, unit, { scale: 1, zeroPoint: -5 }, 'relu');
    const x = Int8Array.of(1, 2, 3, 4, -1, -2, 5, 6);
    expect([...referenceQuantizedMul(x, Int8Array.of(10, 2, 3, 1), g, r)]).toEqual([5, -1, 25, 3, -5, -5, 10, 1]);
  });

  it('agrees with a float simulation to one output quantum, zero points at the extremes, multipliers above and below 1', () => {
    const random = new Random(11);
    const cases: [QuantParams, QuantParams, number][] = [
      [chooseQuantParams(-1, 3), chooseQuantParams(0, 1), 1],
      [chooseQuantParams(0, 6), chooseQuantParams(-6, 0), 1],
      [chooseQuantParams(-10, 10), chooseQuantParams(0, 0.01), 1],
      // An output range far wider than the products: a multiplier well below 1.
      [chooseQuantParams(-1, 1), chooseQuantParams(-1, 1), 1000],
    ];
    for (const [aParams, bParams, widen] of cases) {
      const g = binaryGeometry('mul', zeros([1, 4, 4, 8]), zeros([1, 1, 1, 8]));
      const aReal = dequantizeValues(quantizeValues(uniform(random, 128, -12, 12), aParams), aParams);
      const a = quantizeValues(aReal, aParams);
      const b = quantizeValues(uniform(random, 8, -12, 12), bParams);
      const expectedReal = referenceBinary(aReal, dequantizeValues(b, bParams), g);
      const output = chooseQuantParams(Math.min(...expectedReal) * widen, Math.max(...expectedReal) * widen);
      const actual = referenceQuantizedMul(a, b, g, mulRequantization(aParams, bParams, output));
      const expected = quantizeValues(expectedReal, output);
      expect(Math.max(...actual.map((q, i) => Math.abs(q - expected[i]!)))).toBeLessThanOrEqual(1);
    }
  });
});

describe('int8 lookup tables', () => {
  it('quantize the function of each dequantized int8 value (hard-swish by hand)', () => {
    const input = { scale: 0.5, zeroPoint: -10 };
    const output = { scale: 0.25, zeroPoint: 3 };
    const table = activationLookupTable('hardSwish', input, output);
    // q = −10 is real 0 → 0 → zero point 3; q = −4 is 3 → 3·6/6 = 3 → 12 + 3 = 15;
    // q = −16 is −3 → 0 → 3; q = −12 is −1 → −1·2/6 = −1/3 → −1.333… → −1 + 3 = 2.
    expect(table.values[-10 + 128]).toBe(3);
    expect(table.values[-4 + 128]).toBe(15);
    expect(table.values[-16 + 128]).toBe(3);
    expect(table.values[-12 + 128]).toBe(2);
    // Saturates: q = 127 is 68.5 → 274 quanta.
    expect(table.values[255]).toBe(127);
    expect(table.input).toEqual(input);
    expect(table.output).toEqual(output);
  });

  it('is the float activation then quantize, for every int8 value, for each activation', () => {
    const input = chooseQuantParams(-7, 9);
    for (const activation of ['hardSwish', 'hardSigmoid', 'sigmoid', 'relu6'] as const) {
      const output = activation === 'hardSwish' ? chooseQuantParams(-0.4, 9) : chooseQuantParams(0, activation === 'relu6' ? 6 : 1);
      const table = activationLookupTable(activation, input, output);
      const q = Int8Array.from({ length: 256 }, (_, i) => i - 128);
      const real = dequantizeValues(q, input);
      const expected = quantizeValues(referenceActivation(real, unaryGeometry(tensor(real, [256]), activation)), output);
      expect(referenceQuantizedLookup(q, table.values)).toEqual(expected);
    }
  });

  it('refuse a table of the wrong length or dtype, and a function that gives NaN, naming the argument', () => {
    expect(() => new QuantizedLookupTable({ values: new Int8Array(255), input: unit, output: unit })).toThrow(ShapeError);
    expect(() => new QuantizedLookupTable({ values: new Int8Array(255), input: unit, output: unit })).toThrow(/table\.values must hold 256 entries/);
    expect(() => new QuantizedLookupTable({ values: new Uint8Array(256) as never, input: unit, output: unit })).toThrow(DTypeError);
    expect(() => new QuantizedLookupTable({ values: new Int8Array(256), input: { scale: 0, zeroPoint: 0 }, output: unit })).toThrow(ValueError);
    expect(() => int8LookupTable(() => Number.NaN, unit, unit)).toThrow(/int8LookupTable: fn\(-128\) is NaN/);
    expect(() => activationLookupTable('gelu' as never, unit, unit)).toThrow(/activationLookupTable: activation must be one of/);
  });
});

describe("the reference backend's quantizedMul and quantizedLookup", () => {
  const backend = createReferenceBackend();
  const int8 = (shape: number[], quantization: QuantParams, fill = 1) =>
    new HostQuantizedTensor(new Int8Array(shape.reduce((a, b) => a * b, 1)).fill(fill), shape, quantization);

  it('run the reference kernels', () => {
    const x = new HostQuantizedTensor(Int8Array.of(-128, 0, 5, 127), [1, 1, 2, 2], unit);
    const table = int8LookupTable((v) => -v / 2, unit, unit);
    const y = backend.quantizedLookup!(x, table) as HostQuantizedTensor;
    expect([...y.data]).toEqual([64, 0, -3, -64]);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    const product = backend.quantizedMul!(x, int8([1, 1, 1, 2], unit, 2), { output: { scale: 2, zeroPoint: 0 } }) as HostQuantizedTensor;
    expect([...product.data]).toEqual([-128, 0, 5, 127]);
  });

  it('refuse bad inputs with typed errors naming the op and the argument', () => {
    const x = int8([1, 2, 2, 3], unit);
    const table = int8LookupTable((v) => v, unit, unit);
    const cases: [() => unknown, new (...args: never[]) => Error, RegExp][] = [
      [
        () => backend.quantizedLookup!(x, Int8Array.from({ length: 256 }) as never),
        ValueError,
        /quantizedLookup: table must be a QuantizedLookupTable/,
      ],
      [
        () => backend.quantizedLookup!(int8([3], { scale: 2, zeroPoint: 0 }), table),
        ValueError,
        /quantizedLookup: x\.quantization must equal table\.input/,
      ],
      [() => backend.quantizedLookup!(tensor([1], [1]) as never, table), DTypeError, /quantizedLookup: x must be int8/],
      [
        () => backend.quantizedMul!(x, int8([1, 2, 2, 5], unit), { output: unit }),
        ShapeError,
        /quantizedMul: a \[1, 2, 2, 3\] and b \[1, 2, 2, 5\] do not broadcast/,
      ],
      [() => backend.quantizedMul!(x, x, undefined as never), ValueError, /quantizedMul: options must be an object/],
      [() => backend.quantizedMul!(x, x, { output: { scale: 1e-10, zeroPoint: 0 } }), ValueError, /quantizedMul: output\.scale must be more than/],
      [
        () => backend.quantizedMul!(x, x, { output: unit, activation: 'hardSwish' as never }),
        UnsupportedError,
        /quantizedMul: options\.activation 'hardSwish' has no int8 kernel/,
      ],
      [() => backend.quantizedMul!(x, tensor([1], [1]) as never, { output: unit }), DTypeError, /quantizedMul: b must be int8/],
    ];
    for (const [run, type, message] of cases) {
      expect(run).toThrow(type);
      expect(run).toThrow(message);
    }
  });
});
