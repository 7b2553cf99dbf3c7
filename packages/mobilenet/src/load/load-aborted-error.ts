import { SepconvError } from '@sepconv/tensor';

/**
 * `loadModel` stopped because its `signal` was aborted: in-flight fetches and file reads were
 * cancelled and nothing was returned. `reason` (also `cause`) is the signal's `reason` — a
 * `DOMException` named `'AbortError'` for a plain `controller.abort()`, or whatever was passed
 * to `abort(reason)`, e.g. a `'TimeoutError'` from `AbortSignal.timeout(ms)`.
 */
export class LoadAbortedError extends SepconvError {
  override name = 'LoadAbortedError';
  constructor(
    op: string,
    /** The aborted signal's `reason`. */
    readonly reason: unknown,
  ) {
    super(op, 'options.signal', 'the load was aborted');
    this.cause = reason;
  }
}
