import { ShapeError, tensor, type Backend, type Tensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { findMismatches } from './expect-close.js';
import { softmaxCaseInput, softmaxCases, softmaxNonFiniteCases } from './softmax-cases.js';
import { readAndDispose } from './backend-test-helpers.js';

const reference = createReferenceBackend();

/** The title of the one skipped test a backend without the capability gets. */
export const SOFTMAX_NOT_DECLARED = 'softmax: not run, backend does not declare the optional softmax capability';

/**
 * Softmax tolerance, relative to each expected probability (plus the suite's 1e-6 absolute
 * floor): 2⁻¹² ≈ 2.4e-4. A float32 `exp` is allowed a few ulps per call and WGSL's `exp` a few
 * more that grow with |x − max| (≤ ~40 here); a float32 sum over 1000 terms adds ~1000 ulps in
 * the worst order. 2⁻¹² covers both with margin and still catches a wrong row, a missing
 * max subtraction (overflow → NaN/0) or a sum over the wrong axis.
 */
export const SOFTMAX_TOLERANCE = 2 ** -12;

function callSoftmax(backend: Backend, x: Tensor): Tensor {
  if (typeof backend.softmax !== 'function') throw new Error(`${backend.name} declared softmax when probed but has none now`);
  return backend.softmax(x);
}

function softmaxTests(getBackend: () => Backend): void {
  for (const c of softmaxCases) {
    it(c.name, async () => {
      const x = softmaxCaseInput(c);
      const before = x.data.slice();
      const expected = await reference.read(callSoftmax(reference, x));
      expect(expected.every(Number.isFinite), 'the reference must be finite').toBe(true);
      const y = callSoftmax(getBackend(), x);
      expect([...y.shape], 'output shape').toEqual([...c.shape]);
      const actual = await readAndDispose(getBackend(), y);
      expect(findMismatches(actual, expected, expected, SOFTMAX_TOLERANCE), `${c.name}: outputs differ from the reference`).toBeUndefined();
      expect(
        x.data.every((v, i) => Object.is(v, before[i])),
        'the input must not be modified',
      ).toBe(true);
    });
  }

  it('softmax: a NaN makes its row NaN and leaves the other rows alone', async () => {
    const x = tensor([0, Number.NaN, 1, 2, 1, 2, 3, 4], [2, 4]);
    const actual = await readAndDispose(getBackend(), callSoftmax(getBackend(), x));
    expect(Array.from(actual.subarray(0, 4)).every(Number.isNaN), 'row 0 is NaN').toBe(true);
    const expected = await reference.read(callSoftmax(reference, x));
    expect(findMismatches(actual.subarray(4), expected.subarray(4), expected.subarray(4), SOFTMAX_TOLERANCE)).toBeUndefined();
  });

  for (const c of softmaxNonFiniteCases) {
    it(`softmax non-finite contract: ${c.name}`, async () => {
      // A finite row below it must come out as the reference has it, whatever the first row holds.
      const x = tensor([...c.row, 1, 2, 3], [2, 3]);
      const expected = new Float32Array([...c.expected, ...(await reference.read(callSoftmax(reference, tensor([1, 2, 3], [1, 3]))))]);
      const actual = await readAndDispose(getBackend(), callSoftmax(getBackend(), x));
      expect(findMismatches(actual, expected, expected, SOFTMAX_TOLERANCE), `got [${Array.from(actual.subarray(0, 3)).join(', ')}]`).toBeUndefined();
    });
  }

  it('softmax: a scalar is rejected with a ShapeError naming softmax and x', () => {
    let thrown: unknown;
    try {
      callSoftmax(getBackend(), tensor([1], []));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ShapeError);
    expect(thrown).toMatchObject({ op: 'softmax', argument: 'x' });
  });

  it("softmax: runs on the backend's own output (a pointwise classifier head)", async () => {
    const backend = getBackend();
    const features = tensor(
      Array.from({ length: 2 * 16 }, (_, i) => Math.sin(i * 0.7)),
      [2, 1, 1, 16],
    );
    const weights = tensor(
      Array.from({ length: 16 * 10 }, (_, i) => Math.cos(i * 0.31) * 2),
      [16, 10],
    );
    const run = async (b: Backend): Promise<Float32Array> => {
      const logits = b.pointwiseConv2d(features, weights);
      const y = callSoftmax(b, logits);
      logits.dispose();
      return readAndDispose(b, y);
    };
    const expected = await run(reference);
    expect(findMismatches(await run(backend), expected, expected, SOFTMAX_TOLERANCE)).toBeUndefined();
  });
}

/**
 * The conformance tests of the optional `Backend.softmax` capability (softmax over the last
 * axis), compared with the reference at {@link SOFTMAX_TOLERANCE}. Probed like add: with
 * `softmax` the tests run on `getBackend()`; without it one skipped test says why.
 */
export function describeSoftmaxConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describe('optional capability: softmax', async () => {
    let declared: boolean;
    try {
      const probe = await createBackend();
      declared = typeof probe.softmax === 'function';
      probe.dispose();
    } catch (error) {
      it('softmax: the backend could not be created to probe its capabilities', () => {
        throw error;
      });
      return;
    }
    if (declared) softmaxTests(getBackend);
    else it.skip(SOFTMAX_NOT_DECLARED, () => {});
  });
}
