// "Photo in, labels out" end to end: darknet's JPEG files through decodeImage and classify on
// nsfwjs's real MobileNetV2 (CPU backend), against TensorFlow.js's layers API running the same
// model.json and weights on the photos as jpeg-js decodes them.
import { readFileSync } from 'node:fs';
import { createCpuBackend } from '@sepconv/cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../src/classify/classify.js';
import { decodeImage } from '../src/image/decode-image.js';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { loadLayersModel } from '../src/weights/load-layers-model.js';
import { DARKNET_PHOTOS, darknetPhoto, nsfwjsMobileNetV2 } from './support/real-models.js';
import { tfjsLayersPredict } from './support/tfjs.js';

/** nsfwjs's class names, in its model's output order (its `NSFW_CLASSES`). */
const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];
const files = nsfwjsMobileNetV2();
const { spec, weights } = loadLayersModel(files.modelJson, files.weightData);
const backend = await createCpuBackend({ threads: 2 });
const model = await instantiate(spec, backend, { weights });
// nsfwjs feeds its model pixels / 255.
const expected = await tfjsLayersPredict(
  files.modelJson,
  files.weightData,
  imageToTensor(
    DARKNET_PHOTOS.map((name) => darknetPhoto(name)),
    { resolution: 224, range: '[0, 1]' },
  ),
);
afterAll(() => {
  model.dispose();
  backend.dispose();
});

describe('classify(nsfwjs MobileNetV2, decodeImage(darknet JPEG)) matches TensorFlow.js', () => {
  DARKNET_PHOTOS.forEach((name, row) => {
    it(`${name}.jpg: all five classes, most probable first, probabilities within 1e-4, top class TensorFlow.js's and Neutral`, async () => {
      const image = await decodeImage(readFileSync(`/usr/share/darknet/data/${name}.jpg`));
      const result = await classify(model, image, { labels: NSFW_CLASSES, range: '[0, 1]' });
      const theirs = expected.subarray(row * 5, row * 5 + 5);
      // Not the whole order: classes of near-equal tiny probability may swap within 1e-4.
      expect(result.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(result[0]!.index).toBe(theirs.indexOf(Math.max(...theirs)));
      for (let i = 1; i < result.length; i++) expect(result[i]!.probability).toBeLessThanOrEqual(result[i - 1]!.probability);
      for (const { label, index, probability } of result) {
        expect(label).toBe(NSFW_CLASSES[index]);
        expect(Math.abs(probability - theirs[index]!)).toBeLessThan(1e-4);
      }
      // Photos of a dog, an eagle, a giraffe, horses and people: nsfwjs's "Neutral".
      expect(result[0]!.label).toBe('Neutral');
    });
  });
});
