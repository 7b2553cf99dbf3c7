import { describeValue, ValueError, type Backend } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import { Int8Model } from '../quantize/int8-model.js';
import { compileQuantized } from '../quantize/quantized-plan.js';
import { isQuantizedSpec, type QuantizedWeightMap } from '../quantize/quantized-model-spec.js';
import { randomWeights } from '../weights/random-weights.js';
import type { WeightMap } from '../weights/weight-map.js';
import { compileModel } from './compile-model.js';
import { PlannedModel, type Model } from './model.js';

/** Options of {@link instantiate}. */
export interface InstantiateOptions {
  /**
   * `'random'` (default): seeded He-style weights, for benchmarking; or a {@link WeightMap}
   * by Keras names (from `loadLayersModel`, `loadGraphModel`, …). Every weight must be used
   * and every shape must match the spec. A quantized spec (from `quantizeModel`, or a saved
   * quantized model) takes its {@link QuantizedWeightMap}.
   */
  weights?: 'random' | WeightMap | QuantizedWeightMap | undefined;
  /** Seed of the random weights. Default 1. */
  seed?: number | undefined;
  /** Run depthwise→pointwise pairs as the backend's fused separable kernel. Default true. */
  fuseSeparable?: boolean | undefined;
}

/**
 * Binds a model spec (e.g. `mobilenetV1()`) to a backend: folds every batch norm into its
 * convolution, fuses biases and ReLU6 into the kernels and depthwise separable blocks into the
 * separable kernel, and places the weights on the backend once. A quantized spec runs in int8
 * (see `quantizeModel`): float in, float out.
 * @throws ValueError / ShapeError naming the layer and weight when the weights do not fit the
 * spec; UnsupportedError for a layer kind that does not run.
 */
export async function instantiate(spec: ModelSpec, backend: Backend, options: InstantiateOptions = {}): Promise<Model> {
  const weightsOption = options.weights ?? 'random';
  if (isQuantizedSpec(spec)) {
    if (!(weightsOption instanceof Map)) {
      throw new ValueError(
        'instantiate',
        'options.weights',
        `a quantized spec needs its weights (a Map from quantizeModel or loadModel), got ${describeValue(weightsOption)}`,
      );
    }
    return new Int8Model(spec, backend, compileQuantized(spec, weightsOption as QuantizedWeightMap));
  }
  let weights: WeightMap;
  if (weightsOption === 'random') {
    weights = randomWeights(spec, options.seed ?? 1);
  } else if (weightsOption instanceof Map) {
    weights = weightsOption as WeightMap;
  } else {
    throw new ValueError(
      'instantiate',
      'options.weights',
      `options.weights must be 'random' or a Map of weights by name, got ${describeValue(weightsOption)}`,
    );
  }
  const plan = compileModel(spec, weights, { fuseSeparable: options.fuseSeparable });
  return new PlannedModel(spec, backend, plan);
}
