/**
 * The live demo's classifier: nsfwjs's MobileNetV2 (real trained weights, 5 classes), served
 * by this site from `public/demo-assets/` (copied there at build time by
 * `scripts/copy-demo-assets.ts`), loaded with `loadModel(url)` and run in Web Workers through
 * the worker mode — one worker per backend (`demo-workers.ts`) — so the page never blocks while it predicts.
 */
import { imageToTensor, loadModel, onlyOutput, type LoadModelResult, type Pixels, type WorkerModel } from '@sepconv/mobilenet';
import type { HostTensor } from '@sepconv/tensor';

/** nsfwjs's classes, in the order of its model's outputs. */
export const NSFW_LABELS = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;

/** Where the site serves the model and the bundled photo, relative to its base. */
export const CLASSIFIER_MODEL_PATH = '/demo-assets/nsfwjs-mobilenet-v2/model.json';
export const DEMO_PHOTO_PATH = '/demo-assets/photo.jpg';

/** nsfwjs feeds its model 224×224 pixels divided by 255. */
export const CLASSIFIER_INPUT = { resolution: 224, range: '[0, 1]' } as const;

/** Loads the model once on the page (fetch and parse) for every worker. */
export function loadClassifier(url: string, onProgress: (fraction: number) => void): Promise<LoadModelResult> {
  return loadModel(url, { onProgress: ({ fraction }) => onProgress(fraction ?? 0) });
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
