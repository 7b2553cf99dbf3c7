import { checkWeightsManifest, decodeWeights } from './decode-weights.js';
import type { WeightData } from './weight-bytes.js';
import type { WeightMap } from './weight-map.js';

/**
 * Reads weights alone: a TensorFlow.js weights manifest (`weightsManifest` of a model.json, or
 * a `*-weights_manifest.json`) and its shards concatenated in manifest order (an `ArrayBuffer`
 * or any view of one, see {@link WeightData}), by the names the
 * file uses. Map them onto a spec's Keras names with a mapper such as `tfSlimMobileNetV1`.
 * @throws ValueError / ShapeError / UnsupportedError naming the weight at fault.
 */
export function readWeights(manifest: unknown, weightData: WeightData): WeightMap {
  const op = 'readWeights';
  return decodeWeights(
    op,
    checkWeightsManifest(op, manifest).flatMap((group) => group.weights),
    weightData,
  );
}
