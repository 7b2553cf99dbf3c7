import { ValueError, type HostTensor } from '@sepconv/tensor';
import type { GraphLayer, LayerSpec, ModelSpec } from '@sepconv/graph';
import type { WeightMap } from './weight-map.js';

/** What {@link mapTfSlimConvs} returns. */
export interface TfSlimConvMapping {
  /** The spec's layers, a folded convolution's batch-norm layer dropped and its readers rewired. */
  readonly layers: LayerSpec[];
  /** The weights by the spec's names. */
  readonly weights: Map<string, HostTensor>;
  /** The source names that were taken. */
  readonly used: ReadonlySet<string>;
}

const KERNEL_NAMES = {
  conv2d: ['weights', 'kernel'],
  pointwiseConv2d: ['weights', 'kernel'],
  depthwiseConv2d: ['depthwise_weights', 'depthwise_kernel'],
} as const;

const BATCH_NORM_NAMES = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

/**
 * Maps TF-slim scopes onto a spec whose convolutions are each followed by a Keras-named batch
 * norm (`<conv>_bn`) or carry a bias: the kernel is `<scope>/weights` (`depthwise_weights`);
 * a batch norm the converter folded away (`<scope>/convolution_bn_offset`, or `<scope>/biases`)
 * becomes the conv's bias and its `_bn` layer is dropped, readers rewired to the conv; an
 * unfolded one maps `<scope>/BatchNorm/{gamma, beta, moving_mean, moving_variance}`. The one
 * home of that rule for every TF-slim-named network (MobileNetV1, the SSD heads).
 * @param scopeOf the TF-slim scope of a spec conv layer, undefined for a layer without weights.
 * @throws ValueError naming `op` and the missing weight.
 */
export function mapTfSlimConvs(
  op: string,
  base: ModelSpec,
  source: WeightMap,
  scopeOf: (layer: GraphLayer) => string | undefined,
): TfSlimConvMapping {
  const used = new Set<string>();
  const weights = new Map<string, HostTensor>();
  const take = (from: string, to: string): void => {
    const weight = source.get(from);
    if (weight === undefined) throw new ValueError(op, from, `weight '${from}' is missing`);
    used.add(from);
    weights.set(to, weight);
  };
  const folded = new Set<string>();
  const layers: LayerSpec[] = [];
  // A dropped batch norm's readers read what it read.
  const bypassed = new Map<string, string>();
  for (const graphLayer of base.layers) {
    const layer = { ...graphLayer, inputs: graphLayer.inputs.map((name) => bypassed.get(name) ?? name) };
    const scope = scopeOf(layer);
    if (scope !== undefined && (layer.type === 'conv2d' || layer.type === 'depthwiseConv2d' || layer.type === 'pointwiseConv2d')) {
      const [kernelFrom, kernelTo] = KERNEL_NAMES[layer.type];
      take(`${scope}/${kernelFrom}`, `${layer.name}/${kernelTo}`);
      const offset = [`${scope}/convolution_bn_offset`, `${scope}/biases`].find((name) => source.has(name));
      if (offset !== undefined) {
        take(offset, `${layer.name}/bias`);
        folded.add(layer.name);
        layers.push({ ...layer, useBias: true });
      } else {
        for (const name of BATCH_NORM_NAMES) take(`${scope}/BatchNorm/${name}`, `${layer.name}_bn/${name}`);
        layers.push(layer);
      }
      continue;
    }
    if (layer.type === 'batchNorm' && folded.has(layer.name.replace(/_bn$/, ''))) {
      bypassed.set(layer.name, layer.inputs[0]!);
      continue;
    }
    layers.push(layer);
  }
  return { layers, weights, used };
}
