import { describeValue, HostTensor, Random, sizeOf, ValueError } from '@sepconv/tensor';
import { layerWeights, type LayerSpec, type ModelSpec, type WeightRole, type WeightSpec } from '@sepconv/graph';
import type { WeightMap } from './weight-map.js';

function normal(random: Random, shape: readonly number[], std: number): HostTensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = random.normal(0, std);
  return new HostTensor(data, shape);
}

function uniform(random: Random, shape: readonly number[], low: number, high: number): HostTensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = random.uniform(low, high);
  return new HostTensor(data, shape);
}

/**
 * How each role is drawn. Batch-norm statistics sit away from the identity so that folding
 * them is really exercised.
 */
const DRAW: Record<Exclude<WeightRole, 'kernel'>, readonly [low: number, high: number]> = {
  bias: [-0.05, 0.05],
  gamma: [0.8, 1.2],
  beta: [-0.1, 0.1],
  movingMean: [-0.1, 0.1],
  movingVariance: [0.8, 1.2],
  // Near 1, so a constant scale or divisor keeps activations in range.
  constant: [0.5, 1.5],
};

function draw(random: Random, layer: LayerSpec, weight: WeightSpec): HostTensor {
  if (weight.role !== 'kernel') {
    const [low, high] = DRAW[weight.role];
    return uniform(random, weight.shape, low, high);
  }
  // He-normal for convolutions; Glorot-like for a dense classifier, so random logits stay in
  // a softmax-friendly range.
  const gain = layer.type === 'dense' ? 1 : 2;
  return normal(random, weight.shape, Math.sqrt(gain / weight.fanIn));
}

/**
 * Seeded random weights for every weight that `layerWeights` (`@sepconv/graph`) lists for the
 * spec's layers, by Keras names (`conv1/kernel`, `conv1_bn/gamma`, …): He-normal kernels (std `sqrt(2 / fanIn)`, which keeps activations in
 * range through ReLU6 layers), small uniform biases, batch-norm statistics near the identity.
 * The same seed gives the same weights on every machine. For benchmarks and tests.
 * @throws ValueError when the seed is not a finite number.
 */
export function randomWeights(spec: ModelSpec, seed = 1): WeightMap {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ValueError('randomWeights', 'seed', `seed must be a finite number, got ${describeValue(seed)}`);
  }
  const random = new Random(seed);
  const weights = new Map<string, HostTensor>();
  for (const layer of spec.layers) for (const weight of layerWeights(layer)) weights.set(`${layer.name}/${weight.name}`, draw(random, layer, weight));
  return weights;
}
