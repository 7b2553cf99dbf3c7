import { ShapeError, tensor, ValueError, type Activation, type Backend, type BinaryOptions, type HostTensor, type Tensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { addCaseInputs, addCases, type AddCase } from './add-cases.js';
import { findMismatches } from './expect-close.js';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';

const reference = createReferenceBackend();

/** The title of the one skipped test a backend without the capability gets. */
export const ADD_NOT_DECLARED = 'add: not run, backend does not declare the optional add capability';

function callAdd(backend: Backend, a: Tensor, b: Tensor, options?: BinaryOptions): Tensor {
  // The probe saw `add`; a backend that drops it afterwards is itself a failure.
  if (typeof backend.add !== 'function') throw new Error(`${backend.name} declared add when probed but has none now`);
  return backend.add(a, b, options);
}

async function referenceAdd(a: HostTensor, b: HostTensor, activation?: Activation): Promise<Float32Array> {
  return reference.read(callAdd(reference, a, b, { activation }));
}

/** |a| + |b|: the scale the rounding of one float32 add grows with. */
function addMagnitude(a: HostTensor, b: HostTensor): Float32Array {
  return a.data.map((v, i) => Math.abs(v) + Math.abs(b.data[i]!));
}

function expectClips(c: AddCase, expected: Float32Array): void {
  // A case that promises ReLU / ReLU6 must really clip, or it tests nothing about them.
  if (c.activation === undefined || c.activation === 'linear') return;
  expect(
    expected.some((v) => v === 0),
    `${c.name}: ${c.activation} never clips at 0`,
  ).toBe(true);
  if (c.activation === 'relu6' && (c.scale ?? 1) > 3)
    expect(
      expected.some((v) => v === 6),
      `${c.name}: relu6 never clips at 6`,
    ).toBe(true);
}

function addTests(getBackend: () => Backend, tolerance: number): void {
  describe('fixed cases', () => {
    for (const c of addCases) {
      it(c.name, async () => {
        const { a, b } = addCaseInputs(c);
        const before = [a.data.slice(), b.data.slice()];
        const expected = await referenceAdd(a, b, c.activation);
        expectClips(c, expected);
        const y = callAdd(getBackend(), a, b, { activation: c.activation });
        expect([...y.shape], 'output shape').toEqual([...c.shape]);
        expect(y.dtype).toBe('float32');
        const actual = await readAndDispose(getBackend(), y);
        expect(findMismatches(actual, expected, addMagnitude(a, b), tolerance), `${c.name}: outputs differ from the reference`).toBeUndefined();
        const unchanged = [a.data, b.data].every((data, k) => data.every((v, i) => Object.is(v, before[k]![i])));
        expect(unchanged, 'the inputs must not be modified').toBe(true);
      });
    }
  });

  describe('special values and edge cases', () => {
    for (const activation of ['linear', 'relu', 'relu6'] as const) {
      it(`NaN and ±Infinity propagate as IEEE says: add ${activation}`, async () => {
        const a = tensor([Number.NaN, 1, Infinity, Infinity, -Infinity, -Infinity, 2, Number.NaN, 3e38, -3e38], [1, 1, 2, 5]);
        const b = tensor([1, Number.NaN, 1, -Infinity, 5, -Infinity, Infinity, Infinity, 3e38, -3e38], [1, 1, 2, 5]);
        const expected = await referenceAdd(a, b, activation);
        expect(expected.some(Number.isNaN), 'the case must produce NaN').toBe(true);
        const actual = await readAndDispose(getBackend(), callAdd(getBackend(), a, b, { activation }));
        // Finite results are compared exactly: one float32 add has one correctly rounded answer.
        expect(findMismatches(actual, expected, new Float32Array(expected.length), 0)).toBeUndefined();
      });
    }

    it('an empty batch gives an empty result of the right shape', async () => {
      const y = callAdd(getBackend(), tensor([], [0, 4, 4, 3]), tensor([], [0, 4, 4, 3]), { activation: 'relu' });
      expect([...y.shape]).toEqual([0, 4, 4, 3]);
      expect((await readAndDispose(getBackend(), y)).length).toBe(0);
    });

    it("a backend's own outputs chain through add (a MobileNetV2 residual, then add of one tensor with itself)", async () => {
      const backend = getBackend();
      const x = tensor(
        Array.from({ length: 6 * 6 * 8 }, (_, i) => Math.sin(i * 0.37) * 2),
        [1, 6, 6, 8],
      );
      const project = tensor(
        Array.from({ length: 8 * 8 }, (_, i) => Math.cos(i * 0.91)),
        [8, 8],
      );
      const depthwise = tensor(
        Array.from({ length: 3 * 3 * 8 }, (_, i) => Math.sin(i * 1.3) * 0.5),
        [3, 3, 8, 1],
      );
      const chain = async (b: Backend): Promise<Float32Array> => {
        const projected = b.pointwiseConv2d(x, project);
        const residual = callAdd(b, projected, x); // device + host
        const doubled = callAdd(b, residual, residual, { activation: 'relu6' }); // device + device, one tensor twice
        const y = b.depthwiseConv2d(doubled, depthwise, { padding: 'same', activation: 'relu' });
        // The inputs of add stay valid after it: read one back.
        const projectedData = await b.read(projected);
        expect(projectedData.length).toBe(x.size);
        for (const t of [projected, residual, doubled]) t.dispose();
        return readAndDispose(b, y);
      };
      const expected = await chain(reference);
      expect(expected.some((v) => v === 0) && expected.some((v) => v > 0), 'the chain must clip some outputs and not all').toBe(true);
      // Magnitude bound: the same chain on |inputs| with no clipping.
      const abs = (t: HostTensor) => tensor(t.data.map(Math.abs), t.shape);
      const magnitudeChain = async (): Promise<Float32Array> => {
        const projected = reference.pointwiseConv2d(abs(x), abs(project));
        const doubled = callAdd(reference, projected, abs(x));
        const twice = callAdd(reference, doubled, doubled);
        return reference.read(reference.depthwiseConv2d(twice, abs(depthwise), { padding: 'same' }));
      };
      const actual = await chain(backend);
      expect(findMismatches(actual, expected, await magnitudeChain(), tolerance)).toBeUndefined();
    });
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    const cases: { name: string; call: (backend: Backend) => unknown; error: typeof ShapeError | typeof ValueError; argument: string }[] = [
      {
        name: 'add: b of another shape',
        call: (bk) => callAdd(bk, tensor(new Array(12).fill(1), [1, 2, 2, 3]), tensor(new Array(12).fill(1), [1, 2, 3, 2])),
        error: ShapeError,
        argument: 'b',
      },
      {
        name: 'add: b of another rank',
        call: (bk) => callAdd(bk, tensor(new Array(12).fill(1), [1, 2, 2, 3]), tensor(new Array(12).fill(1), [4, 3])),
        error: ShapeError,
        argument: 'b',
      },
      {
        name: 'add: b of another batch (2 against 3 does not broadcast)',
        call: (bk) => callAdd(bk, tensor(new Array(24).fill(1), [2, 2, 2, 3]), tensor(new Array(36).fill(1), [3, 2, 2, 3])),
        error: ShapeError,
        argument: 'b',
      },
      {
        name: 'add: an unknown activation',
        call: (bk) => {
          const gelu: unknown = 'gelu';
          return callAdd(bk, tensor([1], [1]), tensor([1], [1]), { activation: gelu as Activation });
        },
        error: ValueError,
        argument: 'options.activation',
      },
    ];
    for (const bad of cases) {
      it(bad.name, () => expectTypedRejection(() => bad.call(getBackend()), bad.error, 'add', bad.argument));
    }
    it('the backend still adds correctly after rejecting bad input', async () => {
      for (const bad of cases) {
        try {
          bad.call(getBackend());
        } catch {
          // expected
        }
      }
      const y = callAdd(getBackend(), tensor([1, 2, 3], [3]), tensor([10, 20, 30], [3]));
      expect(Array.from(await readAndDispose(getBackend(), y))).toEqual([11, 22, 33]);
    });
  });
}

/**
 * The conformance tests of the optional `Backend.add` capability (element-wise add of two
 * equally shaped tensors, then an activation). A backend is probed once, at collection time,
 * with `createBackend()`: with `add` the tests run on `getBackend()`; without it the suite
 * reports one skipped test whose title says why ({@link ADD_NOT_DECLARED}).
 */
export function describeAddConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend, tolerance: number): void {
  // An async describe: vitest awaits it while collecting, so the titles can depend on the probe.
  describe('optional capability: add', async () => {
    let declared: boolean;
    try {
      const probe = await createBackend();
      declared = typeof probe.add === 'function';
      probe.dispose();
    } catch (error) {
      it('add: the backend could not be created to probe its capabilities', () => {
        throw error;
      });
      return;
    }
    if (declared) addTests(getBackend, tolerance);
    else it.skip(ADD_NOT_DECLARED, () => {});
  });
}
