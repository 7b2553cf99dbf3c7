import { describeValue, HostTensor, isHostTensor, UnsupportedError, ValueError } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import type { Model } from '../runtime/model.js';
import type { WeightMap } from '../weights/weight-map.js';
import { isInt32Weight, isInt8Weight, type QuantizedWeightMap } from '../quantize/quantized-model-spec.js';
import type { TuneOptions } from '../tuning/tune-options.js';
import type { TuningReport } from '../tuning/tuning-report.js';
import type { BackendSummary } from './backend-summary.js';
import { assertMessageEndpoint, type MessageEndpoint } from './message-endpoint.js';
import { decodeTensors, encodeTensors, encodeWeights, type HostTensors } from './transfer-tensors.js';
import { WorkerConnection } from './worker-connection.js';

const OP = 'instantiateInWorker';

/** `instantiate`'s `tune` as plain data that can cross to a worker: no clock function. */
export type WorkerTuneOptions = boolean | number | Omit<TuneOptions, 'now'>;

/** Where the worker keeps tuning results: its memory (default) or the origin's IndexedDB (kept across visits). */
export type WorkerTuneCache = 'memory' | 'indexeddb';

const WORKER_TUNE_CACHES: readonly WorkerTuneCache[] = ['memory', 'indexeddb'];

/** Options of {@link instantiateInWorker}. */
export interface InstantiateInWorkerOptions {
  /** Which of the worker's backends to create, by the name `serveModelWorker` gave it (e.g. `'cpu'`, `'webgpu'`). */
  backend: string;
  /** Passed to that backend's factory in the worker, e.g. `{ threads: 4 }`; plain, structured-cloneable data. Default `{}`. */
  backendOptions?: unknown;
  /** As `instantiate`'s: `'random'` (default) or a {@link WeightMap}, sent to the worker. */
  /** A quantized model's weights (int8 kernels, int32 biases) cross too. */
  weights?: 'random' | WeightMap | QuantizedWeightMap | undefined;
  /** As `instantiate`'s: the seed of random weights. Default 1. */
  seed?: number | undefined;
  /** As `instantiate`'s: run depthwise→pointwise pairs as the fused separable kernel. Default true. */
  fuseSeparable?: boolean | undefined;
  /** As `instantiate`'s: tune each convolution's kernel variant on the worker's backend (`true`, a budget in ms, or options without `now`). Default off. */
  tune?: WorkerTuneOptions | undefined;
  /** Where the worker keeps tuning results: `'memory'` (default, the worker's) or `'indexeddb'` (the origin's, so a later visit tunes nothing). */
  tuneCache?: WorkerTuneCache | undefined;
  /**
   * Move the weights' buffers to the worker instead of copying them: no copy of megabytes on
   * the page, but the caller's weight tensors are left empty (their buffers detached). Default false.
   */
  transferWeights?: boolean | undefined;
  /** Milliseconds to wait for the worker to acknowledge, so a worker that does not serve fails instead of hanging. Default 30000. */
  timeoutMs?: number | undefined;
}

/** Options of {@link WorkerModel.predictAsync}. */
export interface WorkerPredictOptions {
  /** Move the input's buffer to the worker instead of copying it (the caller's tensor is left empty). Default false. */
  transfer?: boolean | undefined;
}

/**
 * A model instantiated in a worker (see {@link instantiateInWorker}): host tensors in, host
 * tensors out, every predict on the worker's thread.
 */
export interface WorkerModel {
  readonly spec: ModelSpec;
  /** The backend the worker created: its name, and threads, ISA, adapter and notes where it has them. */
  readonly backend: BackendSummary;
  /** What tuning measured and chose in the worker (`model.tuning` there); undefined without `tune`. */
  readonly tuning: TuningReport | undefined;
  /**
   * Runs the model in the worker and resolves with its output (what `model.predictAsync` gives
   * there: `[batch, classes]` probabilities for a classifier), moved back without a copy.
   * @param x NHWC `[batch, height, width, channels]`, a host tensor, copied to the worker
   * (moved with `{ transfer: true }`).
   * @throws (rejects with) the worker's own typed error — a `ShapeError` for a wrong input shape,
   * as `predict` throws it —, UnsupportedError after `dispose()`, BackendError when the worker fails.
   */
  predictAsync(x: HostTensors, options?: WorkerPredictOptions): Promise<Awaited<ReturnType<Model['predictAsync']>>>;
  /** Disposes the model and its backend in the worker; resolves when they are freed. Idempotent. The worker itself stays yours to terminate. */
  dispose(): Promise<void>;
}

/**
 * The page's half of the worker mode (the worker's half is {@link serveModelWorker}):
 * instantiates `spec` in a worker, on a backend the worker creates, so that predicts run off the
 * page's main thread and never block it. The weights are copied (or moved) to the worker once.
 *
 * In the worker, the CPU backend can block its thread while kernels run and use a thread pool
 * where the page is cross-origin isolated; the WebGPU backend works in workers where the
 * browser has `navigator.gpu` there (Chrome and Edge do).
 * @example
 * const worker = new Worker(new URL('./model-worker.ts', import.meta.url), { type: 'module' });
 * const { spec, weights } = await loadModel('/models/mobilenet/model.json');
 * const model = await instantiateInWorker(worker, spec, { weights, backend: 'webgpu' });
 * const probabilities = await model.predictAsync(imageToTensor(pixels, { resolution: 224 }));
 * await model.dispose();
 * worker.terminate();
 * @param worker the `Worker` running `serveModelWorker`, or a `MessagePort` to one.
 * @throws (rejects with) ValueError for bad arguments or a backend the worker does not offer;
 * the errors the backend factory or `instantiate` throw in the worker, with their type, op and
 * argument; BackendError when the worker does not answer within `timeoutMs` or fails.
 */
export async function instantiateInWorker(worker: MessageEndpoint, spec: ModelSpec, options: InstantiateInWorkerOptions): Promise<WorkerModel> {
  assertMessageEndpoint(OP, 'worker', worker);
  checkOptions(options);
  const connection = new WorkerConnection(worker);
  const transfer: Transferable[] = [];
  const weights =
    options.weights === undefined || options.weights === 'random'
      ? 'random'
      : encodeWeights(options.weights, options.transferWeights === true, transfer);
  const body = {
    kind: 'instantiate',
    backend: options.backend,
    backendOptions: options.backendOptions ?? {},
    spec,
    weights,
    seed: options.seed,
    fuseSeparable: options.fuseSeparable,
    tune: options.tune,
    tuneCache: options.tuneCache,
  } as const;
  try {
    const response = await connection.request(OP, body, transfer, options.timeoutMs ?? 30_000);
    if (response.kind !== 'instantiated') throw new Error(`instantiateInWorker: the worker answered '${response.kind}'`);
    return new RemoteModel(connection, spec, response.modelId, response.backend, response.tuning);
  } catch (error) {
    connection.close();
    throw error;
  }
}

function checkOptions(options: InstantiateInWorkerOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new ValueError(OP, 'options', `options must be an object with a backend name, got ${describeValue(options)}`);
  if (typeof options.backend !== 'string')
    throw new ValueError(
      OP,
      'options.backend',
      `options.backend must be the name of one of the worker's backends (e.g. 'cpu'), got ${describeValue(options.backend)}`,
    );
  const { weights, timeoutMs } = options;
  if (weights !== undefined && weights !== 'random' && !(weights instanceof Map)) {
    throw new ValueError(OP, 'options.weights', `options.weights must be 'random' or a Map of weights by name, got ${describeValue(weights)}`);
  }
  if (weights instanceof Map) {
    for (const [name, weight] of weights) {
      if (!isHostTensor(weight) && !isInt8Weight(weight) && !isInt32Weight(weight))
        throw new ValueError(
          OP,
          `options.weights['${name}']`,
          `each weight must be a host tensor, or a quantized model's int8 kernel or int32 bias, got ${describeValue(weight)}`,
        );
    }
  }
  if (options.tuneCache !== undefined && !WORKER_TUNE_CACHES.includes(options.tuneCache)) {
    throw new ValueError(OP, 'options.tuneCache', `options.tuneCache must be 'memory' or 'indexeddb', got ${describeValue(options.tuneCache)}`);
  }
  if (typeof options.tune === 'object' && options.tune !== null && 'now' in options.tune) {
    throw new ValueError(OP, 'options.tune.now', 'options.tune.now cannot cross to a worker (a function): the worker times with its own clock');
  }
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
    throw new ValueError(OP, 'options.timeoutMs', `options.timeoutMs must be a number > 0 (Infinity waits forever), got ${describeValue(timeoutMs)}`);
  }
}

function assertHostTensors(x: unknown): asserts x is HostTensors {
  const tensors: unknown[] = typeof x === 'object' && x !== null && !(x instanceof HostTensor) ? Object.values(x) : [x];
  if (tensors.length === 0 || tensors.some((t) => !(t instanceof HostTensor))) {
    throw new ValueError('predict', 'x', `x must be a host tensor (tensor(data, shape)), or a record of them by input name, got ${describeValue(x)}`);
  }
}

class RemoteModel implements WorkerModel {
  private disposing: Promise<void> | undefined;

  constructor(
    private readonly connection: WorkerConnection,
    readonly spec: ModelSpec,
    private readonly modelId: number,
    readonly backend: BackendSummary,
    readonly tuning: TuningReport | undefined,
  ) {}

  async predictAsync(x: HostTensors, options: WorkerPredictOptions = {}): Promise<Awaited<ReturnType<Model['predictAsync']>>> {
    if (this.disposing) throw new UnsupportedError('predict', 'model', 'the model has been disposed');
    assertHostTensors(x);
    const transfer: Transferable[] = [];
    const encoded = encodeTensors(x, options.transfer === true, transfer);
    const response = await this.connection.request('predict', { kind: 'predict', modelId: this.modelId, x: encoded }, transfer);
    if (response.kind !== 'predicted') throw new Error(`predict: the worker answered '${response.kind}'`);
    // The worker ran model.predictAsync and the codec keeps the shape of its result (one tensor, or a record by output name).
    return decodeTensors(response.outputs) as Awaited<ReturnType<Model['predictAsync']>>;
  }

  dispose(): Promise<void> {
    this.disposing ??= this.connection
      .request('dispose', { kind: 'dispose', modelId: this.modelId }, [])
      .then(() => undefined)
      .finally(() => this.connection.close());
    return this.disposing;
  }
}
