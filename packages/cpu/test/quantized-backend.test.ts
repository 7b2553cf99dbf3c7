// The CPU backend's int8 capabilities end to end, bit-exact against the reference backend: each
// int8 variant forced in turn (1 and 2 threads), chained ops reading the backend's own int8
// tensors in place, the element-wise and data-movement int8 ops, and bad inputs.
import {
  HostQuantizedTensor,
  INT8_WEIGHT_MAX,
  QuantizedConvWeights,
  Random,
  tensor,
  type ConvActivation,
  type QuantizedConv2dOptions,
  type QuantizedTensor,
  type QuantParams,
} from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CpuQuantizedTensor,
  cpuQuantizedVariants,
  createCpuBackend,
  variantSupport,
  type CpuBackend,
  type CpuQuantizedVariant,
} from '../src/index.js';
import { int8Reference as reference, randomInt8s, randomInt8Tensor } from './support/int8-test-data.js';

/** Random int8 weights of `kind`, scales chosen so that typical outputs land inside int8 (with some saturation). */
function weights(
  random: Random,
  kind: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d',
  filterShape: number[],
  input: QuantParams,
  output: QuantParams,
  activation: ConvActivation = 'linear',
): QuantizedConvWeights {
  const size = filterShape.reduce((a, b) => a * b, 1);
  const outChannels = kind === 'depthwiseConv2d' ? filterShape[2]! * filterShape[3]! : filterShape.at(-1)!;
  const depth = size / outChannels;
  return new QuantizedConvWeights({
    kind,
    filter: randomInt8s(random, size, 'uniform', -INT8_WEIGHT_MAX),
    filterShape,
    bias: Int32Array.from({ length: outChannels }, () => random.int(-5000, 5000)),
    weightScales: Array.from({ length: outChannels }, () => random.uniform(0.5, 2) / (64 * Math.sqrt(depth))),
    input,
    output,
    activation,
  });
}

interface ConvCase {
  name: string;
  op: 'quantizedConv2d' | 'quantizedDepthwiseConv2d' | 'quantizedPointwiseConv2d';
  kind: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d';
  xShape: number[];
  filterShape: number[];
  options?: QuantizedConv2dOptions;
  activation?: ConvActivation;
}

const convCases: ConvCase[] = [
  {
    name: 'depthwise 3×3 same relu6',
    op: 'quantizedDepthwiseConv2d',
    kind: 'depthwiseConv2d',
    xShape: [2, 7, 6, 19],
    filterShape: [3, 3, 19, 1],
    options: { padding: 'same' },
    activation: 'relu6',
  },
  {
    name: 'depthwise 3×3 stride 2 multiplier 2',
    op: 'quantizedDepthwiseConv2d',
    kind: 'depthwiseConv2d',
    xShape: [1, 9, 8, 5],
    filterShape: [3, 3, 5, 2],
    options: { strides: 2, padding: 'same' },
  },
  {
    name: 'pointwise 24 → 17 relu',
    op: 'quantizedPointwiseConv2d',
    kind: 'pointwiseConv2d',
    xShape: [1, 5, 7, 24],
    filterShape: [24, 17],
    activation: 'relu',
  },
  {
    name: 'pointwise strided',
    op: 'quantizedPointwiseConv2d',
    kind: 'pointwiseConv2d',
    xShape: [1, 6, 6, 9],
    filterShape: [9, 10],
    options: { strides: 2 },
  },
  {
    name: 'conv2d 3×3 stride 2 same',
    op: 'quantizedConv2d',
    kind: 'conv2d',
    xShape: [1, 9, 9, 3],
    filterShape: [3, 3, 3, 12],
    options: { strides: 2, padding: 'same' },
    activation: 'relu6',
  },
  { name: 'conv2d 1×1', op: 'quantizedConv2d', kind: 'conv2d', xShape: [1, 4, 4, 10], filterShape: [1, 1, 10, 6] },
];

const runnable = cpuQuantizedVariants.filter((v) => variantSupport(v) === undefined);
const backends: CpuBackend[] = [];
afterAll(() => {
  for (const backend of backends) backend.dispose();
});

async function backendWith(variant: CpuQuantizedVariant | undefined, threads: number): Promise<CpuBackend> {
  const backend = await createCpuBackend({ threads, variant: variant?.name, parallelThreshold: 0 });
  backends.push(backend);
  return backend;
}

function expectSame(actual: QuantizedTensor, expected: QuantizedTensor): Promise<void> {
  return Promise.all([backends[0]!.readQuantized(actual), reference.readQuantized(expected)]).then(([a, e]) => {
    expect(a.shape).toEqual(e.shape);
    expect(a.quantization).toEqual(e.quantization);
    expect(a.data).toEqual(e.data);
  });
}

describe.each([1, 2])('int8 variants forced, %i thread(s)', (threads) => {
  describe.each(runnable.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
    const cases = convCases.filter((c) => c.kind === variant.op);
    if (variant.op === 'separableConv2d') {
      it('runs depthwise then pointwise with the two ops’ exact integers', async () => {
        const backend = await backendWith(variant, threads);
        const random = new Random(5);
        for (const [xShape, channels, outChannels, options] of [
          [[1, 9, 10, 20], 20, 13, { padding: 'same' }],
          [[2, 8, 7, 8], 8, 24, { strides: 2, padding: 'same' }],
          [[1, 5, 5, 3], 3, 5, { dilations: 2, padding: 'same' }],
        ] as const) {
          const input = { scale: 0.05, zeroPoint: random.int(-128, 127) };
          const middle = { scale: 0.04, zeroPoint: -128 };
          const dw = weights(random, 'depthwiseConv2d', [3, 3, channels, 1], input, middle, 'relu6');
          const pw = weights(random, 'pointwiseConv2d', [channels, outChannels], middle, { scale: 0.1, zeroPoint: 7 });
          const x = randomInt8Tensor(random, [...xShape], input);
          const y = backend.quantizedSeparableConv2d(x, dw, pw, options);
          expect(y).toBeInstanceOf(CpuQuantizedTensor);
          await expectSame(y, reference.quantizedSeparableConv2d(x, dw, pw, options));
          y.dispose();
        }
      });
      return;
    }
    it.each(cases)('$name', async (c) => {
      const backend = await backendWith(variant, threads);
      const random = new Random(convCases.indexOf(c) + 11);
      const input = { scale: 0.02, zeroPoint: random.int(-128, 127) };
      const w = weights(random, c.kind, c.filterShape, input, { scale: 0.03, zeroPoint: random.int(-20, 20) }, c.activation);
      const x = randomInt8Tensor(random, c.xShape, input);
      const y = backend[c.op](x, w, c.options);
      await expectSame(y, reference[c.op](x, w, c.options));
      // Again with the weights already packed and x as the backend's own tensor.
      const resident = backend.quantizedReshape(x, x.shape);
      await expectSame(backend[c.op](resident, w, c.options), reference[c.op](x, w, c.options));
    });
  });
});

describe('int8 ops on the CPU backend', () => {
  it('chains convolutions on its own int8 tensors and reads them back', async () => {
    const backend = await backendWith(undefined, 2);
    const random = new Random(3);
    const input = { scale: 1 / 64, zeroPoint: 3 };
    const middle = { scale: 0.05, zeroPoint: -128 };
    const dw = weights(random, 'depthwiseConv2d', [3, 3, 16, 1], input, middle, 'relu6');
    const pw = weights(random, 'pointwiseConv2d', [16, 32], middle, { scale: 0.1, zeroPoint: 0 });
    const xFloat = tensor(
      Float32Array.from({ length: 1 * 12 * 12 * 16 }, () => random.uniform(-1, 1)),
      [1, 12, 12, 16],
    );
    const x = backend.quantize(xFloat, input);
    expect(x).toBeInstanceOf(CpuQuantizedTensor);
    const y = backend.quantizedPointwiseConv2d(backend.quantizedDepthwiseConv2d(x, dw, { padding: 'same' }), pw);
    const xRef = reference.quantize(xFloat, input);
    const yRef = reference.quantizedPointwiseConv2d(reference.quantizedDepthwiseConv2d(xRef, dw, { padding: 'same' }), pw);
    await expectSame(y, yRef);
    expect(await backend.read(backend.dequantize(y))).toEqual(await reference.read(reference.dequantize(yRef)));
  });

  it('runs requantize, add, pools, concat, pad and reshape as the reference does', async () => {
    const backend = await backendWith(undefined, 1);
    const random = new Random(8);
    const p = { scale: 0.1, zeroPoint: -5 };
    const a = randomInt8Tensor(random, [1, 6, 6, 4], p);
    const b = randomInt8Tensor(random, [1, 6, 6, 4], { scale: 0.07, zeroPoint: 9 });
    const out = { scale: 0.15, zeroPoint: 2 };
    const pairs: [QuantizedTensor, QuantizedTensor][] = [
      [backend.requantize(a, out), reference.requantize(a, out)],
      [backend.quantizedAdd(a, b, { output: out, activation: 'relu' }), reference.quantizedAdd(a, b, { output: out, activation: 'relu' })],
      [
        backend.quantizedPool2d(a, { type: 'avg', kernelSize: 3, padding: 'same' }),
        reference.quantizedPool2d(a, { type: 'avg', kernelSize: 3, padding: 'same' }),
      ],
      [
        backend.quantizedPool2d(a, { type: 'max', kernelSize: 2, strides: 2 }),
        reference.quantizedPool2d(a, { type: 'max', kernelSize: 2, strides: 2 }),
      ],
      [backend.quantizedGlobalPool2d(a, { type: 'avg', output: out }), reference.quantizedGlobalPool2d(a, { type: 'avg', output: out })],
      [backend.quantizedConcat([a, a], { axis: -1 }), reference.quantizedConcat([a, a], { axis: -1 })],
      [backend.quantizedPad(a, { top: 1, bottom: 0, left: 2, right: 1 }), reference.quantizedPad(a, { top: 1, bottom: 0, left: 2, right: 1 })],
      [backend.quantizedReshape(a, [36, 4]), reference.quantizedReshape(a, [36, 4])],
    ];
    for (const [actual, expected] of pairs) await expectSame(actual, expected);
  });

  it('gives an empty result of the right shape for an empty batch', async () => {
    const backend = await backendWith(undefined, 1);
    const random = new Random(1);
    const p = { scale: 0.1, zeroPoint: 0 };
    const w = weights(random, 'pointwiseConv2d', [4, 6], p, p);
    const y = backend.quantizedPointwiseConv2d(new HostQuantizedTensor(new Int8Array(0), [0, 3, 3, 4], p), w);
    expect(y.shape).toEqual([0, 3, 3, 6]);
    expect((await backend.readQuantized(y)).data).toEqual(new Int8Array(0));
  });

  it('refuses a disposed int8 tensor and one on another device with typed errors naming op and argument', async () => {
    const backend = await backendWith(undefined, 1);
    const random = new Random(2);
    // A float32 scale: weights keep their scales as float32, and an input's must equal them.
    const p = { scale: 0.125, zeroPoint: 0 };
    const w = weights(random, 'depthwiseConv2d', [3, 3, 4, 1], p, p);
    const x = backend.quantizedReshape(randomInt8Tensor(random, [1, 5, 5, 4], p), [1, 5, 5, 4]);
    x.dispose();
    expect(() => backend.quantizedDepthwiseConv2d(x, w)).toThrow(/quantizedDepthwiseConv2d.*x/);
    const foreign: QuantizedTensor = {
      shape: [1, 5, 5, 4],
      dtype: 'int8',
      quantization: p,
      size: 100,
      location: 'webgpu',
      dispose: () => {},
      isDisposed: false,
    };
    expect(() => backend.quantizedDepthwiseConv2d(foreign, w)).toThrow(/quantizedDepthwiseConv2d: x lives on 'webgpu'/);
  });

  it('forces an int8 variant by name and refuses an unknown one', async () => {
    const name = runnable.find((v) => v.op === 'depthwiseConv2d')!.name;
    const backend = await createCpuBackend({ threads: 1, variant: name });
    backends.push(backend);
    expect(backend.variant).toBe(name);
    await expect(createCpuBackend({ variant: 'dwconv2d-nhwc-nonexistent-qs8-wasmsimd' })).rejects.toThrow(/options\.variant/);
  });
});
