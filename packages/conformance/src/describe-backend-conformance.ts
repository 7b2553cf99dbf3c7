import { describeInt8VariantConformance, type Int8KernelVariant } from './describe-int8-conv-conformance.js';
import { describeInt8Conformance } from './describe-int8-conformance.js';
import {
  CONV_ACTIVATIONS,
  isHostTensor,
  tensor,
  ValueError,
  zeros,
  type Backend,
  type Conv2dGeometry,
  type KernelVariant,
  type SeparableConv2dGeometry,
} from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badInputCases } from './bad-input-cases.js';
import { describeActivationConformance } from './describe-activation-conformance.js';
import { describeAddConformance } from './describe-add-conformance.js';
import { describeBinaryConformance } from './describe-binary-conformance.js';
import { describeConcatConformance } from './describe-concat-conformance.js';
import { describePadConformance } from './describe-pad-conformance.js';
import { describePoolConformance } from './describe-pool-conformance.js';
import { describeResizeBilinearConformance } from './describe-resize-bilinear-conformance.js';
import { describeReshapeConformance } from './describe-reshape-conformance.js';
import { describeResidualConformance } from './describe-residual-conformance.js';
import { residualCases } from './residual-cases.js';
import { describeScopeConformance, type MemoryProbe } from './describe-scope-conformance.js';
import { describeSoftmaxConformance } from './describe-softmax-conformance.js';
import { absoluteInputs, caseGeometry, caseInputs, runCase, type CaseInputs } from './case-inputs.js';
import type { ConformanceCase } from './conformance-case.js';
import { conformanceCases } from './conformance-cases.js';
import { DEFAULT_TOLERANCE, findMismatches } from './expect-close.js';
import { randomConformanceCases } from './random-cases.js';
import { expectTypedRejection, expectTypedRejectionAsync, readAndDispose } from './backend-test-helpers.js';

/** How the suite asks for a backend: with `variant`, that kernel variant must be forced. */
export type CreateBackend<B extends Backend = Backend> = (options: { variant?: string }) => B | Promise<B>;

export interface ConformanceOptions<B extends Backend = Backend> {
  /**
   * The backend's kernel variants. For each one the suite creates a backend with it forced
   * and runs every case whose op matches and whose geometry `supports()` accepts; a variant
   * no case exercises fails the suite.
   */
  variants?: readonly KernelVariant[];
  /**
   * The backend's int8 convolution variants (`op` the float op whose geometry each runs). For
   * each one the suite creates a backend with it forced (`createBackend({ variant: name })`)
   * and runs every int8 case of that op whose geometry it supports, bit-exact with the reference.
   */
  int8Variants?: readonly Int8KernelVariant[];
  /** Variants this runtime cannot run, reported as skipped with the reason in the title. */
  unavailableVariants?: readonly { name: string; reason: string }[];
  /** Allowed error relative to each output's Σ|x·w| (see DEFAULT_TOLERANCE). */
  tolerance?: number;
  /** Size of the seeded random differential sweep; default 300. */
  randomCases?: number;
  /** Bytes the backend holds for tensors, so the scoped-memory cases check they come back exactly. */
  memory?: MemoryProbe<B>;
}

interface Expected {
  inputs: CaseInputs;
  shape: readonly number[];
  output: Float32Array;
  magnitude: Float32Array;
}

const reference = createReferenceBackend();
const expectedCache = new Map<ConformanceCase, Expected>();

async function expectedFor(c: ConformanceCase): Promise<Expected> {
  let expected = expectedCache.get(c);
  if (!expected) {
    const inputs = caseInputs(c);
    const y = runCase(reference, c, inputs);
    expected = {
      inputs,
      shape: y.shape,
      output: await reference.read(y),
      magnitude: await reference.read(runCase(reference, c, absoluteInputs(inputs), true)),
    };
    expectedCache.set(c, expected);
  }
  return expected;
}

async function checkCase(backend: Backend, c: ConformanceCase, tolerance: number): Promise<void> {
  const { inputs, shape, output, magnitude } = await expectedFor(c);
  const before = inputs.x.data.slice();
  const y = runCase(backend, c, inputs);
  expect([...y.shape], 'output shape').toEqual([...shape]);
  expect(y.dtype).toBe('float32');
  const actual = await readAndDispose(backend, y);
  const mismatch = findMismatches(actual, output, magnitude, tolerance);
  expect(mismatch, `${c.name}: outputs differ from the reference`).toBeUndefined();
  expect(inputs.x.data, 'the input must not be modified').toEqual(before);
}

function activationClips(c: ConformanceCase, output: Float32Array): void {
  // The case list promises ReLU/ReLU6 cases that really clip: verify the data does.
  if (c.op === 'separableConv2d' || c.activation === undefined || c.activation === 'linear') return;
  if (!output.some((v) => v === 0)) throw new Error(`${c.name}: ${c.activation} case never clips at 0`);
  if (c.activation === 'relu6' && (c.scale ?? 1) > 1 && !output.some((v) => v === 6)) {
    throw new Error(`${c.name}: relu6 case never clips at 6`);
  }
}

function variantSupports(variant: KernelVariant, c: ConformanceCase, geometry: Conv2dGeometry | SeparableConv2dGeometry): boolean {
  if (variant.op !== c.op) return false;
  return variant.op === 'separableConv2d' ? variant.supports(geometry as SeparableConv2dGeometry) : variant.supports(geometry as Conv2dGeometry);
}

function withBackend<B extends Backend>(create: () => B | Promise<B>): () => B {
  let backend: B | undefined;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(() => backend?.dispose());
  return () => {
    if (!backend) throw new Error('backend was not created (see the beforeAll error above)');
    return backend;
  };
}

function specialValueTests(getBackend: () => Backend, tolerance: number): void {
  const ops = [
    { op: 'depthwiseConv2d', filterShape: [3, 3, 4, 2] },
    { op: 'pointwiseConv2d', filterShape: [4, 6] },
    { op: 'conv2d', filterShape: [3, 3, 4, 6] },
    { op: 'separableConv2d', filterShape: [3, 3, 4, 1], pointwiseFilterShape: [4, 6] },
  ] as const;
  for (const activation of CONV_ACTIVATIONS) {
    for (const spec of ops) {
      it(`NaN and ±Infinity propagate as IEEE says: ${spec.op} ${activation}`, async () => {
        const c: ConformanceCase = {
          name: `special ${spec.op}`,
          op: spec.op,
          xShape: [1, 6, 6, 4],
          filterShape: spec.filterShape,
          pointwiseFilterShape: 'pointwiseFilterShape' in spec ? spec.pointwiseFilterShape : undefined,
          padding: 'same',
          activation,
          depthwiseActivation: spec.op === 'separableConv2d' ? activation : undefined,
          seed: 7,
        };
        const inputs = caseInputs(c);
        inputs.x.data[(1 * 6 + 1) * 4 + 0] = Number.NaN;
        inputs.x.data[(4 * 6 + 4) * 4 + 1] = Number.POSITIVE_INFINITY;
        inputs.x.data[(0 * 6 + 5) * 4 + 3] = Number.NEGATIVE_INFINITY;
        const expected = await reference.read(runCase(reference, c, inputs));
        expect(expected.some(Number.isNaN), 'the case must produce NaN').toBe(true);
        const finiteInputs = {
          ...inputs,
          x: tensor(
            inputs.x.data.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)),
            inputs.x.shape,
          ),
        };
        const magnitude = await reference.read(runCase(reference, c, { ...absoluteInputs(inputs), x: finiteInputs.x }, true));
        const actual = await readAndDispose(getBackend(), runCase(getBackend(), c, inputs));
        expect(findMismatches(actual, expected, magnitude, tolerance)).toBeUndefined();
      });
    }
  }
}

function contractTests(getBackend: () => Backend, tolerance: number): void {
  describe('bad input is rejected with a typed error naming op and argument', () => {
    for (const bad of badInputCases) {
      it(bad.name, () => expectTypedRejection(() => bad.call(getBackend()), bad.error, bad.names[0], bad.names[1]));
    }
    it('the backend still computes correctly after rejecting bad input', async () => {
      for (const bad of badInputCases) {
        try {
          bad.call(getBackend());
        } catch {
          // expected
        }
      }
      await checkCase(getBackend(), conformanceCases[0]!, tolerance);
    });
  });

  describe('special values and edge cases', () => {
    specialValueTests(getBackend, tolerance);

    for (const [op, filterShape, pointwiseShape] of [
      ['depthwiseConv2d', [3, 3, 4, 2], undefined],
      ['pointwiseConv2d', [4, 6], undefined],
      ['conv2d', [3, 3, 4, 6], undefined],
      ['separableConv2d', [3, 3, 4, 1], [4, 6]],
    ] as const) {
      it(`an empty batch gives an empty result of the right shape: ${op}`, async () => {
        const c: ConformanceCase = {
          name: 'empty',
          op,
          xShape: [0, 5, 5, 4],
          filterShape,
          pointwiseFilterShape: pointwiseShape,
          padding: 'same',
          strides: 2,
          seed: 3,
        };
        const y = runCase(getBackend(), c, caseInputs(c));
        expect([...y.shape]).toEqual([0, 3, 3, op === 'depthwiseConv2d' ? 8 : 6]);
        expect((await readAndDispose(getBackend(), y)).length).toBe(0);
      });
    }

    it("a backend's own output feeds its next op (depthwise then pointwise equals separable)", async () => {
      const backend = getBackend();
      const c: ConformanceCase = {
        name: 'chain',
        op: 'separableConv2d',
        xShape: [1, 9, 9, 8],
        filterShape: [3, 3, 8, 1],
        pointwiseFilterShape: [8, 16],
        padding: 'same',
        depthwiseActivation: 'relu6',
        activation: 'relu',
        scale: 3,
        seed: 11,
      };
      const { inputs, output, magnitude } = await expectedFor(c);
      const intermediate = backend.depthwiseConv2d(inputs.x, inputs.filter, { padding: 'same', activation: 'relu6' });
      const y = backend.pointwiseConv2d(intermediate, inputs.pointwiseFilter!, { activation: 'relu' });
      intermediate.dispose();
      expect(findMismatches(await readAndDispose(backend, y), output, magnitude, tolerance)).toBeUndefined();
    });

    it('a filter reused with new inputs, and a new filter of the same shape, give fresh results', async () => {
      const backend = getBackend();
      const base = conformanceCases.find((c) => c.op === 'pointwiseConv2d' && c.xShape[3] === 32)!;
      for (const seed of [1, 2, 3]) {
        // seeds 1 and 2 share the filter of `base` with new x; seed 3 brings a new filter too.
        const c = { ...base, seed: base.seed + seed * 100 };
        const { inputs, output, magnitude } = await expectedFor(c);
        const filter = seed === 3 ? inputs.filter : (await expectedFor(base)).inputs.filter;
        const expectedOutput =
          seed === 3 ? output : await reference.read(reference.pointwiseConv2d(inputs.x, filter, { bias: inputs.bias, activation: c.activation }));
        const y = backend.pointwiseConv2d(inputs.x, filter, { bias: inputs.bias, activation: c.activation });
        expect(findMismatches(await readAndDispose(backend, y), expectedOutput, magnitude, tolerance * 2)).toBeUndefined();
      }
    });

    // Disposing says "done with it" on every backend alike: ops refuse a disposed tensor, and so does
    // read() — even a host tensor, whose data a backend could still reach, so no backend hides the bug.
    it('read() refuses a disposed tensor, host or its own, with a ValueError naming read and x', async () => {
      const backend = getBackend();
      const host = zeros([1, 2, 2, 3]);
      host.dispose();
      await expectTypedRejectionAsync(() => backend.read(host), ValueError, 'read', 'x');
      const own = backend.pointwiseConv2d(zeros([1, 2, 2, 3]), zeros([3, 4]));
      own.dispose();
      await expectTypedRejectionAsync(() => backend.read(own), ValueError, 'read', 'x');
    });

    it('read() returns a copy that later ops do not change', async () => {
      const backend = getBackend();
      const c = conformanceCases.find((k) => k.op === 'depthwiseConv2d')!;
      const { inputs } = await expectedFor(c);
      const y = runCase(backend, c, inputs);
      const first = await backend.read(y);
      const snapshot = first.slice();
      runCase(backend, c, caseInputs({ ...c, seed: c.seed + 1 })).dispose();
      expect(await backend.read(y)).toEqual(snapshot);
      expect(first).toEqual(snapshot);
      y.dispose();
      if (!isHostTensor(y)) expect(y.isDisposed).toBe(true);
    });
  });
}

/**
 * The conformance suite every backend calls from one of its test files: the fixed cases,
 * a seeded random sweep, bad input, special values and edge cases, each optional capability
 * (add, softmax, reshape and the graph operations) the backend declares, one skipped test for
 * each it does not — all against the float64 reference kernels —
 * then the fixed and random cases again with each kernel variant forced.
 */
export function describeBackendConformance<B extends Backend>(
  label: string,
  createBackend: CreateBackend<B>,
  options: ConformanceOptions<B> = {},
): void {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const randomCases = randomConformanceCases(options.randomCases ?? 300);

  describe(`${label}: conformance (tolerance ${tolerance.toExponential(2)} × Σ|x·w|)`, () => {
    describe('default dispatch', () => {
      const getBackend = withBackend(() => createBackend({}));
      describe('fixed cases', () => {
        for (const c of conformanceCases) {
          it(c.name, async () => {
            const { output } = await expectedFor(c);
            activationClips(c, output);
            await checkCase(getBackend(), c, tolerance);
          });
        }
      });
      describe('random differential sweep', () => {
        for (const c of randomCases) it(c.name, () => checkCase(getBackend(), c, tolerance));
      });
      contractTests(getBackend, tolerance);
      describeResidualConformance(
        () => createBackend({}),
        (c) => checkCase(getBackend(), c, tolerance),
      );
      describeAddConformance(() => createBackend({}), getBackend, tolerance);
      describeSoftmaxConformance(() => createBackend({}), getBackend);
      describeReshapeConformance(() => createBackend({}), getBackend);
      describeBinaryConformance(() => createBackend({}), getBackend);
      describeActivationConformance(() => createBackend({}), getBackend);
      describeConcatConformance(() => createBackend({}), getBackend);
      describePadConformance(() => createBackend({}), getBackend);
      describePoolConformance(() => createBackend({}), getBackend);
      describeResizeBilinearConformance(() => createBackend({}), getBackend);
      describeScopeConformance(getBackend, options.memory);
      describeInt8Conformance(() => createBackend({}), getBackend);
    });

    for (const variant of options.variants ?? []) {
      describe(`variant ${variant.name} (forced)`, () => {
        const getBackend = withBackend(() => createBackend({ variant: variant.name }));
        const supported = [...conformanceCases, ...randomCases, ...residualCases].filter((c) => {
          const inputs = caseInputs(c);
          return variantSupports(variant, c, caseGeometry(c, inputs));
        });
        it(`is exercised by at least one case (${supported.length} cases)`, () => {
          expect(supported.length, `no conformance case has a geometry ${variant.name} supports`).toBeGreaterThan(0);
        });
        for (const c of supported) {
          it(c.name, (context) => {
            // A residual case runs where the backend takes a residual in this op (see describeResidualConformance).
            if (c.residual && !getBackend().residualOps?.includes(c.op)) context.skip(`backend does not list ${c.op} in residualOps`);
            return checkCase(getBackend(), c, tolerance);
          });
        }
      });
    }

    for (const variant of options.int8Variants ?? []) {
      describe(`int8 variant ${variant.name} (forced)`, () => {
        describeInt8VariantConformance(
          variant,
          withBackend(() => createBackend({ variant: variant.name })),
        );
      });
    }

    for (const { name, reason } of options.unavailableVariants ?? []) {
      it.skip(`variant ${name}: not run here, ${reason}`, () => {});
    }
  });
}
