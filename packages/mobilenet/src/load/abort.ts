import { LoadAbortedError } from './load-aborted-error.js';

/** @throws LoadAbortedError when `signal` is aborted. */
export function throwIfAborted(op: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LoadAbortedError(op, signal.reason);
}

/**
 * `promise`, or a {@link LoadAbortedError} as soon as `signal` aborts, whichever comes first:
 * a custom `fetch` or a body read that ignores the signal cannot keep the load waiting. The
 * losing promise's later rejection is caught here, so it is never an unhandled rejection.
 */
export function abortable<T>(op: string, promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(new LoadAbortedError(op, signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LoadAbortedError(op, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? new LoadAbortedError(op, signal.reason) : error);
      },
    );
  });
}

/**
 * A controller that aborts with `parent` and can also be aborted on its own (when one shard
 * fails, the others' fetches are cancelled). Call `release()` when done, so a long-lived
 * parent signal does not keep a listener per load.
 */
export function linkedController(parent: AbortSignal | undefined): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  if (parent === undefined) return { controller, release: () => {} };
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}
