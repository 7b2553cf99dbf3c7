import { layerWeights, type WeightSpec } from './layer-weights.js';
import type { ModelSpec } from './model-spec.js';

/** A weight of a model: a layer's {@link WeightSpec} with the key a weight map holds it under. */
export interface ModelWeight extends WeightSpec {
  /** `<layer name>/<weight name>`, as Keras and TF.js name weights (`conv1/kernel`). */
  readonly key: string;
  /** The layer that owns the weight. */
  readonly layer: string;
}

/**
 * Every weight of a model, layer by layer in the spec's order and each layer's weights in
 * Keras's order: what a complete weight map for the spec holds, key for key.
 * @throws ValueError from {@link layerWeights} for a layer of unknown kind.
 */
export function modelWeights(spec: ModelSpec): readonly ModelWeight[] {
  return spec.layers.flatMap((layer) => layerWeights(layer).map((w) => ({ ...w, key: `${layer.name}/${w.name}`, layer: layer.name })));
}
