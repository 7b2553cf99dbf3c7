import type { Backend, SepconvError, Tensor } from '@sepconv/tensor';
import { expect } from 'vitest';

/** Reads a backend tensor to the host and releases it (device memory stays flat over a suite). */
export async function readAndDispose(backend: Backend, t: Tensor): Promise<Float32Array> {
  const data = await backend.read(t);
  t.dispose();
  return data;
}

/**
 * Asserts that `call` throws `errorClass` whose message starts with `op:` and names
 * `argument` (without its `options.` prefix), and whose `argument` field is `argument`.
 */
export function expectTypedRejection(call: () => unknown, errorClass: new (...args: never[]) => SepconvError, op: string, argument: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'the call must throw').toBeInstanceOf(errorClass);
  const message = (thrown as Error).message;
  expect(message.startsWith(`${op}:`), `message names the op: ${message}`).toBe(true);
  expect(message, 'message names the argument').toContain(argument.replace(/^options\./, ''));
  expect((thrown as { argument: string }).argument).toBe(argument);
}

/** {@link expectTypedRejection} for an async call: its promise must reject (or the call throw) that way. */
export async function expectTypedRejectionAsync(
  call: () => Promise<unknown>,
  errorClass: new (...args: never[]) => SepconvError,
  op: string,
  argument: string,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  try {
    await call();
  } catch (error) {
    failure = { error };
  }
  expectTypedRejection(
    () => {
      if (failure) throw failure.error;
    },
    errorClass,
    op,
    argument,
  );
}
