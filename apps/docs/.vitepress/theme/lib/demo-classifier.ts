/**
 * The live demo's classifier: nsfwjs's MobileNetV2 (real trained weights, 5 classes), served
 * by this site from `public/demo-assets/` (copied there at build time by
 * `scripts/copy-demo-assets.ts`), loaded with `loadModel(url)` and run in Web Workers through
 * the worker mode — one worker per backend — so the page never blocks while it predicts.
 */
import { imageToTensor, instantiateInWorker, loadModel, onlyOutput, type LoadModelResult, type Pixels, type WorkerModel } from '@sepconv/mobilenet';
import type { HostTensor } from '@sepconv/tensor';

/** nsfwjs's classes, in the order of its model's outputs. */
export const NSFW_LABELS = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;

/** Where the site serves the model and the bundled photo, relative to its base. */
export const CLASSIFIER_MODEL_PATH = '/demo-assets/nsfwjs-mobilenet-v2/model.json';
export const DEMO_PHOTO_PATH = '/demo-assets/photo.jpg';

/** nsfwjs feeds its model 224×224 pixels divided by 255. */
export const CLASSIFIER_INPUT = { resolution: 224, range: '[0, 1]' } as const;

/** A backend's model in its worker, or why that backend is not available. */
export type ClassifierSlot =
  | { readonly available: true; readonly model: WorkerModel; readonly worker: Worker; readonly label: string }
  | { readonly available: false; readonly reason: string };

/** Both backends' classifiers; `webgpu` is unavailable where the browser has no WebGPU. */
export interface Classifiers {
  readonly cpu: ClassifierSlot;
  readonly webgpu: ClassifierSlot;
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Loads the model once on the page (fetch and parse) for every worker. */
export function loadClassifier(url: string, onProgress: (fraction: number) => void): Promise<LoadModelResult> {
  return loadModel(url, { onProgress: ({ fraction }) => onProgress(fraction ?? 0) });
}

/** Starts a worker for one backend and instantiates the model in it. */
async function openSlot(loaded: LoadModelResult, backend: 'cpu' | 'webgpu', backendOptions: object): Promise<ClassifierSlot> {
  const worker = new Worker(new URL('./model-worker.ts', import.meta.url), { type: 'module' });
  try {
    const model = await instantiateInWorker(worker, loaded.spec, { weights: loaded.weights, backend, backendOptions });
    return { available: true, model, worker, label: describeBackend(model) };
  } catch (error) {
    worker.terminate();
    return { available: false, reason: `the ${backend} backend could not start in a worker: ${message(error)}` };
  }
}

/** How a backend in a worker is shown: `@sepconv/cpu, wasmrelaxedsimd, 1 thread` or `@sepconv/webgpu on google swiftshader`. */
export function describeBackend(model: WorkerModel): string {
  const { name, threads, isa, adapter } = model.backend;
  if (name === 'webgpu') return `@sepconv/webgpu on ${adapter ?? 'an unnamed adapter'}`;
  return `@sepconv/${name}${isa ? `, ${isa}` : ''}${threads ? `, ${threads} thread${threads === 1 ? '' : 's'}` : ''}`;
}

/**
 * Both classifiers, each in its own worker. WebGPU is asked for only where the page has
 * `navigator.gpu` (a browser without it on the page has none in its workers either).
 */
export async function openClassifiers(loaded: LoadModelResult): Promise<Classifiers> {
  const hasGpu = typeof navigator !== 'undefined' && 'gpu' in navigator && Boolean(navigator.gpu);
  const threads = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
  const [cpu, webgpu] = await Promise.all([
    openSlot(loaded, 'cpu', { threads }),
    hasGpu
      ? openSlot(loaded, 'webgpu', {})
      : Promise.resolve<ClassifierSlot>({ available: false, reason: 'this browser has no WebGPU (navigator.gpu is undefined)' }),
  ]);
  return { cpu, webgpu };
}

/** Frees both models, their backends and workers. */
export async function closeClassifiers(classifiers: Classifiers): Promise<void> {
  for (const slot of [classifiers.cpu, classifiers.webgpu]) {
    if (!slot.available) continue;
    await slot.model.dispose().catch(() => undefined);
    slot.worker.terminate();
  }
}

/** Decodes an image (the bundled photo's URL, or the visitor's file) to RGBA pixels, drawing it on `canvas` as a preview. */
export async function decodePixels(source: string | Blob, canvas: HTMLCanvasElement): Promise<Pixels> {
  const blob = typeof source === 'string' ? await (await fetch(source)).blob() : source;
  // No colour conversion: the pixels are the file's, as a JPEG decoder in Node gives them.
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('demo: the browser gave no 2D canvas context');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { data: context.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height };
}

/** The model's input for a decoded picture. */
export function classifierInput(pixels: Pixels): HostTensor {
  return imageToTensor(pixels, CLASSIFIER_INPUT);
}

/** One backend's classification of a picture: probabilities and how long each predict took. */
export interface Classification {
  readonly probabilities: Float32Array;
  readonly top: (typeof NSFW_LABELS)[number];
  /** The first predict (a GPU compiles its pipelines then), in ms. */
  readonly firstMs: number;
  /** The median of the later predicts, in ms, read-back and the trip to the worker included. */
  readonly medianMs: number;
}

/** Predicts once untimed-for-the-median (the first) then `runs` times, in the model's worker. */
export async function classify(model: WorkerModel, x: HostTensor, runs: number): Promise<Classification> {
  const predict = async () => {
    const start = performance.now();
    const y = await model.predictAsync(x);
    return { probabilities: onlyOutput(y).data, ms: performance.now() - start };
  };
  const first = await predict();
  const times: number[] = [];
  let last = first;
  for (let i = 0; i < runs; i++) {
    last = await predict();
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  let best = 0;
  for (let i = 1; i < last.probabilities.length; i++) if (last.probabilities[i]! > last.probabilities[best]!) best = i;
  return {
    probabilities: last.probabilities,
    top: NSFW_LABELS[best] ?? NSFW_LABELS[0],
    firstMs: first.ms,
    medianMs: times[Math.floor(times.length / 2)] ?? first.ms,
  };
}
