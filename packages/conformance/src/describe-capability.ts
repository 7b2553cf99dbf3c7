import type { Backend, CapabilityName, QuantizedCapabilitySignatures, Tensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { readAndDispose } from './backend-test-helpers.js';
import { findMismatches } from './expect-close.js';

/** The graph operations' capabilities, each with its own conformance suite. */
export type GraphCapability = Extract<
  CapabilityName,
  'add' | 'sub' | 'mul' | 'div' | 'activation' | 'concat' | 'pad' | 'pool2d' | 'globalPool2d' | 'resizeBilinear'
>;

/** The int8 capabilities, each with its own conformance suite (see `describeInt8Conformance`). */
export type Int8Capability = keyof QuantizedCapabilitySignatures<Tensor>;

/** A capability whose suite runs only on a backend that declares it. */
export type ProbedCapability = GraphCapability | Int8Capability;

/** The title of the one skipped test a backend without `capability` gets. */
export function notDeclaredTitle(capability: ProbedCapability): string {
  return `${capability}: not run, backend does not declare the optional ${capability} capability`;
}

/** `backend[capability]`, bound; a backend that dropped it after the probe is itself a failure. */
export function capabilityOf<C extends ProbedCapability>(backend: Backend, capability: C): NonNullable<Backend[C]> {
  const method = backend[capability];
  if (typeof method !== 'function') throw new Error(`${backend.name} declared ${capability} when probed but has none now`);
  return method.bind(backend) as NonNullable<Backend[C]>;
}

/**
 * Probes `createBackend()` once, at collection time, for `capability`: with it, `tests()` runs
 * inside `describe('optional capability: <title>')` (title default `capability`); without it, one skipped test whose
 * title says why ({@link notDeclaredTitle}).
 */
export function describeCapability(
  capability: ProbedCapability,
  createBackend: () => Backend | Promise<Backend>,
  tests: () => void,
  title: string = capability,
): void {
  // An async describe: vitest awaits it while collecting, so the titles can depend on the probe.
  describe(`optional capability: ${title}`, async () => {
    let declared: boolean;
    try {
      const probe = await createBackend();
      declared = typeof probe[capability] === 'function';
      probe.dispose();
    } catch (error) {
      it(`${capability}: the backend could not be created to probe its capabilities`, () => {
        throw error;
      });
      return;
    }
    if (declared) tests();
    else it.skip(notDeclaredTitle(capability), () => {});
  });
}

const reference = createReferenceBackend();

/** What one comparison with the reference needs: the call, the host inputs it must leave alone, the tolerance. */
export interface ReferenceComparison {
  readonly run: (backend: Backend) => Tensor;
  readonly inputs: readonly { readonly data: Float32Array }[];
  /** 0 for ops that only move values (bit-exact); otherwise relative to `magnitude`. */
  readonly tolerance: number;
  /** Per output element, the scale its rounding error grows with (see `findMismatches`); default |expected|. */
  readonly magnitude?: (reference: Backend) => Promise<Float32Array>;
}

/**
 * Runs `run` on `backend` and on the reference and compares shape and values; the host inputs
 * must come back unmodified. Returns the reference's output for further checks.
 */
export async function expectMatchesReference(backend: Backend, comparison: ReferenceComparison, label: string): Promise<Float32Array> {
  const before = comparison.inputs.map((t) => t.data.slice());
  const expectedTensor = comparison.run(reference);
  const expected = await reference.read(expectedTensor);
  const y = comparison.run(backend);
  expect([...y.shape], `${label}: output shape`).toEqual([...expectedTensor.shape]);
  expect(y.dtype).toBe('float32');
  const actual = await readAndDispose(backend, y);
  const magnitude = comparison.magnitude ? await comparison.magnitude(reference) : expected.map(Math.abs);
  expect(findMismatches(actual, expected, magnitude, comparison.tolerance), `${label}: outputs differ from the reference`).toBeUndefined();
  const unchanged = comparison.inputs.every((t, k) => t.data.every((v, i) => Object.is(v, before[k]![i])));
  expect(unchanged, `${label}: the inputs must not be modified`).toBe(true);
  return expected;
}
