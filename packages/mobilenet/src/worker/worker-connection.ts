import { BackendError } from '@sepconv/tensor';
import type { MessageEndpoint } from './message-endpoint.js';
import { decodeError } from './transfer-error.js';
import { isProtocolMessage, PROTOCOL, type WorkerRequest, type WorkerResponse } from './worker-messages.js';

/** A request as the connection sends it: the protocol marker and id are added. */
export type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'protocol' | 'id'> : never) : never;

interface Pending {
  readonly op: string;
  readonly resolve: (response: WorkerResponse) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

let connections = 0;

/**
 * The page's end of the model worker protocol over one endpoint: numbers requests, matches
 * answers to them, turns a `failed` answer back into the worker's typed error, and fails every
 * request still waiting when the worker reports an error.
 */
export class WorkerConnection {
  private readonly pending = new Map<string, Pending>();
  // Several connections (one per model) may share a worker: ids carry the connection's number and a random tag.
  private readonly prefix = `${++connections}.${Math.random().toString(36).slice(2, 8)}`;
  private nextId = 0;
  private closed = false;

  constructor(private readonly endpoint: MessageEndpoint) {
    endpoint.addEventListener('message', this.onMessage);
    endpoint.addEventListener('messageerror', this.onMessageError);
    endpoint.addEventListener('error', this.onError);
    endpoint.start?.();
  }

  /**
   * Sends a request; resolves with its answer. With `ackTimeoutMs`, fails with a BackendError
   * when the worker has not acknowledged it by then (a worker that does not serve the protocol).
   */
  request(op: string, body: RequestBody, transfer: Transferable[], ackTimeoutMs?: number): Promise<WorkerResponse> {
    if (this.closed) return Promise.reject(new BackendError(op, 'model', 'the connection to the worker is closed'));
    const id = `${this.prefix}.${this.nextId++}`;
    return new Promise<WorkerResponse>((resolve, reject) => {
      const pending: Pending = { op, resolve, reject, timer: undefined };
      if (ackTimeoutMs !== undefined && Number.isFinite(ackTimeoutMs)) {
        pending.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(
            new BackendError(
              op,
              'worker',
              `the worker did not answer within ${ackTimeoutMs} ms: does its script call serveModelWorker(), and did it load (see the browser's console)?`,
            ),
          );
        }, ackTimeoutMs);
      }
      this.pending.set(id, pending);
      try {
        this.endpoint.postMessage({ ...body, protocol: PROTOCOL, id }, transfer);
      } catch (error) {
        this.settle(id);
        clearTimeout(pending.timer);
        // postMessage throws a DataCloneError for what cannot be cloned (a function in backendOptions).
        reject(
          new BackendError(op, 'worker', `the request could not be sent to the worker: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    });
  }

  /** Stops listening; requests still waiting fail with a BackendError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.endpoint.removeEventListener('message', this.onMessage);
    this.endpoint.removeEventListener('messageerror', this.onMessageError);
    this.endpoint.removeEventListener('error', this.onError);
    this.failAll('the connection to the worker was closed');
  }

  private settle(id: string): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  private readonly onMessage = (event: Event): void => {
    const data: unknown = (event as MessageEvent).data;
    if (!isProtocolMessage(data) || !this.pending.has(data.id)) return;
    const response = data as WorkerResponse;
    if (response.kind === 'accepted') {
      const pending = this.pending.get(response.id);
      if (pending) clearTimeout(pending.timer);
      return;
    }
    const pending = this.settle(response.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    if (response.kind === 'failed') pending.reject(decodeError(response.error));
    else pending.resolve(response);
  };

  private readonly onMessageError = (): void => {
    this.failAll('a message from the worker could not be deserialized (messageerror)');
  };

  private readonly onError = (event: Event): void => {
    const message = (event as ErrorEvent).message;
    this.failAll(`the worker reported an error: ${message || 'its script failed to load or threw (see the browser console)'}`);
  };

  private failAll(reason: string): void {
    for (const [id, pending] of [...this.pending]) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new BackendError(pending.op, 'worker', reason));
    }
  }
}
