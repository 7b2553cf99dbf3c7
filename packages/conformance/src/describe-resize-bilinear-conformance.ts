import { ShapeError, tensor, ValueError, type Backend } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';
import { capabilityOf, describeCapability, expectMatchesReference } from './describe-capability.js';
import { resizeBilinearCaseInput, resizeBilinearCases } from './resize-bilinear-cases.js';

/**
 * Resize tolerance relative to the largest |x| (plus the suite's 1e-6 floor): 2⁻¹⁸ ≈ 3.8e-6.
 * A float32 kernel computes each source coordinate `(o + 0.5)·scale − 0.5` with an error of
 * about an ulp of the input size (≤ 14 here), which moves the blend weights by ~1e-6; a wrong
 * row, column, edge clamp or mode moves them by at least 1/(2·size).
 */
export const RESIZE_TOLERANCE = 2 ** -18;

function resizeTests(getBackend: () => Backend): void {
  const resize = (backend: Backend) => capabilityOf(backend, 'resizeBilinear');
  for (const c of resizeBilinearCases) {
    it(c.name, async () => {
      const x = resizeBilinearCaseInput(c);
      const size = c.shape[0] * c.size[0] * c.size[1] * c.shape[3];
      await expectMatchesReference(
        getBackend(),
        {
          run: (b) => resize(b)(x, c.size, c.options),
          inputs: [x],
          tolerance: RESIZE_TOLERANCE,
          magnitude: async () => new Float32Array(size).fill(1),
        },
        c.name,
      );
    });
  }

  it('resizeBilinear: 2×2 → 4×4 half-pixel gives the values worked out by hand', async () => {
    const y = resize(getBackend())(tensor([0, 1, 2, 3], [1, 2, 2, 1]), [4, 4]);
    expect(Array.from(await readAndDispose(getBackend(), y))).toEqual([
      0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3,
    ]);
  });

  it('resizeBilinear: NaN spreads to the outputs that blend it, infinities follow IEEE', async () => {
    const x = tensor([Number.NaN, 1, 2, 3, 4, 5, 6, 7, Infinity], [1, 3, 3, 1]);
    await expectMatchesReference(getBackend(), { run: (b) => resize(b)(x, [5, 5]), inputs: [x], tolerance: RESIZE_TOLERANCE }, 'special');
  });

  it('resizeBilinear: an empty batch gives an empty result', async () => {
    const y = resize(getBackend())(tensor([], [0, 3, 3, 2]), [6, 6]);
    expect([...y.shape]).toEqual([0, 6, 6, 2]);
    expect((await readAndDispose(getBackend(), y)).length).toBe(0);
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    it('resizeBilinear: a zero output size', () => expectTypedRejection(() => resize(getBackend())(x, [0, 4]), ValueError, 'resizeBilinear', 'size'));
    it('resizeBilinear: alignCorners with halfPixelCenters', () =>
      expectTypedRejection(
        () => resize(getBackend())(x, [4, 4], { alignCorners: true, halfPixelCenters: true }),
        ValueError,
        'resizeBilinear',
        'options.halfPixelCenters',
      ));
    it('resizeBilinear: x that is not NHWC', () =>
      expectTypedRejection(() => resize(getBackend())(tensor([1, 2], [2]), [4, 4]), ShapeError, 'resizeBilinear', 'x'));
  });
}

/**
 * The conformance tests of the optional `resizeBilinear` capability (TensorFlow's
 * `resize_bilinear`: half-pixel centres by default, align-corners, legacy), compared with the
 * reference at {@link RESIZE_TOLERANCE} of the input's scale.
 */
export function describeResizeBilinearConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describeCapability('resizeBilinear', createBackend, () => resizeTests(getBackend));
}
