import { describeValue, ValueError } from '@sepconv/tensor';

/**
 * One end of a message channel: a `Worker` (the page's side), a worker's global scope (`self`,
 * the worker's side), or either port of a `MessageChannel` (in browsers and in Node, whose
 * `worker_threads` `parentPort` is one too). Only what the model worker protocol uses.
 */
export interface MessageEndpoint {
  /** Sends a structured-cloneable message; the buffers in `transfer` move instead of being copied. */
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  removeEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  /** A `MessagePort` delivers nothing until started; a `Worker` has no `start`. */
  start?: (() => void) | undefined;
}

/** Checks that `endpoint` can send and receive messages, so a wrong argument fails at once rather than as a silent hang. */
export function assertMessageEndpoint(op: string, argument: string, endpoint: unknown): asserts endpoint is MessageEndpoint {
  const candidate = endpoint as Partial<Record<keyof MessageEndpoint, unknown>> | null | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.postMessage !== 'function' ||
    typeof candidate.addEventListener !== 'function' ||
    typeof candidate.removeEventListener !== 'function'
  ) {
    throw new ValueError(
      op,
      argument,
      `${argument} must be a Worker, a worker's global scope or a MessagePort (postMessage and addEventListener), got ${describeValue(endpoint)}`,
    );
  }
}
