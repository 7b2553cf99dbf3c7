import { ValueError } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import { checkWeightsManifest, decodeWeights } from './decode-weights.js';
import { readKerasTopology, type KerasModelSpecOptions } from './keras-model-spec.js';
import type { WeightData } from './weight-bytes.js';
import type { WeightMap } from './weight-map.js';

/** A model read from files: its spec and its weights by Keras names, ready for `instantiate`. */
export interface LoadedModel {
  readonly spec: ModelSpec;
  readonly weights: WeightMap;
}

/**
 * Reads a TensorFlow.js layers model (Keras): `model.json` parsed (`modelTopology` +
 * `weightsManifest`) and its weight shards concatenated in manifest order (an `ArrayBuffer` or
 * any view of one, see {@link WeightData}). Quantised weights
 * are dequantised; batch norm stays as in the file and is folded by `instantiate`.
 * @example
 * const { spec, weights } = loadLayersModel(JSON.parse(modelJson), shardBytes);
 * const model = await instantiate(spec, backend, { weights });
 * @throws ValueError / ShapeError / UnsupportedError naming the layer or the manifest entry at
 * fault (`modelJson.weightsManifest[0].weights[3].dtype`), or `weightData` when it is not bytes.
 */
export function loadLayersModel(modelJson: unknown, weightData: WeightData, options: KerasModelSpecOptions = {}): LoadedModel {
  const op = 'loadLayersModel';
  if (typeof modelJson !== 'object' || modelJson === null) throw new ValueError(op, 'modelJson', 'modelJson must be the parsed model.json object');
  const { modelTopology, weightsManifest } = modelJson as { modelTopology?: unknown; weightsManifest?: unknown };
  if (modelTopology === undefined) throw new ValueError(op, 'modelJson', 'model.json has no modelTopology');
  const { spec, weightSources } = readKerasTopology(modelTopology, options);
  const groups = checkWeightsManifest(op, weightsManifest, 'modelJson.weightsManifest');
  const weights = new Map(
    decodeWeights(
      op,
      groups.flatMap((g) => g.weights),
      weightData,
    ),
  );
  for (const [layer, source] of weightSources) {
    for (const [key, value] of [...weights]) {
      if (!key.startsWith(`${source}/`)) continue;
      weights.delete(key);
      weights.set(`${layer}${key.slice(source.length)}`, value);
    }
  }
  return { spec, weights };
}
