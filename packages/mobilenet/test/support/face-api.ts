// face-api@1.7.15 itself, as the independent implementation the face-detection test compares
// against, on tfjs-backend-cpu. Its Node builds require '@tensorflow/tfjs-node' (does not
// install here) or '@tensorflow/tfjs' + '@tensorflow/tfjs-backend-wasm' (not installed), and its
// browser ESM bundle trips on Node (its bundled tfjs finds no TextEncoder); so its node-wasm
// build (CommonJS, which only re-exports those two packages as its `tf`) is evaluated with a
// `require` that hands it the tfjs-core + CPU backend the other tests use. face-api calls
// tfjs's chained tensor methods (`t.as3D(…)`), which the '@tensorflow/tfjs' umbrella registers.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import type { Pixels } from '../../src/image/image-to-tensor.js';
import { faceApiSsdMobileNetV1 } from './real-models.js';
import { tf } from './tfjs.js';

const require = createRequire(import.meta.url);

interface FaceApiDetection {
  score: number;
  box: { x: number; y: number; width: number; height: number };
}
interface FaceApi {
  version: string;
  nets: {
    ssdMobilenetv1: {
      loadFromWeightMap(weights: tf.NamedTensorMap): void;
      locateFaces(input: tf.Tensor3D, options: { minConfidence?: number; maxResults?: number }): Promise<FaceApiDetection[]>;
    };
  };
}

function loadFaceApi(): FaceApi {
  const path = require.resolve('@vladmandic/face-api/dist/face-api.node-wasm.js');
  const modules: Record<string, unknown> = { '@tensorflow/tfjs': tf, '@tensorflow/tfjs-backend-wasm': {}, fs: require('node:fs') };
  const load = runInThisContext(`(function (require, module, exports) {${readFileSync(path, 'utf8')}\n})`, { filename: path }) as (
    r: (id: string) => unknown,
    m: { exports: unknown },
    e: unknown,
  ) => void;
  const module = { exports: {} as unknown };
  load(
    (id) => {
      if (!(id in modules)) throw new Error(`face-api requires '${id}', which this test does not provide`);
      return modules[id];
    },
    module,
    module.exports,
  );
  return module.exports as FaceApi;
}

const faceApi = loadFaceApi();
const files = faceApiSsdMobileNetV1();
const manifest = files.manifest as { weights: tf.io.WeightsManifestEntry[] }[];
faceApi.nets.ssdMobilenetv1.loadFromWeightMap(
  tf.io.decodeWeights(
    files.weightData.slice().buffer,
    manifest.flatMap((g) => g.weights),
  ),
);

/** face-api's `locateFaces` on an RGB tensor of the photo (its Node path: pad to a square, resize to 512, SSD, NMS). */
export async function faceApiLocateFaces(image: Pixels, options: { minConfidence?: number; maxResults?: number } = {}): Promise<FaceApiDetection[]> {
  const channels = image.data.length / (image.width * image.height);
  const rgb = Int32Array.from({ length: image.width * image.height * 3 }, (_, i) => image.data[Math.floor(i / 3) * channels + (i % 3)]!);
  const input = tf.tensor3d(rgb, [image.height, image.width, 3], 'int32');
  const detections = await faceApi.nets.ssdMobilenetv1.locateFaces(input, options);
  input.dispose();
  return detections.map(({ score, box }) => ({ score, box: { x: box.x, y: box.y, width: box.width, height: box.height } }));
}
