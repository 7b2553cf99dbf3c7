import { formatShape, HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { modelSpec, tensorShapes, type GraphLayer } from '@sepconv/graph';
import { SSD_FEATURE_MAPS, ssdMobileNetV1 } from '../spec/ssd-mobilenet-v1.js';
import type { LoadedModel } from './load-layers-model.js';
import { mapTfSlimConvs } from './tf-slim-convs.js';
import { tfSlimMobileNetV1Scope } from './tf-slim-mobilenet-v1.js';
import type { WeightMap } from './weight-map.js';

/** An SSD detector read from its files: the spec, its weights, and the anchors its outputs are relative to. */
export interface SsdDetectorModel extends LoadedModel {
  /**
   * `[anchors, 4]`: each anchor's `[yMin, xMin, yMax, xMax]` relative to the (square) input, in
   * the order of the concatenated outputs (level 0 first; within a level row, column, anchor).
   */
  readonly anchors: HostTensor;
  /** Index of the class the detector finds (1 for face-api's faces; 0 is the background). */
  readonly scoreClass: number;
}

/** Options of {@link ssdMobileNetV1FaceDetector}. */
export interface SsdMobileNetV1FaceDetectorOptions {
  /** Default 1. */
  batch?: number | undefined;
}

const OP = 'ssdMobileNetV1FaceDetector';
// The names of trained weights under the two scopes; the other entries are graph constants
// (shape and slice arguments) the converter kept beside them.
const WEIGHT_NAME = /\/(weights|depthwise_weights|biases|convolution_bn_offset|BatchNorm\/(gamma|beta|moving_mean|moving_variance))$/;

function required(weights: WeightMap, name: string): HostTensor {
  const weight = weights.get(name);
  if (weight === undefined) throw new ValueError(OP, name, `weight '${name}' is missing: not face-api's SSD MobileNetV1 face detector`);
  return weight;
}

/** Anchors per location and class logits per anchor, from the predictors' output channels. */
function headSizes(weights: WeightMap): { anchorsPerLocation: number[]; classes: number } {
  const anchorsPerLocation = SSD_FEATURE_MAPS.map((_, level) => {
    const name = `Prediction/BoxPredictor_${level}/BoxEncodingPredictor/weights`;
    const channels = required(weights, name).shape.at(-1)!;
    if (channels % 4 !== 0) throw new ShapeError(OP, name, `${name} must have 4 output channels per anchor, got ${channels}`);
    return channels / 4;
  });
  const name = 'Prediction/BoxPredictor_0/ClassPredictor/weights';
  const channels = required(weights, name).shape.at(-1)!;
  if (channels % anchorsPerLocation[0]! !== 0)
    throw new ShapeError(OP, name, `${name}'s ${channels} output channels are not a multiple of the ${anchorsPerLocation[0]} anchors per location`);
  return { anchorsPerLocation, classes: channels / anchorsPerLocation[0]! };
}

/** The input size the file was exported for (`Preprocessor/ResizeImage/size`), 512 when absent. */
function resolutionOf(weights: WeightMap): number {
  const size = weights.get('Preprocessor/ResizeImage/size');
  if (size === undefined) return 512;
  const [height, width] = size.data;
  if (size.data.length !== 2 || height !== width || !Number.isInteger(height) || height! < 1) {
    throw new ValueError(
      OP,
      'Preprocessor/ResizeImage/size',
      `Preprocessor/ResizeImage/size must be a square [size, size], got [${[...size.data].join(', ')}]`,
    );
  }
  return height!;
}

// The spec's layer names ↔ the file's scopes.
function scopeOf(layer: GraphLayer, weights: WeightMap): string | undefined {
  const extra = /^extra_conv_(\d+)$/.exec(layer.name);
  if (extra) return `Prediction/Conv2d_${extra[1]}_pointwise`;
  const head = /^(box_encodings|class_logits)_(\d+)$/.exec(layer.name);
  if (head) return `Prediction/BoxPredictor_${head[2]}/${head[1] === 'box_encodings' ? 'BoxEncodingPredictor' : 'ClassPredictor'}`;
  return tfSlimMobileNetV1Scope(layer.name, weights);
}

/**
 * Reads face-api's SSD MobileNetV1 face detector (`ssd_mobilenetv1_model`: a TF Object
 * Detection API `ssd_mobilenet_v1` at 512×512 with 3 classes, exported as a weights manifest
 * and one shard, uint8-quantised; read it with `readWeights`) onto {@link ssdMobileNetV1}'s
 * spec: the backbone's TF-slim names (`MobilenetV1/Conv2d_<i>_depthwise/…`, depthwise batch
 * norm unfolded, pointwise folded into `convolution_bn_offset`), the extra feature layers
 * (`Prediction/Conv2d_<i>_pointwise`, folded) and the six predictors
 * (`Prediction/BoxPredictor_<l>/{BoxEncodingPredictor, ClassPredictor}/{weights, biases}`).
 * The input size, the anchors per location and the class count come from the file, and the
 * anchors from its `Output/extra_dim` constant (`[1, anchors, 4]`). Run it with `detectFaces`.
 * @throws ValueError naming the weight that is missing or matches no layer; ShapeError when
 * the anchors do not fit the outputs.
 */
export function ssdMobileNetV1FaceDetector(weights: WeightMap, options: SsdMobileNetV1FaceDetectorOptions = {}): SsdDetectorModel {
  const { anchorsPerLocation, classes } = headSizes(weights);
  const base = ssdMobileNetV1({ resolution: resolutionOf(weights), batch: options.batch, classes, anchorsPerLocation });
  const { layers, weights: mapped, used } = mapTfSlimConvs(OP, base, weights, (layer) => scopeOf(layer, weights));
  for (const name of weights.keys()) {
    if ((name.startsWith('MobilenetV1/') || name.startsWith('Prediction/')) && WEIGHT_NAME.test(name) && !used.has(name)) {
      throw new ValueError(OP, name, `weight '${name}' matches no layer of the SSD MobileNetV1 spec (another architecture?)`);
    }
  }
  const spec = modelSpec({ name: 'ssd_mobilenetv1_face_detector', inputs: base.inputs, outputs: base.outputs, layers });
  const extraDim = required(weights, 'Output/extra_dim');
  const shapes = tensorShapes(spec);
  const count = SSD_FEATURE_MAPS.reduce((sum, _, level) => {
    const [, height, width, channels] = shapes.get(`box_encodings_${level}`)!;
    return sum + height! * width! * (channels! / 4);
  }, 0);
  if (extraDim.data.length !== count * 4) {
    throw new ShapeError(
      OP,
      'Output/extra_dim',
      `Output/extra_dim must hold the ${count} anchors of the outputs as [1, ${count}, 4], got ${formatShape(extraDim.shape)}`,
    );
  }
  return { spec, weights: mapped, anchors: new HostTensor(extraDim.data, [count, 4]), scoreClass: 1 };
}
