import type { Backend, HostQuantizedTensor, QuantizedTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { expect } from 'vitest';

const reference = createReferenceBackend();

/** Reads an int8 tensor of `backend` to the host and releases it. */
export async function readInt8AndDispose(backend: Backend, t: QuantizedTensor): Promise<HostQuantizedTensor> {
  if (typeof backend.readQuantized !== 'function') throw new Error(`${backend.name} declares int8 capabilities but has no readQuantized`);
  const host = await backend.readQuantized(t);
  t.dispose();
  return host;
}

/** What one int8 comparison needs: the call, and the host inputs it must leave alone. */
export interface Int8Comparison {
  readonly run: (backend: Backend) => QuantizedTensor;
  readonly inputs: readonly { readonly data: ArrayLike<number> }[];
}

/**
 * Runs `run` on `backend` and on the reference backend: the results must have the same shape and
 * quantization and the same int8 values — equal, not close — and the host inputs must come back
 * unmodified. Returns the reference's result.
 */
export async function expectInt8MatchesReference(backend: Backend, comparison: Int8Comparison, label: string): Promise<HostQuantizedTensor> {
  const before = comparison.inputs.map((t) => Array.from(t.data));
  const expected = await readInt8AndDispose(reference, comparison.run(reference));
  const y = comparison.run(backend);
  expect(y.dtype, `${label}: dtype`).toBe('int8');
  expect([...y.shape], `${label}: output shape`).toEqual([...expected.shape]);
  expect({ ...y.quantization }, `${label}: output quantization`).toEqual({ ...expected.quantization });
  const actual = await readInt8AndDispose(backend, y);
  expect([...actual.shape], `${label}: read shape`).toEqual([...expected.shape]);
  expect(actual.data, `${label}: int8 values differ from the reference`).toEqual(expected.data);
  const unchanged = comparison.inputs.every((t, k) => Array.from(t.data).every((v, i) => Object.is(v, before[k]![i])));
  expect(unchanged, `${label}: the inputs must not be modified`).toBe(true);
  return expected;
}

/** The reference backend the int8 suites compare with. */
export function int8Reference(): Backend {
  return reference;
}
