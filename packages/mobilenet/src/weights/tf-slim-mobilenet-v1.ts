import { mobilenetV1 } from '../spec/mobilenet-v1.js';
import { ValueError } from '@sepconv/tensor';
import { modelSpec } from '@sepconv/graph';
import type { LoadedModel } from './load-layers-model.js';
import { mapTfSlimConvs } from './tf-slim-convs.js';
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
  const base = mobilenetV1({ alpha: options.alpha, resolution: options.resolution, batch: options.batch, includeTop: false, stridedPadding: 'same' });
  const prefix = 'MobilenetV1/';
  const source = new Map([...weights].filter(([name]) => name.startsWith(prefix)));
  if (source.size === 0) throw new ValueError(op, 'weights', `no weight is named '${prefix}…': not a TF-slim MobileNetV1`);
  const { layers, weights: mapped, used } = mapTfSlimConvs(op, base, source, (layer) => tfSlimMobileNetV1Scope(layer.name, source));
  for (const name of source.keys()) {
    if (!used.has(name)) throw new ValueError(op, name, `weight '${name}' matches no MobileNetV1 layer (another width or architecture?)`);
  }
  const spec = modelSpec({ name: base.name, inputs: base.inputs, outputs: base.outputs, layers });
  return { spec, weights: mapped };
}

/**
 * The TF-slim scope of one of `mobilenetV1`'s conv layers (`conv1`, `conv_dw_<i>`,
 * `conv_pw_<i>`), `MobilenetV1/Conv2d_…`; undefined for other layers.
 */
export function tfSlimMobileNetV1Scope(layerName: string, source: WeightMap): string | undefined {
  const prefix = 'MobilenetV1/';
  if (layerName === 'conv1') {
    // TF-slim names the first conv Conv2d_0, and some exports add "_pointwise" to it.
    const scope = `${prefix}Conv2d_0`;
    return !source.has(`${scope}/weights`) && source.has(`${scope}_pointwise/weights`) ? `${scope}_pointwise` : scope;
  }
  const match = /^conv_(dw|pw)_(\d+)$/.exec(layerName);
  return match ? `${prefix}Conv2d_${match[2]}_${match[1] === 'dw' ? 'depthwise' : 'pointwise'}` : undefined;
}
