/**
 * Copies the live demo's real model and photo into `public/demo-assets/` (git-ignored) before
 * every build, so the site serves them without the repository holding binaries:
 *
 * - `nsfwjs-mobilenet-v2/`: nsfwjs@4.3.0's MobileNetV2 (MIT, © Infinite Red; its LICENSE is
 *   served beside it), a TensorFlow.js layers model with a 5-class head. The npm package ships
 *   it as JavaScript modules wrapping the model.json object and the base64 weight shard; they
 *   are written out as the `model.json` and shard file a TensorFlow.js model is served as, so
 *   the demo loads them with `loadModel(url)` like any model on the web.
 * - `photo.jpg`: darknet's dog photo (Debian's `darknet` package, unpacked by `.ci/setup`),
 *   else tfjs-models' coffee cup (npm `tensorflow-models`), with a warning.
 * - `face-api-ssd-mobilenetv1/`: face-api's SSD MobileNetV1 face detector as
 *   `@vladmandic/face-api@1.7.15` ships it (a weights manifest and one uint8 shard; MIT,
 *   © Vladimir Mandic, the weights from Vincent Mühler's face-api.js, MIT; the package's LICENSE
 *   is served beside them).
 * - `faces.jpg`: face-api's demo photo `sample5.jpg` (five faces), from the same package: its
 *   README says the author took its demo photos, and the package is MIT-licensed as a whole.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const FACE_DETECTOR_DIR = 'face-api-ssd-mobilenetv1';
const FACE_DETECTOR_FILES = ['ssd_mobilenetv1_model-weights_manifest.json', 'ssd_mobilenetv1_model.bin'];
const outDir = join(appRoot, 'public', 'demo-assets');
const require = createRequire(import.meta.url);

/** The folder of an installed package, found through its resolvable entry. */
function packageDir(name: string, entry: string): string {
  const resolved = require.resolve(entry);
  const marker = `/node_modules/${name}/`;
  return resolved.slice(0, resolved.lastIndexOf(marker) + marker.length - 1);
}

interface ModelJson {
  weightsManifest: { paths: string[] }[];
}

function writeNsfwjsModel(): string {
  const root = packageDir('nsfwjs', 'nsfwjs');
  const models = join(root, 'dist', 'models', 'mobilenet_v2');
  const modelJson = require(join(models, 'model.min.js')) as ModelJson;
  const shard = require(join(models, 'group1-shard1of1.min.js')) as string;
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  if (paths.length !== 1)
    throw new Error(`copy-demo-assets: nsfwjs's MobileNetV2 manifest names ${paths.length} shards; this script writes the one it ships`);
  const dir = join(outDir, 'nsfwjs-mobilenet-v2');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, paths[0]!), Buffer.from(shard, 'base64'));
  copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE.txt'));
  return dir;
}

/** The face detector's files, under the names face-api loads them by, and the photo of faces. */
function copyFaceDetector(): string {
  const root = packageDir('@vladmandic/face-api', '@vladmandic/face-api/package.json');
  const dir = join(outDir, FACE_DETECTOR_DIR);
  mkdirSync(dir, { recursive: true });
  for (const file of FACE_DETECTOR_FILES) copyFileSync(join(root, 'model', file), join(dir, file));
  copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE.txt'));
  copyFileSync(join(root, 'demo', 'sample5.jpg'), join(outDir, 'faces.jpg'));
  return dir;
}

function copyPhoto(): string {
  const darknet = '/usr/share/darknet/data/dog.jpg';
  const target = join(outDir, 'photo.jpg');
  if (existsSync(darknet)) {
    copyFileSync(darknet, target);
    return darknet;
  }
  const coffee = join(packageDir('tensorflow-models', 'tensorflow-models/package.json'), 'mobilenet', 'demo', 'coffee.jpg');
  console.warn(`copy-demo-assets: ${darknet} is missing (run .ci/setup to unpack darknet's photos); the demo shows tfjs-models' coffee cup instead`);
  copyFileSync(coffee, target);
  return coffee;
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const model = writeNsfwjsModel();
const photo = copyPhoto();
const faces = copyFaceDetector();
console.log(
  `copy-demo-assets: ${model.slice(appRoot.length + 1)} (nsfwjs MobileNetV2), public/demo-assets/photo.jpg (from ${photo}), ${faces.slice(appRoot.length + 1)} (face-api SSD MobileNetV1) and public/demo-assets/faces.jpg (face-api's sample5)`,
);
