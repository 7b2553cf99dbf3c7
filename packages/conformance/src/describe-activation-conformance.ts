import { ACTIVATIONS, tensor, ValueError, type Activation, type Backend, type Tensor } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { activationCaseInput, activationCases } from './activation-cases.js';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';
import { ELEMENTWISE_TOLERANCE } from './describe-binary-conformance.js';
import { capabilityOf, describeCapability, expectMatchesReference } from './describe-capability.js';

function activationTests(getBackend: () => Backend): void {
  const call = (backend: Backend, x: Tensor, activation: Activation) => capabilityOf(backend, 'activation')(x, activation);

  describe('activations, channel counts and shapes', () => {
    for (const c of activationCases) {
      it(c.name, async () => {
        const x = activationCaseInput(c);
        // The scale of the error: |x| (a float32 exp inside sigmoid errs relative to its output ≤ 1).
        const magnitude = async () => x.data.map(Math.abs);
        await expectMatchesReference(
          getBackend(),
          { run: (b) => call(b, x, c.activation), inputs: [x], tolerance: ELEMENTWISE_TOLERANCE, magnitude },
          c.name,
        );
      });
    }
  });

  describe('special values and edge cases', () => {
    for (const activation of ACTIVATIONS) {
      it(`activation ${activation}: NaN stays NaN, ±Infinity follow the formula`, async () => {
        const x = tensor([Number.NaN, Infinity, -Infinity, 0, -0, 3, -3, 6], [2, 4]);
        const expected = await expectMatchesReference(
          getBackend(),
          { run: (b) => call(b, x, activation), inputs: [x], tolerance: ELEMENTWISE_TOLERANCE },
          activation,
        );
        expect(Number.isNaN(expected[0]), 'NaN propagates').toBe(true);
      });
    }

    it('activation: an empty batch gives an empty result', async () => {
      const y = call(getBackend(), tensor([], [0, 3, 3, 5]), 'hardSwish');
      expect([...y.shape]).toEqual([0, 3, 3, 5]);
      expect((await readAndDispose(getBackend(), y)).length).toBe(0);
    });

    it("activation: runs on the backend's own output (hard-swish after a depthwise step)", async () => {
      const x = tensor(
        Array.from({ length: 6 * 6 * 8 }, (_, i) => Math.sin(i * 0.37) * 4),
        [1, 6, 6, 8],
      );
      const filter = tensor(
        Array.from({ length: 3 * 3 * 8 }, (_, i) => Math.cos(i * 1.3)),
        [3, 3, 8, 1],
      );
      const run = (backend: Backend) => {
        const depthwise = backend.depthwiseConv2d(x, filter, { padding: 'same' });
        const y = call(backend, depthwise, 'hardSwish');
        depthwise.dispose();
        return y;
      };
      // The depthwise sums are rounded in any order: the conv suite's tolerance on a magnitude bound.
      await expectMatchesReference(
        getBackend(),
        { run, inputs: [x, filter], tolerance: 2 ** -16, magnitude: async () => new Float32Array(6 * 6 * 8).fill(9 * 4) },
        'chain',
      );
    });
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    it('activation: an unknown activation', () => {
      const gelu: unknown = 'gelu';
      expectTypedRejection(() => call(getBackend(), tensor([1], [1]), gelu as Activation), ValueError, 'activation', 'activation');
    });
    it('activation: a missing activation', () => {
      const missing: unknown = undefined;
      expectTypedRejection(() => call(getBackend(), tensor([1], [1]), missing as Activation), ValueError, 'activation', 'activation');
    });
  });
}

/**
 * The conformance tests of the optional `activation` capability (`sigmoid`, `hardSigmoid`,
 * `hardSwish` and the clamps, element-wise), compared with the reference at the element-wise
 * tolerance relative to |x|; probed like every capability.
 */
export function describeActivationConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describeCapability('activation', createBackend, () => activationTests(getBackend));
}
