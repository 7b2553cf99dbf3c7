import { ShapeError, tensor, ValueError, type Backend, type GlobalPool2dOptions, type HostTensor, type Pool2dOptions } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';
import { ELEMENTWISE_TOLERANCE } from './describe-binary-conformance.js';
import { capabilityOf, describeCapability, expectMatchesReference } from './describe-capability.js';
import { globalPool2dCases, pool2dCases, poolCaseInput } from './pool-cases.js';

function absolute(t: HostTensor): HostTensor {
  return tensor(t.data.map(Math.abs), t.shape);
}

/** Max is exact (it picks a value); an average is compared relative to the mean of |x| over its window. */
function tolerance(type: 'avg' | 'max'): number {
  return type === 'max' ? 0 : ELEMENTWISE_TOLERANCE;
}

function pool2dTests(getBackend: () => Backend): void {
  const pool2d = (backend: Backend) => capabilityOf(backend, 'pool2d');
  for (const c of pool2dCases) {
    it(c.name, async () => {
      const x = poolCaseInput(c);
      const options: Pool2dOptions = { type: c.type, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding };
      await expectMatchesReference(
        getBackend(),
        {
          run: (b) => pool2d(b)(x, options),
          inputs: [x],
          tolerance: tolerance(c.type),
          magnitude: (reference) => reference.read(pool2d(reference)(absolute(x), { ...options, type: 'avg' })),
        },
        c.name,
      );
    });
  }

  it("pool2d: a 'same' average divides corner windows by the cells inside the input", async () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = pool2d(getBackend())(x, { type: 'avg', kernelSize: 3, strides: 1, padding: 'same' });
    expect(Array.from(await readAndDispose(getBackend(), y))).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  });

  for (const type of ['avg', 'max'] as const) {
    it(`pool2d ${type}: NaN in a window makes it NaN, infinities follow IEEE`, async () => {
      const x = tensor([Number.NaN, 1, 2, 3, Infinity, 4, -Infinity, 5, 6], [1, 3, 3, 1]);
      const run = (b: Backend) => pool2d(b)(x, { type, kernelSize: 2, strides: 1, padding: 'valid' });
      await expectMatchesReference(getBackend(), { run, inputs: [x], tolerance: tolerance(type) }, type);
    });
  }

  it('pool2d: an empty batch gives an empty result', async () => {
    const y = pool2d(getBackend())(tensor([], [0, 4, 4, 3]), { type: 'max', kernelSize: 2 });
    expect([...y.shape]).toEqual([0, 2, 2, 3]);
    expect((await readAndDispose(getBackend(), y)).length).toBe(0);
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    const x = tensor(new Array(9).fill(1), [1, 3, 3, 1]);
    it('pool2d: a window larger than the padded input', () =>
      expectTypedRejection(() => pool2d(getBackend())(x, { type: 'avg', kernelSize: 4 }), ShapeError, 'pool2d', 'options.kernelSize'));
    it('pool2d: an unknown type', () => {
      const sum: unknown = 'sum';
      expectTypedRejection(() => pool2d(getBackend())(x, { type: sum as 'avg', kernelSize: 2 }), ValueError, 'pool2d', 'options.type');
    });
    it('pool2d: explicit padding as wide as the window', () =>
      expectTypedRejection(
        () => pool2d(getBackend())(x, { type: 'max', kernelSize: 2, padding: { top: 2, bottom: 0, left: 0, right: 0 } }),
        ValueError,
        'pool2d',
        'options.padding',
      ));
    it('pool2d: a zero stride', () =>
      expectTypedRejection(() => pool2d(getBackend())(x, { type: 'max', kernelSize: 2, strides: 0 }), ValueError, 'pool2d', 'options.strides'));
  });
}

function globalPool2dTests(getBackend: () => Backend): void {
  const globalPool2d = (backend: Backend) => capabilityOf(backend, 'globalPool2d');
  for (const c of globalPool2dCases) {
    it(c.name, async () => {
      const x = poolCaseInput(c);
      const options: GlobalPool2dOptions = { type: c.type };
      await expectMatchesReference(
        getBackend(),
        {
          run: (b) => globalPool2d(b)(x, options),
          inputs: [x],
          tolerance: tolerance(c.type),
          magnitude: (reference) => reference.read(globalPool2d(reference)(absolute(x), { type: 'avg' })),
        },
        c.name,
      );
    });
  }

  it("globalPool2d: squeeze-and-excitation's squeeze of the backend's own output, then the channel scale", async () => {
    const x = tensor(
      Array.from({ length: 2 * 5 * 5 * 8 }, (_, i) => Math.sin(i * 0.37) * 2),
      [2, 5, 5, 8],
    );
    const run = (backend: Backend) => {
      const activated = backend.depthwiseConv2d(x, tensor(new Array(8).fill(1), [1, 1, 8, 1]), { activation: 'relu' });
      const squeezed = globalPool2d(backend)(activated, { type: 'avg' });
      activated.dispose();
      return squeezed;
    };
    await expectMatchesReference(
      getBackend(),
      { run, inputs: [x], tolerance: ELEMENTWISE_TOLERANCE, magnitude: async () => new Float32Array(16).fill(2) },
      'squeeze',
    );
  });

  it('globalPool2d: NaN in an image-channel makes it NaN and leaves the others alone', async () => {
    const x = tensor([Number.NaN, 1, 2, 3, 4, 5, 6, -Infinity], [1, 2, 2, 2]);
    for (const type of ['avg', 'max'] as const) {
      await expectMatchesReference(getBackend(), { run: (b) => globalPool2d(b)(x, { type }), inputs: [x], tolerance: tolerance(type) }, type);
    }
  });

  it('globalPool2d: an empty batch gives an empty result', async () => {
    const y = globalPool2d(getBackend())(tensor([], [0, 7, 7, 3]), { type: 'avg' });
    expect([...y.shape]).toEqual([0, 1, 1, 3]);
    expect((await readAndDispose(getBackend(), y)).length).toBe(0);
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    it('globalPool2d: x that is not NHWC', () =>
      expectTypedRejection(() => globalPool2d(getBackend())(tensor([1, 2], [1, 2]), { type: 'avg' }), ShapeError, 'globalPool2d', 'x'));
    it('globalPool2d: an unknown type', () => {
      const missing: unknown = {};
      expectTypedRejection(
        () => globalPool2d(getBackend())(tensor([1], [1, 1, 1, 1]), missing as GlobalPool2dOptions),
        ValueError,
        'globalPool2d',
        'options.type',
      );
    });
  });
}

/**
 * The conformance tests of the optional `pool2d` and `globalPool2d` capabilities (TensorFlow
 * semantics: padded cells excluded from an average's divisor, ignored by max): max bit for bit,
 * average at the element-wise tolerance relative to the window's mean |x|; probed one by one.
 */
export function describePoolConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describeCapability('pool2d', createBackend, () => pool2dTests(getBackend));
  describeCapability('globalPool2d', createBackend, () => globalPool2dTests(getBackend));
}
