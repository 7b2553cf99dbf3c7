/** The worker mode: a whole model in a Web Worker, so a page's main thread never blocks for a predict. */
export {
  instantiateInWorker,
  type InstantiateInWorkerOptions,
  type WorkerModel,
  type WorkerPredictOptions,
  type WorkerTuneCache,
  type WorkerTuneOptions,
} from './instantiate-in-worker.js';
export { serveModelWorker, type BackendFactory, type ModelWorkerBackends } from './serve-model-worker.js';
export type { BackendSummary } from './backend-summary.js';
export type { MessageEndpoint } from './message-endpoint.js';
export type { HostTensors } from './transfer-tensors.js';
