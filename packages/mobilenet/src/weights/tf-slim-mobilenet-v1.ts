import { mobilenetV1 } from '../spec/mobilenet-v1.js';
import { HostTensor, ValueError } from '@sepconv/tensor';
import { modelSpec, type LayerSpec } from '@sepconv/graph';
import type { LoadedModel } from './load-layers-model.js';
import type { WeightMap } from './weight-map.js';

/** Options of {@link tfSlimMobileNetV1}. */
export interface TfSlimMobileNetV1Options {
  /** Width multiplier the weights were trained with. Default 1. */
  alpha?: number | undefined;
  /** Input height and width to build the spec for (the backbone runs at any). Default 224. */
  resolution?: number | undefined;
  /** Default 1. */
  batch?: number | undefined;
}

/**
 * Maps a TF-slim / TensorFlow Object Detection MobileNetV1 backbone (weights named
 * `MobilenetV1/Conv2d_0/weights`, `MobilenetV1/Conv2d_<i>_depthwise/depthwise_weights`,
 * `MobilenetV1/Conv2d_<i>_pointwise/weights`, …, as in graph models converted from those
 * checkpoints, e.g. face-api's `ssd_mobilenetv1_model`) onto sepconv's `mobilenetV1` spec
 * without the classifier (output `[batch, res/32, res/32, 1024·α]`). Each convolution's batch
 * norm may be unfolded (`<scope>/BatchNorm/{gamma, beta, moving_mean, moving_variance}`) or
 * already folded by the converter (`<scope>/convolution_bn_offset` or `<scope>/biases`): a
 * folded one becomes a convolution with bias and no batch-norm layer. Weights outside
 * `MobilenetV1/` (a detection head) are left out.
 * @throws ValueError naming the scope whose weights are missing or left unused;
 * ShapeError (from `instantiate`) when a weight's shape does not fit.
 */
export function tfSlimMobileNetV1(weights: WeightMap, options: TfSlimMobileNetV1Options = {}): LoadedModel {
  const op = 'tfSlimMobileNetV1';
  const base = mobilenetV1({ alpha: options.alpha, resolution: options.resolution, batch: options.batch, includeTop: false });
  const prefix = 'MobilenetV1/';
  const source = new Map([...weights].filter(([name]) => name.startsWith(prefix)));
  if (source.size === 0) throw new ValueError(op, 'weights', `no weight is named '${prefix}…': not a TF-slim MobileNetV1`);
  const used = new Set<string>();
  const mapped = new Map<string, HostTensor>();
  const take = (from: string, to: string): void => {
    const weight = source.get(from);
    if (weight === undefined) throw new ValueError(op, from, `weight '${from}' is missing`);
    used.add(from);
    mapped.set(to, weight);
  };
  // Keras's layer names (the spec's) ↔ TF-slim's scopes.
  const scopeOf = (layer: string): string | undefined => {
    if (layer === 'conv1') return `${prefix}Conv2d_0`;
    const match = /^conv_(dw|pw)_(\d+)$/.exec(layer);
    return match ? `${prefix}Conv2d_${match[2]}_${match[1] === 'dw' ? 'depthwise' : 'pointwise'}` : undefined;
  };
  const folded = new Set<string>();
  const layers: LayerSpec[] = [];
  // A dropped batch norm's consumers read what it read.
  const bypassed = new Map<string, string>();
  for (const graphLayer of base.layers) {
    const layer = { ...graphLayer, inputs: graphLayer.inputs.map((name) => bypassed.get(name) ?? name) };
    const scope = scopeOf(layer.name);
    if (scope !== undefined && (layer.type === 'conv2d' || layer.type === 'depthwiseConv2d' || layer.type === 'pointwiseConv2d')) {
      // TF-slim names the first conv Conv2d_0, and some exports add "_pointwise" to it.
      const conv = layer.name === 'conv1' && !source.has(`${scope}/weights`) && source.has(`${scope}_pointwise/weights`) ? `${scope}_pointwise` : scope;
      take(`${conv}/${layer.type === 'depthwiseConv2d' ? 'depthwise_weights' : 'weights'}`, `${layer.name}/${layer.type === 'depthwiseConv2d' ? 'depthwise_kernel' : 'kernel'}`);
      const offset = [`${conv}/convolution_bn_offset`, `${conv}/biases`].find((name) => source.has(name));
      if (offset !== undefined) {
        take(offset, `${layer.name}/bias`);
        folded.add(layer.name);
        layers.push({ ...layer, useBias: true });
      } else {
        for (const [from, to] of [['gamma', 'gamma'], ['beta', 'beta'], ['moving_mean', 'moving_mean'], ['moving_variance', 'moving_variance']] as const) {
          take(`${conv}/BatchNorm/${from}`, `${layer.name}_bn/${to}`);
        }
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
  for (const name of source.keys()) {
    if (!used.has(name)) throw new ValueError(op, name, `weight '${name}' matches no MobileNetV1 layer (another width or architecture?)`);
  }
  const spec = modelSpec({ name: base.name, inputs: base.inputs, outputs: base.outputs, layers });
  return { spec, weights: mapped };
}
