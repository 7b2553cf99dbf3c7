import { describeValue, HostTensor, Random, ValueError } from '@sepconv/tensor';
import type { LayerSpec, ModelSpec } from '@sepconv/graph';
import type { WeightMap } from './weight-map.js';

function normal(random: Random, shape: readonly number[], std: number): HostTensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = random.normal(0, std);
  return new HostTensor(data, shape);
}

function uniform(random: Random, length: number, low: number, high: number): HostTensor {
  const data = new Float32Array(length);
  for (let i = 0; i < length; i++) data[i] = random.uniform(low, high);
  return new HostTensor(data, [length]);
}

function layerWeights(layer: LayerSpec, random: Random): [string, HostTensor][] {
  const channelsIn = layer.inputShape[layer.inputShape.length - 1]!;
  const bias = (length: number): HostTensor => uniform(random, length, -0.05, 0.05);
  switch (layer.type) {
    case 'conv2d': {
      const [kh, kw] = layer.kernelSize;
      const kernel = normal(random, [kh, kw, channelsIn, layer.outChannels], Math.sqrt(2 / (kh * kw * channelsIn)));
      return [['kernel', kernel], ...(layer.useBias ? [['bias', bias(layer.outChannels)] as [string, HostTensor]] : [])];
    }
    case 'depthwiseConv2d': {
      const [kh, kw] = layer.kernelSize;
      const kernel = normal(random, [kh, kw, channelsIn, layer.channelMultiplier], Math.sqrt(2 / (kh * kw)));
      return [['depthwise_kernel', kernel], ...(layer.useBias ? [['bias', bias(channelsIn * layer.channelMultiplier)] as [string, HostTensor]] : [])];
    }
    case 'pointwiseConv2d': {
      const kernel = normal(random, [channelsIn, layer.outChannels], Math.sqrt(2 / channelsIn));
      return [['kernel', kernel], ...(layer.useBias ? [['bias', bias(layer.outChannels)] as [string, HostTensor]] : [])];
    }
    case 'separableConv2d': {
      const [kh, kw] = layer.kernelSize;
      const mid = channelsIn * layer.channelMultiplier;
      const weights: [string, HostTensor][] = [
        ['depthwise_kernel', normal(random, [kh, kw, channelsIn, layer.channelMultiplier], Math.sqrt(2 / (kh * kw)))],
        ['pointwise_kernel', normal(random, [mid, layer.outChannels], Math.sqrt(2 / mid))],
      ];
      if (layer.depthwiseUseBias) weights.push(['depthwise_bias', bias(mid)]);
      if (layer.useBias) weights.push(['bias', bias(layer.outChannels)]);
      return weights;
    }
    case 'dense': {
      // Glorot-like for the classifier, so random logits stay in a softmax-friendly range.
      const kernel = normal(random, [channelsIn, layer.units], Math.sqrt(1 / channelsIn));
      return [['kernel', kernel], ...(layer.useBias ? [['bias', bias(layer.units)] as [string, HostTensor]] : [])];
    }
    case 'batchNorm': {
      // Statistics away from the identity so that folding them is really exercised.
      const weights: [string, HostTensor][] = [];
      if (layer.scale) weights.push(['gamma', uniform(random, channelsIn, 0.8, 1.2)]);
      if (layer.center) weights.push(['beta', uniform(random, channelsIn, -0.1, 0.1)]);
      weights.push(['moving_mean', uniform(random, channelsIn, -0.1, 0.1)], ['moving_variance', uniform(random, channelsIn, 0.8, 1.2)]);
      return weights;
    }
    default:
      return [];
  }
}

/**
 * Seeded random weights for every layer of a spec, by Keras names (`conv1/kernel`,
 * `conv1_bn/gamma`, …): He-normal kernels (std `sqrt(2 / fanIn)`, which keeps activations in
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
  for (const layer of spec.layers) for (const [name, tensor] of layerWeights(layer, random)) weights.set(`${layer.name}/${name}`, tensor);
  return weights;
}
