/**
 * What the demo's classifier must show for the bundled photo, computed here in Node with the
 * same files the site serves (`.vitepress/dist/demo-assets/`): the photo decoded with jpeg-js,
 * the model read with `loadModel(path)`, run on the CPU backend.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpuBackend } from '@sepconv/cpu';
import { instantiate, loadModel, onlyOutput } from '@sepconv/mobilenet';
import jpeg from 'jpeg-js';
import { classifierInput, NSFW_LABELS } from '../.vitepress/theme/lib/demo-classifier.js';

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
