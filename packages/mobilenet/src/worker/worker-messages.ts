import type { ModelSpec } from '@sepconv/graph';
import type { TuningReport } from '../tuning/tuning-report.js';
import type { WorkerTuneCache, WorkerTuneOptions } from './instantiate-in-worker.js';
import type { BackendSummary } from './backend-summary.js';
import type { EncodedError } from './transfer-error.js';
import type { EncodedTensors, EncodedWeight } from './transfer-tensors.js';

/**
 * Marks every message of the model worker protocol, so each side ignores the page's other
 * messages on the same worker; the version changes when the messages do.
 */
export const PROTOCOL = 'sepconv-model-worker/2';

/** What the page asks the worker (see `instantiateInWorker`). */
export type WorkerRequest =
  | {
      readonly protocol: typeof PROTOCOL;
      readonly id: string;
      readonly kind: 'instantiate';
      /** A key of the factories the worker serves, e.g. `'cpu'`. */
      readonly backend: string;
      readonly backendOptions: unknown;
      readonly spec: ModelSpec;
      readonly weights: 'random' | readonly (readonly [string, EncodedWeight])[];
      readonly seed: number | undefined;
      readonly fuseSeparable: boolean | undefined;
      readonly tune: WorkerTuneOptions | undefined;
      readonly tuneCache: WorkerTuneCache | undefined;
    }
  | { readonly protocol: typeof PROTOCOL; readonly id: string; readonly kind: 'predict'; readonly modelId: number; readonly x: EncodedTensors }
  | { readonly protocol: typeof PROTOCOL; readonly id: string; readonly kind: 'dispose'; readonly modelId: number };

/** What the worker answers, each carrying the `id` of its request. */
export type WorkerResponse =
  | { readonly protocol: typeof PROTOCOL; readonly id: string; readonly kind: 'accepted' }
  | {
      readonly protocol: typeof PROTOCOL;
      readonly id: string;
      readonly kind: 'instantiated';
      readonly modelId: number;
      readonly backend: BackendSummary;
      readonly tuning: TuningReport | undefined;
    }
  | { readonly protocol: typeof PROTOCOL; readonly id: string; readonly kind: 'predicted'; readonly outputs: EncodedTensors }
  | { readonly protocol: typeof PROTOCOL; readonly id: string; readonly kind: 'disposed' }
  | { readonly protocol: typeof PROTOCOL; readonly id: string; readonly kind: 'failed'; readonly error: EncodedError };

/** Whether a message belongs to the protocol (the page and other libraries may share the worker). */
export function isProtocolMessage(data: unknown): data is { readonly protocol: typeof PROTOCOL; readonly id: string; readonly kind: string } {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { protocol?: unknown }).protocol === PROTOCOL &&
    typeof (data as { id?: unknown }).id === 'string'
  );
}
