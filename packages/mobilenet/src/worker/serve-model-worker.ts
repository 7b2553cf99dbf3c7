import { describeValue, ValueError, type Backend } from '@sepconv/tensor';
import { indexedDbTuneCache } from '../tuning/indexed-db-tune-cache.js';
import { instantiate } from '../runtime/instantiate.js';
import type { Model } from '../runtime/model.js';
import { summarizeBackend } from './backend-summary.js';
import { assertMessageEndpoint, type MessageEndpoint } from './message-endpoint.js';
import { encodeError } from './transfer-error.js';
import { decodeTensors, decodeWeights, encodeTensors, type HostTensors } from './transfer-tensors.js';
import { isProtocolMessage, PROTOCOL, type WorkerRequest, type WorkerResponse } from './worker-messages.js';

const OP = 'serveModelWorker';

/**
 * Makes a backend in the worker from the options the page passed (structured-cloned data,
 * e.g. `{ threads: 4 }`): `createCpuBackend`, `createWebGpuBackend`, or your own function.
 * Typed to take any options, as each factory validates its own.
 */
export type BackendFactory = (options: never) => Backend | Promise<Backend>;

/** The backends a worker offers, by the name the page asks for: `{ cpu: createCpuBackend, webgpu: createWebGpuBackend }`. */
export type ModelWorkerBackends = Readonly<Record<string, BackendFactory>>;

interface Served {
  readonly model: Model;
  readonly backend: Backend;
}

/**
 * The worker's half of the worker mode (the page's half is {@link instantiateInWorker}): call
 * it once at the top of your worker script with the backends the worker may create. It answers
 * the page's requests — create a backend and instantiate a model on it, predict, dispose — so
 * every predict runs on the worker's thread and the page's main thread never blocks on one.
 *
 * `@sepconv/mobilenet` never imports a backend (they sit beside it, not below it), so your
 * worker script imports the ones it offers; a bundler then builds the worker with only those.
 * @example
 * // model-worker.ts, started by the page as
 * // new Worker(new URL('./model-worker.ts', import.meta.url), { type: 'module' })
 * import { createCpuBackend } from '@sepconv/cpu';
 * import { serveModelWorker } from '@sepconv/mobilenet';
 * import { createWebGpuBackend } from '@sepconv/webgpu';
 *
 * serveModelWorker({ cpu: createCpuBackend, webgpu: createWebGpuBackend });
 * @param backends factories by name; the page names one in `instantiateInWorker(…, { backend })`.
 * @param endpoint where requests arrive: default the worker's global scope (`self`); a
 * `MessagePort` serves a channel instead (tests, a `SharedWorker`'s port).
 * @returns a function that stops serving and disposes every model and backend created here.
 * @throws ValueError when `backends` is not a record of functions or `endpoint` cannot carry messages.
 */
export function serveModelWorker(backends: ModelWorkerBackends, endpoint?: MessageEndpoint): () => void {
  checkBackends(backends);
  if (endpoint === undefined) endpoint = workerScope();
  assertMessageEndpoint(OP, 'endpoint', endpoint);
  const port = endpoint;
  const served = new Map<number, Served>();
  let nextModelId = 1;
  const reply = (response: WorkerResponse, transfer: Transferable[] = []) => port.postMessage(response, transfer);

  async function handle(request: WorkerRequest): Promise<void> {
    reply({ protocol: PROTOCOL, id: request.id, kind: 'accepted' });
    try {
      if (request.kind === 'instantiate') {
        const modelId = nextModelId++;
        const { model, backend } = await instantiateServed(backends, request);
        served.set(modelId, { model, backend });
        reply({ protocol: PROTOCOL, id: request.id, kind: 'instantiated', modelId, backend: summarizeBackend(backend), tuning: model.tuning });
      } else if (request.kind === 'predict') {
        const outputs = await predictServed(servedModel(served, request.modelId), decodeTensors(request.x));
        const transfer: Transferable[] = [];
        reply({ protocol: PROTOCOL, id: request.id, kind: 'predicted', outputs: encodeTensors(outputs, true, transfer) }, transfer);
      } else {
        const entry = served.get(request.modelId);
        served.delete(request.modelId);
        if (entry) disposeServed(entry);
        reply({ protocol: PROTOCOL, id: request.id, kind: 'disposed' });
      }
    } catch (error) {
      reply({ protocol: PROTOCOL, id: request.id, kind: 'failed', error: encodeError(error) });
    }
  }

  const listener = (event: Event) => {
    const data: unknown = (event as MessageEvent).data;
    // Only requests: a MessageChannel's port would otherwise hear nothing else, but a worker's scope hears the page's own messages too.
    if (isProtocolMessage(data) && ['instantiate', 'predict', 'dispose'].includes(data.kind)) void handle(data as WorkerRequest);
  };
  port.addEventListener('message', listener);
  port.start?.();
  return () => {
    port.removeEventListener('message', listener);
    for (const entry of served.values()) disposeServed(entry);
    served.clear();
  };
}

/** The worker's global scope; elsewhere (a page's window, Node) there is no default to serve on. */
function workerScope(): MessageEndpoint {
  const scopeClass = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
  const scope: unknown = globalThis;
  if (scopeClass === undefined || !(scope instanceof scopeClass)) {
    throw new ValueError(
      OP,
      'endpoint',
      'with no endpoint, serveModelWorker serves the worker it runs in, and this is not a worker: call it in a worker script, or pass a MessagePort',
    );
  }
  assertMessageEndpoint(OP, 'endpoint', scope);
  return scope;
}

function checkBackends(backends: ModelWorkerBackends): void {
  const entries = typeof backends === 'object' && backends !== null ? Object.entries(backends) : [];
  if (entries.length === 0 || entries.some(([, factory]) => typeof factory !== 'function')) {
    throw new ValueError(
      OP,
      'backends',
      `backends must be a record of backend factories such as { cpu: createCpuBackend }, got ${describeValue(backends)}`,
    );
  }
}

async function instantiateServed(backends: ModelWorkerBackends, request: Extract<WorkerRequest, { kind: 'instantiate' }>): Promise<Served> {
  if (!Object.hasOwn(backends, request.backend)) {
    throw new ValueError(
      'instantiateInWorker',
      'options.backend',
      `options.backend must be one of the worker's backends (${Object.keys(backends)
        .map((name) => `'${name}'`)
        .join(', ')}), got ${describeValue(request.backend)}`,
    );
  }
  // The options came from the page as plain data; the factory validates them (createCpuBackend throws a ValueError naming the option).
  const create = backends[request.backend] as (options: unknown) => Backend | Promise<Backend>;
  const backend = await create(request.backendOptions);
  try {
    const weights = request.weights === 'random' ? 'random' : decodeWeights(request.weights);
    const model = await instantiate(request.spec, backend, {
      weights,
      seed: request.seed,
      fuseSeparable: request.fuseSeparable,
      tune: request.tune,
      // The worker's own memory unless the page asked for the origin's IndexedDB.
      tuneCache: request.tuneCache === 'indexeddb' ? indexedDbTuneCache() : undefined,
    });
    return { model, backend };
  } catch (error) {
    backend.dispose();
    throw error;
  }
}

function servedModel(served: ReadonlyMap<number, Served>, modelId: number): Served {
  const entry = served.get(modelId);
  // The page refuses a disposed model itself; this is a second page that shares the worker, or a stopped server.
  if (!entry) throw new ValueError('predict', 'model', `the worker holds no model ${modelId}: it was disposed or the worker stopped serving`);
  return entry;
}

async function predictServed({ model }: Served, x: HostTensors): Promise<HostTensors> {
  // A record of inputs goes to the model as it came: a model that takes one input refuses it with its own ShapeError.
  return model.predictAsync(x as Parameters<Model['predictAsync']>[0]);
}

function disposeServed({ model, backend }: Served): void {
  model.dispose();
  backend.dispose();
}
