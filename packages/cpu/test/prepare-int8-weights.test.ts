import {
  BackendError,
  canPrepareQuantizedWeights,
  HostQuantizedTensor,
  INT8_WEIGHT_MAX,
  QuantizedConvWeights,
  Random,
  ShapeError,
  ValueError,
  type QuantizedKernelCall,
  type QuantParams,
} from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend, type CpuBackend } from '../src/index.js';
import { cpuQuantizedVariants, variantSupport } from '../src/index.js';
import { randomInt8s, randomInt8Tensor } from './support/int8-test-data.js';

const random = new Random(11);
const input: QuantParams = { scale: 0.05, zeroPoint: -3 };
const middle: QuantParams = { scale: 0.04, zeroPoint: 5 };
const output: QuantParams = { scale: 0.1, zeroPoint: -128 };
const x = randomInt8Tensor(random, [1, 9, 9, 8], input);
const stemX = randomInt8Tensor(random, [1, 9, 9, 3], input);
/** An input of `x`'s shape with batch 0: what mobilenet gives `prepareQuantizedWeights`. */
const empty = (shape: readonly number[]) => new HostQuantizedTensor(new Int8Array(0), [0, ...shape.slice(1)], input);

function weights(kind: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d', filterShape: number[], from = input, to = output): QuantizedConvWeights {
  const size = filterShape.reduce((a, b) => a * b, 1);
  const outChannels = kind === 'depthwiseConv2d' ? filterShape[2]! * filterShape[3]! : filterShape.at(-1)!;
  return new QuantizedConvWeights({
    kind,
    filter: randomInt8s(random, size, 'uniform', -INT8_WEIGHT_MAX),
    filterShape,
    bias: Int32Array.from({ length: outChannels }, () => random.int(-3000, 3000)),
    weightScales: Array.from({ length: outChannels }, () => random.uniform(0.5, 2) / 200),
    input: from,
    output: to,
    activation: 'relu6',
  });
}

/** Fresh weights for each call (packings are cached per weights object), one call of each int8 convolution kind and kernel. */
function calls(): QuantizedKernelCall[] {
  return [
    { op: 'quantizedDepthwiseConv2d', x, weights: weights('depthwiseConv2d', [3, 3, 8, 1]), options: { padding: 'same' } },
    { op: 'quantizedDepthwiseConv2d', x, weights: weights('depthwiseConv2d', [5, 5, 8, 2]), options: { strides: 2, padding: 'same' } },
    { op: 'quantizedPointwiseConv2d', x, weights: weights('pointwiseConv2d', [8, 12]) },
    { op: 'quantizedPointwiseConv2d', x, weights: weights('pointwiseConv2d', [8, 4]), options: { strides: 2 } },
    { op: 'quantizedConv2d', x, weights: weights('conv2d', [3, 3, 8, 16]), options: { strides: 2, padding: 'same' } },
    { op: 'quantizedConv2d', x: stemX, weights: weights('conv2d', [3, 3, 3, 16]), options: { strides: 2, padding: 'same' } },
    {
      op: 'quantizedSeparableConv2d',
      x,
      depthwiseWeights: weights('depthwiseConv2d', [3, 3, 8, 1], input, middle),
      pointwiseWeights: weights('pointwiseConv2d', [8, 12], middle, output),
      options: { padding: 'same' },
    },
  ];
}

function run(on: CpuBackend, call: QuantizedKernelCall) {
  return call.op === 'quantizedSeparableConv2d'
    ? on.quantizedSeparableConv2d(call.x, call.depthwiseWeights, call.pointwiseWeights, call.options)
    : on[call.op](call.x, call.weights, call.options);
}

const backends: CpuBackend[] = [];
afterAll(() => {
  for (const b of backends) b.dispose();
});
async function backend(variant?: string): Promise<CpuBackend> {
  const created = await createCpuBackend({ threads: 1, ...(variant === undefined ? {} : { variant }) });
  backends.push(created);
  return created;
}

/** The int8 rows this engine runs (the relaxed-dot row only where its probe passes). */
const runnable = cpuQuantizedVariants.filter((v) => v.isa !== 'js' && variantSupport(v) === undefined);

describe('prepareQuantizedWeights', () => {
  it('is declared (QuantizedWeightPreparingBackend)', async () => {
    expect(canPrepareQuantizedWeights(await backend())).toBe(true);
  });

  for (const variant of [undefined, ...runnable.map((v) => v.name)]) {
    it(`packs what the first call would pack, so that call packs nothing (${variant ?? 'dispatch'})`, async () => {
      const prepared = await backend(variant);
      const control = await backend(variant);
      for (const call of calls()) {
        const before = prepared.packings;
        prepared.prepareQuantizedWeights({ ...call, x: empty(call.x.shape) });
        const packed = prepared.packings - before;
        prepared.prepareQuantizedWeights(call);
        expect(prepared.packings - before, `${call.op}: preparing again is a cache hit`).toBe(packed);
        const y = run(prepared, call);
        expect(prepared.packings - before, `${call.op}: its first call packed again`).toBe(packed);
        const controlBefore = control.packings;
        const expected = run(control, call);
        // The forced row applies to its own op only; other ops dispatch, and pack as they do.
        expect(packed, `${call.op}: prepared as many packings as the call makes`).toBe(control.packings - controlBefore);
        expect((await prepared.readQuantized(y)).data).toEqual((await control.readQuantized(expected)).data);
        y.dispose();
        expected.dispose();
      }
    });
  }

  it('packs only for the wasm rows: the JavaScript rows read the weights as they are', async () => {
    const js = await backend('pwconv2d-nhwc-reference-qs8-js');
    const before = js.packings;
    js.prepareQuantizedWeights({ op: 'quantizedPointwiseConv2d', x, weights: weights('pointwiseConv2d', [8, 12]) });
    expect(js.packings).toBe(before);
  });

  it('throws the op’s typed errors for a bad call, naming the argument', async () => {
    const b = await backend();
    const w = weights('pointwiseConv2d', [8, 12]);
    expect(() => b.prepareQuantizedWeights({ op: 'quantizedPointwiseConv2d', x: stemX, weights: w })).toThrow(ShapeError);
    expect(() => b.prepareQuantizedWeights({ op: 'quantizedPointwiseConv2d', x: stemX, weights: w })).toThrow(/quantizedPointwiseConv2d: .*weights/);
    expect(() => b.prepareQuantizedWeights({ op: 'quantizedDepthwiseConv2d', x, weights: w })).toThrow(ValueError);
    expect(() => b.prepareQuantizedWeights({ op: 'quantizedConv3d', x, weights: w } as never)).toThrow(/prepareQuantizedWeights: call\.op/);
    expect(() => b.prepareQuantizedWeights(null as never)).toThrow(/prepareQuantizedWeights: call/);
    const disposed = await backend();
    disposed.dispose();
    expect(() => disposed.prepareQuantizedWeights({ op: 'quantizedPointwiseConv2d', x, weights: w })).toThrow(BackendError);
  });
});
