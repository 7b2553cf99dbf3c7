import {
  BackendError,
  canPrepareWeights,
  HostTensor,
  randomUniform,
  ShapeError,
  UnsupportedError,
  ValueError,
  type KernelCall,
} from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend, type CpuBackend } from '../src/index.js';

const backend = await createCpuBackend({ threads: 1 });
afterAll(() => backend.dispose());

const x = randomUniform([1, 9, 9, 8], 1);
/** An input of `x`'s shape with batch 0: what `prepareWeights` is given by mobilenet. */
const empty = new HostTensor(new Float32Array(0), [0, 9, 9, 8]);

/** Fresh weights for each call (packings are cached per filter), each a call of one op and geometry. */
function calls(seed: number): KernelCall[] {
  const depthwise = randomUniform([3, 3, 8, 1], seed);
  const bias = randomUniform([8], seed + 1);
  const pointwise = randomUniform([8, 12], seed + 2);
  const pointwiseBias = randomUniform([12], seed + 3);
  return [
    { op: 'depthwiseConv2d', x, filter: depthwise, options: { padding: 'same', bias, activation: 'relu6' } },
    { op: 'depthwiseConv2d', x, filter: randomUniform([5, 5, 8, 2], seed + 4), options: { strides: 2, padding: 'same' } },
    { op: 'pointwiseConv2d', x, filter: pointwise, options: { bias: pointwiseBias, activation: 'relu' } },
    { op: 'pointwiseConv2d', x, filter: randomUniform([8, 4], seed + 5), options: { strides: 2 } },
    {
      op: 'conv2d',
      x,
      filter: randomUniform([3, 3, 8, 40], seed + 6),
      options: { strides: 2, padding: 'same', bias: randomUniform([40], seed + 7) },
    },
    { op: 'conv2d', x, filter: randomUniform([1, 1, 8, 16], seed + 8) },
    {
      op: 'separableConv2d',
      x,
      depthwiseFilter: depthwise,
      pointwiseFilter: pointwise,
      options: { padding: 'same', depthwiseBias: bias, bias: pointwiseBias, depthwiseActivation: 'relu6' },
    },
    // Few input channels, many output channels: the narrow-K GEMM row (interleaving scratch) runs it.
    {
      op: 'pointwiseConv2d',
      x,
      filter: randomUniform([8, 40], seed + 9),
      options: { bias: randomUniform([40], seed + 10), activation: 'hardSwish' },
    },
  ];
}

function run(on: CpuBackend, call: KernelCall, variant?: string) {
  const options = { ...call.options, ...(variant === undefined ? {} : { variant }) };
  return call.op === 'separableConv2d'
    ? on.separableConv2d(call.x, call.depthwiseFilter, call.pointwiseFilter, options)
    : on[call.op](call.x, call.filter, options);
}

const withX = (call: KernelCall, input: HostTensor, variant?: string): KernelCall =>
  ({ ...call, x: input, options: { ...call.options, ...(variant === undefined ? {} : { variant }) } }) as KernelCall;

describe('CpuBackend.prepareWeights', () => {
  it('is the WeightPreparingBackend capability', () => {
    expect(canPrepareWeights(backend)).toBe(true);
  });

  it('packs, for every variant of every op, what the first call would pack: that call then packs nothing', () => {
    const count = calls(0).length;
    let seed = 10;
    for (let i = 0; i < count; i++) {
      for (const variant of backend.kernelVariants(calls(0)[i]!)) {
        const prepared = withX(calls((seed += 20))[i]!, empty, variant);
        const before = backend.packings;
        backend.prepareWeights(prepared);
        const packedByPrepare = backend.packings - before;
        run(backend, withX(prepared, x, variant)).dispose();
        expect(backend.packings - before, `${variant}: packed in its call after prepareWeights`).toBe(packedByPrepare);
        // The same call with weights never prepared packs as often in its first call: prepare did all of it.
        const fresh = backend.packings;
        run(backend, withX(calls((seed += 20))[i]!, x, variant)).dispose();
        expect(backend.packings - fresh, variant).toBe(packedByPrepare);
      }
    }
  });

  it('gives the results of unprepared weights', async () => {
    for (const call of calls(100)) {
      const expected = await backend.read(run(backend, call));
      const own = await createCpuBackend({ threads: 1 });
      try {
        own.prepareWeights(withX(call, empty));
        const packings = own.packings;
        expect(await own.read(run(own, call))).toEqual(expected);
        expect(own.packings).toBe(packings);
      } finally {
        own.dispose();
      }
    }
  });

  it("reserves each kernel's scratch, so that a first call after it allocates nothing that stays", async () => {
    for (const call of calls(150)) {
      for (const variant of backend.kernelVariants(call)) {
        const own = await createCpuBackend({ threads: 1 });
        try {
          own.prepareWeights(withX(call, empty, variant));
          const prepared = own.allocatedBytes;
          const y = run(own, withX(call, x, variant));
          await own.read(y);
          y.dispose();
          expect(own.allocatedBytes, variant).toBe(prepared);
        } finally {
          own.dispose();
        }
      }
    }
  });

  it('is a cache hit the second time, and releaseWeights frees the packing so the next call packs again', () => {
    const call = calls(200)[2]!;
    const before = backend.allocatedBytes;
    backend.prepareWeights(call);
    const packings = backend.packings;
    const packed = backend.allocatedBytes;
    expect(packed).toBeGreaterThan(before);
    backend.prepareWeights(call);
    expect(backend.packings).toBe(packings);
    if (call.op === 'separableConv2d') throw new Error('a convolution call');
    backend.releaseWeights(call.filter);
    expect(backend.allocatedBytes).toBe(before);
    backend.releaseWeights(call.filter); // idempotent
    backend.releaseWeights(randomUniform([4], 1)); // never prepared: a no-op
    run(backend, call).dispose();
    expect(backend.packings).toBe(packings + 1);
  });

  it('refuses what the call itself would refuse, naming the op and argument', async () => {
    expect(() => backend.prepareWeights(null as unknown as KernelCall)).toThrow(ValueError);
    expect(() => backend.prepareWeights(null as unknown as KernelCall)).toThrow(/prepareWeights/);
    const [depthwise] = calls(300);
    expect(() => backend.prepareWeights({ ...depthwise!, filter: randomUniform([3, 3, 4, 1], 1) } as KernelCall)).toThrow(ShapeError);
    expect(() => backend.prepareWeights(withX(depthwise!, x, 'no-such-variant'))).toThrow(/options\.variant/);
    expect(() => backend.prepareWeights(withX(depthwise!, x, 'no-such-variant'))).toThrow(ValueError);
    const pointwiseRow = backend.kernelVariants(calls(300)[2]!)[0]!;
    expect(() => backend.prepareWeights(withX(depthwise!, x, pointwiseRow))).toThrow(UnsupportedError);
    const own = await createCpuBackend({ threads: 1 });
    own.dispose();
    expect(() => own.prepareWeights(depthwise!)).toThrow(BackendError);
  });
});
