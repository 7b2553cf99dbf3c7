import {
  activationLookupTable,
  DTypeError,
  HostQuantizedTensor,
  int8LookupTable,
  QuantizedLookupTable,
  ShapeError,
  ValueError,
  type Activation,
  type Backend,
} from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection } from './backend-test-helpers.js';
import { capabilityOf, describeCapability } from './describe-capability.js';
import { expectInt8MatchesReference, readInt8AndDispose } from './expect-int8.js';
import { int8BinaryCaseTests, int8CaseParams as params } from './int8-binary-cases.js';
import { randomInt8Tensor } from './random-int8-tensor.js';

/**
 * Mul shapes: squeeze-and-excitation's [N, H, W, C] · [N, 1, 1, C] (channels around SIMD widths,
 * in both orders), equal shapes, a channel vector, a scalar.
 */
const MUL_SHAPES: readonly [readonly number[], readonly number[]][] = [
  [
    [1, 5, 5, 72],
    [1, 1, 1, 72],
  ],
  [
    [2, 3, 3, 17],
    [2, 1, 1, 17],
  ],
  [
    [1, 1, 1, 16],
    [1, 4, 4, 16],
  ],
  [
    [2, 2, 3, 7],
    [2, 2, 3, 7],
  ],
  [[1, 3, 3, 33], [33]],
  [[3, 5, 7], [1]],
];
/** Scales `[a, b, output]`: the product's multiplier well below 1, near 1, above 1 (a saturating output). */
const MUL_SCALES: readonly [number, number, number][] = [
  [0.05, 0.004, 0.02],
  [0.1, 0.02, 0.002],
  [0.5, 0.25, 0.01],
];

function mulTests(getBackend: () => Backend): void {
  int8BinaryCaseTests(getBackend, { op: 'quantizedMul', symbol: '·', shapes: MUL_SHAPES, scales: MUL_SCALES, seed: 36000 });
  it("quantizedMul on the backend's own tensors (a requantized x and gate)", async () => {
    const x = randomInt8Tensor([1, 6, 6, 24], 36900, params(0, 0.1));
    const gate = randomInt8Tensor([1, 1, 1, 24], 36901, params(3, 1 / 255));
    await expectInt8MatchesReference(
      getBackend(),
      {
        run: (backend) =>
          backend.scope(() => {
            const ownX = capabilityOf(backend, 'requantize')(x, params(1, 0.11));
            const ownGate = capabilityOf(backend, 'requantize')(gate, params(2, 1 / 250));
            return capabilityOf(backend, 'quantizedMul')(ownX, ownGate, { output: params(4, 0.09) });
          }),
        inputs: [x, gate],
      },
      'quantizedMul own tensors',
    );
  });
  describe('bad input is rejected with a typed error naming op and argument', () => {
    it('quantizedMul: shapes that do not broadcast', () =>
      expectTypedRejection(
        () =>
          capabilityOf(getBackend(), 'quantizedMul')(
            randomInt8Tensor([1, 2, 2, 3], 1, params(0, 1)),
            randomInt8Tensor([1, 2, 2, 4], 2, params(0, 1)),
            {
              output: params(0, 1),
            },
          ),
        ShapeError,
        'quantizedMul',
        'b',
      ));
    it('quantizedMul: no output quantization', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedMul')(randomInt8Tensor([2], 1, params(0, 1)), randomInt8Tensor([2], 2, params(0, 1)), {} as never),
        ValueError,
        'quantizedMul',
        'options.output',
      ));
    it('quantizedMul: a float operand', () =>
      expectTypedRejection(
        () =>
          capabilityOf(getBackend(), 'quantizedMul')(randomInt8Tensor([2], 1, params(0, 1)), { shape: [2], dtype: 'float32' } as never, {
            output: params(0, 1),
          }),
        DTypeError,
        'quantizedMul',
        'b',
      ));
  });
}

/** Lengths around SIMD widths (4, 8, 16 lanes) and 16-entry table chunks, for the lookup kernels' tails. */
const LOOKUP_SHAPES: readonly (readonly number[])[] = [[1], [3], [15], [16], [17], [31], [2, 3, 3, 16], [1, 7, 7, 33], [1, 16, 16, 72]];
const LOOKUP_ACTIVATIONS: readonly Activation[] = ['hardSwish', 'hardSigmoid', 'sigmoid'];

function lookupTests(getBackend: () => Backend): void {
  LOOKUP_SHAPES.forEach((shape, i) => {
    const activation = LOOKUP_ACTIVATIONS[i % LOOKUP_ACTIVATIONS.length]!;
    const input = params(i, 0.06);
    const output = params(i + 3, activation === 'hardSwish' ? 0.05 : 1 / 256);
    it(`quantizedLookup ${activation} [${shape.join(', ')}] zp${input.zeroPoint} -> zp${output.zeroPoint}`, async () => {
      const x = randomInt8Tensor(shape, 37000 + i, input);
      const table = activationLookupTable(activation, input, output);
      await expectInt8MatchesReference(getBackend(), { run: (b) => capabilityOf(b, 'quantizedLookup')(x, table), inputs: [x] }, 'quantizedLookup');
    });
  });
  it('quantizedLookup: every int8 value reads its own entry (a table of distinct values, negated and shifted)', async () => {
    const x = new HostQuantizedTensor(
      Int8Array.from({ length: 256 }, (_, i) => i - 128),
      [256],
      params(0, 1),
    );
    const values = Int8Array.from({ length: 256 }, (_, i) => 127 - ((i * 37) % 256));
    const table = new QuantizedLookupTable({ values, input: x.quantization, output: params(1, 1) });
    const y = await readInt8AndDispose(getBackend(), capabilityOf(getBackend(), 'quantizedLookup')(x, table));
    expect(Array.from(y.data)).toEqual(Array.from(values));
  });
  it("quantizedLookup on the backend's own tensor", async () => {
    const x = randomInt8Tensor([1, 9, 9, 20], 37900, params(2, 0.05));
    const table = int8LookupTable((v) => v * v, params(4, 0.06), params(5, 0.2));
    await expectInt8MatchesReference(
      getBackend(),
      {
        run: (backend) => backend.scope(() => capabilityOf(backend, 'quantizedLookup')(capabilityOf(backend, 'requantize')(x, table.input), table)),
        inputs: [x],
      },
      'quantizedLookup own tensor',
    );
  });
  describe('bad input is rejected with a typed error naming op and argument', () => {
    const x = randomInt8Tensor([4], 1, params(0, 0.1));
    it('quantizedLookup: a plain Int8Array as the table', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedLookup')(x, new Int8Array(256) as never),
        ValueError,
        'quantizedLookup',
        'table',
      ));
    it('quantizedLookup: x quantized otherwise than the table expects', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedLookup')(x, activationLookupTable('hardSwish', params(1, 0.1), params(1, 0.1))),
        ValueError,
        'quantizedLookup',
        'x',
      ));
    it('quantizedLookup: a float x', () =>
      expectTypedRejection(
        () =>
          capabilityOf(getBackend(), 'quantizedLookup')(
            { shape: [4], dtype: 'float32' } as never,
            activationLookupTable('hardSwish', x.quantization, x.quantization),
          ),
        DTypeError,
        'quantizedLookup',
        'x',
      ));
    it('QuantizedLookupTable: 255 entries', () =>
      expectTypedRejection(
        () => new QuantizedLookupTable({ values: new Int8Array(255), input: x.quantization, output: x.quantization }, 'quantizedLookup'),
        ShapeError,
        'quantizedLookup',
        'table.values',
      ));
    it('QuantizedLookupTable: a Uint8Array', () =>
      expectTypedRejection(
        () => new QuantizedLookupTable({ values: new Uint8Array(256) as never, input: x.quantization, output: x.quantization }, 'quantizedLookup'),
        DTypeError,
        'quantizedLookup',
        'table.values',
      ));
  });
}

/**
 * The conformance tests of MobileNetV3's int8 element-wise steps: `quantizedMul` (TensorFlow
 * Lite's MUL, broadcasting as squeeze-and-excitation needs) and `quantizedLookup` (256-entry
 * tables: hard-swish, hard-sigmoid, sigmoid), bit-exact with the reference, on host and the
 * backend's own tensors, with the typed errors of bad inputs.
 */
export function describeInt8MulLookupConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describeCapability('quantizedMul', createBackend, () => mulTests(getBackend));
  describeCapability('quantizedLookup', createBackend, () => lookupTests(getBackend));
}
