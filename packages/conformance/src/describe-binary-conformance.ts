import { ShapeError, tensor, ValueError, type Activation, type Backend, type BinaryOp, type HostTensor, type Tensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';
import { binaryCaseInputs, binaryCases } from './binary-cases.js';
import { capabilityOf, describeCapability, expectMatchesReference } from './describe-capability.js';
import { findMismatches } from './expect-close.js';

/**
 * Element-wise tolerance, relative to the operands' scale (|a| + |b| for add/sub, |a·b|,
 * |a/b|; plus the suite's 1e-6 absolute floor): 2⁻²⁰ ≈ 9.5e-7, about 8 float32 ulps — room for
 * a GPU's 2.5-ulp division and its `exp` inside sigmoid, far too little for a wrong operand or
 * a broadcast over the wrong axis.
 */
export const ELEMENTWISE_TOLERANCE = 2 ** -20;

const OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div'];

function absolute(t: HostTensor): HostTensor {
  return tensor(t.data.map(Math.abs), t.shape);
}

function binaryTests(op: BinaryOp, getBackend: () => Backend): void {
  const call = (backend: Backend, a: Tensor, b: Tensor, activation?: Activation) => capabilityOf(backend, op)(a, b, { activation });

  describe('broadcasting forms, channel counts and activations', () => {
    for (const c of binaryCases.filter((c) => c.op === op)) {
      it(c.name, async () => {
        const { a, b } = binaryCaseInputs(c);
        await expectMatchesReference(
          getBackend(),
          {
            run: (backend) => call(backend, a, b, c.activation),
            inputs: [a, b],
            tolerance: ELEMENTWISE_TOLERANCE,
            // The scale of the unrounded result: |a| ∘ |b|, with sub's cancellation bounded by |a| + |b|.
            magnitude: (reference) => reference.read(capabilityOf(reference, op === 'sub' ? 'add' : op)(absolute(a), absolute(b))),
          },
          c.name,
        );
      });
    }
  });

  describe('special values and edge cases', () => {
    for (const activation of ['linear', 'relu', 'relu6'] as const) {
      it(`${op}: NaN, ±Infinity and zero divisors follow IEEE, ${activation}`, async () => {
        // 1e30 ∘ 1e30 overflows for mul and stays inside the range where a GPU's division is accurate.
        const a = tensor([Number.NaN, 1, Infinity, Infinity, -Infinity, 0, 2, -3, 1e30, 1], [1, 1, 2, 5]);
        const b = tensor([1, Number.NaN, Infinity, -Infinity, 2, 0, 0, 0, 1e30, -0], [1, 1, 2, 5]);
        const run = (backend: Backend) => call(backend, a, b, activation);
        // Non-finite results must match exactly (findMismatches), finite ones to the usual scale.
        const expected = await expectMatchesReference(getBackend(), { run, inputs: [a, b], tolerance: ELEMENTWISE_TOLERANCE }, `${op} ${activation}`);
        expect(expected.some(Number.isNaN), 'the case must produce NaN').toBe(true);
      });
    }

    it(`${op}: an empty batch against a per-channel vector gives an empty result`, async () => {
      const y = call(getBackend(), tensor([], [0, 4, 4, 3]), tensor([1, 2, 3], [3]), 'relu');
      expect([...y.shape]).toEqual([0, 4, 4, 3]);
      expect((await readAndDispose(getBackend(), y)).length).toBe(0);
    });

    it(`${op}: the backend's own output scaled per image and channel (squeeze-and-excitation), device and host mixed`, async () => {
      const x = tensor(
        Array.from({ length: 2 * 5 * 5 * 8 }, (_, i) => Math.sin(i * 0.37) * 2),
        [2, 5, 5, 8],
      );
      const project = tensor(
        Array.from({ length: 8 * 8 }, (_, i) => Math.cos(i * 0.91)),
        [8, 8],
      );
      const scale = tensor(
        Array.from({ length: 2 * 8 }, (_, i) => 0.5 + Math.abs(Math.sin(i))),
        [2, 1, 1, 8],
      );
      const chain = async (backend: Backend): Promise<Float32Array> => {
        const projected = backend.pointwiseConv2d(x, project);
        const scaled = call(backend, projected, scale); // device ∘ host
        const twice = call(backend, scaled, scaled, 'relu6'); // device ∘ device, one tensor twice
        projected.dispose();
        scaled.dispose();
        return readAndDispose(backend, twice);
      };
      const expected = await chain(createReferenceBackend());
      const actual = await chain(getBackend());
      // The pointwise step's sums are rounded in any order: compare at the conv suite's scale.
      expect(
        findMismatches(
          actual,
          expected,
          expected.map((v) => Math.abs(v) + 8),
          2 ** -16,
        ),
      ).toBeUndefined();
    });
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    it(`${op}: shapes that do not broadcast (3 against 2)`, () =>
      expectTypedRejection(() => call(getBackend(), tensor([1, 2, 3], [3]), tensor([1, 2], [2])), ShapeError, op, 'b'));
    it(`${op}: batch 2 against 3`, () =>
      expectTypedRejection(
        () => call(getBackend(), tensor(new Array(6).fill(1), [2, 1, 1, 3]), tensor(new Array(9).fill(1), [3, 1, 1, 3])),
        ShapeError,
        op,
        'b',
      ));
    it(`${op}: an unknown activation`, () => {
      const gelu: unknown = 'gelu';
      expectTypedRejection(() => call(getBackend(), tensor([1], [1]), tensor([1], [1]), gelu as Activation), ValueError, op, 'options.activation');
    });
  });
}

/**
 * The conformance tests of the optional element-wise `add`, `sub`, `mul` and `div` capabilities
 * with broadcasting, each probed on its own (see `describeCapability`) and compared with the
 * reference at {@link ELEMENTWISE_TOLERANCE}; special values exactly.
 */
export function describeBinaryConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  for (const op of OPS) describeCapability(op, createBackend, () => binaryTests(op, getBackend), `${op} (broadcasting)`);
}
