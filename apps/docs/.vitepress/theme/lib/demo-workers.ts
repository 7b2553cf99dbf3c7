/**
 * The live demo's models in Web Workers, one worker per backend (the worker mode of
 * `@sepconv/mobilenet`): the classifier and the face detector each get a CPU and a WebGPU
 * worker, so the page's main thread never runs a network.
 */
import type { ModelSpec } from '@sepconv/graph';
import { instantiateInWorker, type InstantiateInWorkerOptions, type WorkerModel } from '@sepconv/mobilenet';

/** The backends the demo runs on, in the order it runs and lists them. */
export const DEMO_BACKENDS = ['webgpu', 'cpu'] as const;
export type DemoBackend = (typeof DEMO_BACKENDS)[number];

/** A backend's model in its worker, or why that backend is not available. */
export type ModelSlot =
  | { readonly available: true; readonly model: WorkerModel; readonly worker: Worker; readonly label: string }
  | { readonly available: false; readonly reason: string };

/** One model on both backends; `webgpu` is unavailable where the browser has no WebGPU. */
export type ModelWorkers = Readonly<Record<DemoBackend, ModelSlot>>;

/** An error as the demo shows it: `ShapeError: predict: …`. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Starts a worker for one backend and instantiates the model in it. */
async function openSlot(
  spec: ModelSpec,
  weights: InstantiateInWorkerOptions['weights'],
  backend: DemoBackend,
  backendOptions: object,
): Promise<ModelSlot> {
  const worker = new Worker(new URL('./model-worker.ts', import.meta.url), { type: 'module' });
  try {
    const model = await instantiateInWorker(worker, spec, { weights, backend, backendOptions });
    return { available: true, model, worker, label: describeBackend(model) };
  } catch (error) {
    worker.terminate();
    return { available: false, reason: `the ${backend} backend could not start in a worker: ${errorText(error)}` };
  }
}

/** How a backend in a worker is shown: `@sepconv/cpu, wasmrelaxedsimd, 1 thread` or `@sepconv/webgpu on google swiftshader`. */
export function describeBackend(model: WorkerModel): string {
  const { name, threads, isa, adapter } = model.backend;
  if (name === 'webgpu') return `@sepconv/webgpu on ${adapter ?? 'an unnamed adapter'}`;
  return `@sepconv/${name}${isa ? `, ${isa}` : ''}${threads ? `, ${threads} thread${threads === 1 ? '' : 's'}` : ''}`;
}

/**
 * One model in two workers, one per backend. WebGPU is asked for only where the page has
 * `navigator.gpu` (a browser without it on the page has none in its workers either).
 */
export async function openModelWorkers(spec: ModelSpec, weights: InstantiateInWorkerOptions['weights']): Promise<ModelWorkers> {
  const hasGpu = typeof navigator !== 'undefined' && 'gpu' in navigator && Boolean(navigator.gpu);
  const threads = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
  const [cpu, webgpu] = await Promise.all([
    openSlot(spec, weights, 'cpu', { threads }),
    hasGpu
      ? openSlot(spec, weights, 'webgpu', {})
      : Promise.resolve<ModelSlot>({ available: false, reason: 'this browser has no WebGPU (navigator.gpu is undefined)' }),
  ]);
  return { cpu, webgpu };
}

/** Frees both models, their backends and workers. */
export async function closeModelWorkers(workers: ModelWorkers): Promise<void> {
  for (const slot of [workers.cpu, workers.webgpu]) {
    if (!slot.available) continue;
    await slot.model.dispose().catch(() => undefined);
    slot.worker.terminate();
  }
}
