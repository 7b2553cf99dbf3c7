// Locates the real trained weights and photos that ship in dev dependencies and packages
// (nothing is downloaded): nsfwjs's Keras MobileNetV2, face-api's SSD MobileNetV1 and its demo photos,
// darknet's test photos (Debian package, unpacked by .ci/setup) and tfjs-models' coffee cup.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import type { Pixels } from '../../src/image/image-to-tensor.js';

const require = createRequire(import.meta.url);

function packageRoot(name: string, entry: string): string {
  const resolved = require.resolve(entry);
  const marker = `/node_modules/${name}/`;
  return resolved.slice(0, resolved.lastIndexOf(marker) + marker.length - 1);
}

/** nsfwjs@4.3.0's MobileNetV2 (Keras layers format, uint8 weights); its files are UMD modules wrapping the JSON and the base64 shard. */
export function nsfwjsMobileNetV2(): { modelJson: { modelTopology: unknown; weightsManifest: { weights: unknown[] }[] }; weightData: Uint8Array } {
  const root = join(packageRoot('nsfwjs', 'nsfwjs'), 'dist', 'models', 'mobilenet_v2');
  const modelJson = require(join(root, 'model.min.js'));
  const shard: string = require(join(root, 'group1-shard1of1.min.js'));
  return { modelJson, weightData: new Uint8Array(Buffer.from(shard, 'base64')) };
}

/** Another model of nsfwjs@4.3.0 (`mobilenet_v2_mid`: a TF-Hub MobileNetV2 graph model; `inception_v3`: Keras), its shards joined. */
export function nsfwjsModel(name: 'mobilenet_v2_mid' | 'inception_v3'): {
  modelJson: Record<string, unknown> & { weightsManifest: { weights: unknown[] }[] };
  weightData: Uint8Array;
} {
  const root = join(packageRoot('nsfwjs', 'nsfwjs'), 'dist', 'models', name);
  const modelJson = require(join(root, 'model.min.js'));
  const shards = (modelJson.weightsManifest as { paths: string[] }[]).flatMap((g) => g.paths);
  const bytes = shards.map((path) => Buffer.from(require(join(root, `${path}.min.js`)) as string, 'base64'));
  return { modelJson, weightData: new Uint8Array(Buffer.concat(bytes)) };
}

/** face-api@1.7.15's SSD MobileNetV1 weights manifest and weight data. */
export function faceApiSsdMobileNetV1(): { manifest: unknown; weightData: Uint8Array } {
  const root = dirname(require.resolve('@vladmandic/face-api/package.json'));
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'model', 'ssd_mobilenetv1_model-weights_manifest.json'), 'utf8'));
  return { manifest, weightData: new Uint8Array(readFileSync(join(root, 'model', 'ssd_mobilenetv1_model.bin'))) };
}

/** One of the photos face-api@1.7.15 ships for its demo (1920 wide, several faces each), decoded to RGBA. */
export function faceApiPhoto(name: 'sample1' | 'sample2' | 'sample3' | 'sample4' | 'sample5' | 'sample6'): Pixels {
  return decode(join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `${name}.jpg`));
}

export const DARKNET_PHOTOS = ['dog', 'eagle', 'giraffe', 'horses', 'person'] as const;
/** Every photo of darknet's data folder (DARKNET_PHOTOS and two more: kite, scream). */
export const DARKNET_ALL_PHOTOS = [...DARKNET_PHOTOS, 'kite', 'scream'] as const;
const DARKNET_DIR = '/usr/share/darknet/data';

function decode(path: string): Pixels {
  const image = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  return { data: image.data, width: image.width, height: image.height };
}

/** A darknet photo, decoded to RGBA. Fails plainly when .ci/setup has not unpacked them. */
export function darknetPhoto(name: (typeof DARKNET_ALL_PHOTOS)[number]): Pixels {
  const path = join(DARKNET_DIR, `${name}.jpg`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run .ci/setup (it unpacks Debian's darknet package's test photos)`);
  return decode(path);
}

/** tfjs-models' coffee-cup photo (npm tensorflow-models@0.0.1), decoded to RGBA. */
export function coffeePhoto(): Pixels {
  return decode(join(dirname(require.resolve('tensorflow-models/package.json')), 'mobilenet', 'demo', 'coffee.jpg'));
}
