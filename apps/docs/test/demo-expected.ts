/**
 * What the demo's classifier and face detector must show for their bundled photos, computed
 * here in Node with the same files the site serves (`.vitepress/dist/demo-assets/`): the photo
 * decoded with jpeg-js, the model read with `loadModel(path)` (the classifier) or `readWeights`
 * and `ssdMobileNetV1FaceDetector` (the detector), run on the CPU backend.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpuBackend } from '@sepconv/cpu';
import {
  detectFaces,
  instantiate,
  loadModel,
  onlyOutput,
  readWeights,
  ssdMobileNetV1FaceDetector,
  type DetectFacesOptions,
  type FaceDetection,
} from '@sepconv/mobilenet';
import jpeg from 'jpeg-js';
import { classifierInput, NSFW_LABELS } from '../.vitepress/theme/lib/demo-classifier.js';
import { FACE_DETECTOR_MANIFEST, FACE_DETECTOR_SHARD } from '../.vitepress/theme/lib/demo-face-detector.js';

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', '.vitepress', 'dist', 'demo-assets');

export interface ExpectedClassification {
  readonly top: string;
  readonly probabilities: readonly number[];
}

export async function expectedClassification(): Promise<ExpectedClassification> {
  const photo = jpeg.decode(readFileSync(join(assets, 'photo.jpg')), { useTArray: true });
  const { spec, weights } = await loadModel(join(assets, 'nsfwjs-mobilenet-v2', 'model.json'));
  const backend = await createCpuBackend({ threads: 1 });
  try {
    const model = await instantiate(spec, backend, { weights });
    const probabilities = [...onlyOutput(await model.predictAsync(classifierInput(photo))).data];
    const best = probabilities.indexOf(Math.max(...probabilities));
    return { top: NSFW_LABELS[best] ?? '?', probabilities };
  } finally {
    backend.dispose();
  }
}

/** The faces `detectFaces` finds in the demo's photo of faces, and the photo's size. */
export interface ExpectedFaces {
  readonly faces: readonly FaceDetection[];
  readonly width: number;
  readonly height: number;
}

export async function expectedFaces(options: DetectFacesOptions): Promise<ExpectedFaces> {
  const photo = jpeg.decode(readFileSync(join(assets, 'faces.jpg')), { useTArray: true });
  const dir = join(assets, 'face-api-ssd-mobilenetv1');
  const manifest: unknown = JSON.parse(readFileSync(join(dir, FACE_DETECTOR_MANIFEST), 'utf8'));
  const detector = ssdMobileNetV1FaceDetector(readWeights(manifest, readFileSync(join(dir, FACE_DETECTOR_SHARD))));
  const backend = await createCpuBackend({ threads: 1 });
  try {
    const model = await instantiate(detector.spec, backend, { weights: detector.weights });
    const faces = await detectFaces({ model, anchors: detector.anchors, scoreClass: detector.scoreClass }, photo, options);
    return { faces, width: photo.width, height: photo.height };
  } finally {
    backend.dispose();
  }
}
