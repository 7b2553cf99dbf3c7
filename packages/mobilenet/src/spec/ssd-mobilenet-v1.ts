import { ValueError, describeValue } from '@sepconv/tensor';
import { activationLayer, batchNormLayer, conv2dLayer, modelSpec, pointwiseConv2dLayer, type LayerSpec, type ModelSpec } from '@sepconv/graph';
import { mobilenetV1 } from './mobilenet-v1.js';
import { buildLayers, checkOptions, integerAtLeast } from './model-options.js';

/** Options of {@link ssdMobileNetV1}. */
export interface SsdMobileNetV1Options {
  /** Input height and width. Default 300, as the TF Object Detection API's `ssd_mobilenet_v1`. */
  resolution?: number | undefined;
  /** Default 1. */
  batch?: number | undefined;
  /** Class logits per anchor, background included. Default 91 (COCO's 90 classes and background). */
  classes?: number | undefined;
  /**
   * Anchors per feature-map location on each of the six levels. Default `[3, 6, 6, 6, 6, 6]`
   * (the TF Object Detection API's `reduce_boxes_in_lowest_layer`).
   */
  anchorsPerLocation?: readonly number[] | undefined;
}

/** The layer whose output is each level's feature map: MobileNetV1's blocks 11 and 13, then the extra layers. */
export const SSD_FEATURE_MAPS = [
  'conv_pw_11_relu',
  'conv_pw_13_relu',
  'extra_conv_1_relu',
  'extra_conv_3_relu',
  'extra_conv_5_relu',
  'extra_conv_7_relu',
] as const;

/** `[outChannels, kernelSize, strides]` of the extra feature layers after the backbone: a 1×1 conv to half the depth, then a 3×3 stride-2 conv, four times. */
const EXTRA_LAYERS: readonly (readonly [number, number, number])[] = [
  [256, 1, 1],
  [512, 3, 2],
  [128, 1, 1],
  [256, 3, 2],
  [128, 1, 1],
  [256, 3, 2],
  [64, 1, 1],
  [128, 3, 2],
];

function anchorCounts(op: string, value: unknown): readonly number[] {
  const argument = 'options.anchorsPerLocation';
  if (value === undefined) return [3, 6, 6, 6, 6, 6];
  if (
    !Array.isArray(value) ||
    value.length !== SSD_FEATURE_MAPS.length ||
    !value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1)
  ) {
    throw new ValueError(op, argument, `${argument} must be ${SSD_FEATURE_MAPS.length} integers >= 1 (one per level), got ${describeValue(value)}`);
  }
  return value as readonly number[];
}

/**
 * SSD (Liu et al. 2016) on MobileNetV1, as the TF Object Detection API's `ssd_mobilenet_v1`
 * builds it (face-api's face detector is one, at 512 with 3 classes): the MobileNetV1 backbone
 * with TensorFlow `'same'` padding, four pairs of extra feature layers (1×1 conv to half the
 * depth, 3×3 stride-2 conv; each with batch norm and ReLU6), and on each of six feature maps
 * (blocks 11 and 13, the four extra 3×3 outputs) a 1×1 box-encoding conv and a 1×1 class conv
 * with bias. Twelve outputs, NHWC, in this order: `box_encodings_0…5`
 * (`[batch, h, w, anchors·4]`, each anchor's `[ty, tx, th, tw]`) then `class_logits_0…5`
 * (`[batch, h, w, anchors·classes]`), level 0 the finest. Anchor decoding and non-max
 * suppression happen on the host (`decodeBoxes`, `nonMaxSuppression`).
 * @throws ValueError naming `ssdMobileNetV1` and the option at fault; ShapeError when the
 * resolution is too small.
 */
export function ssdMobileNetV1(options: SsdMobileNetV1Options = {}): ModelSpec {
  const op = 'ssdMobileNetV1';
  checkOptions(op, options);
  const resolution = integerAtLeast(op, 'options.resolution', options.resolution, 300, 1);
  const classes = integerAtLeast(op, 'options.classes', options.classes, 91, 1);
  const anchors = anchorCounts(op, options.anchorsPerLocation);
  return buildLayers(op, resolution, () => {
    const backbone = mobilenetV1({ resolution, batch: options.batch, includeTop: false, stridedPadding: 'same' });
    const layers: LayerSpec[] = [...backbone.layers];
    for (const [index, [outChannels, kernelSize, strides]] of EXTRA_LAYERS.entries()) {
      const inputShape = layers[layers.length - 1]!.outputShape;
      const name = `extra_conv_${index}`;
      const conv =
        kernelSize === 1
          ? pointwiseConv2dLayer({ name, inputShape, outChannels })
          : conv2dLayer({ name, inputShape, kernelSize, outChannels, strides, padding: 'same' });
      layers.push(
        conv,
        batchNormLayer({ name: `${name}_bn`, inputShape: conv.outputShape }),
        activationLayer({ name: `${name}_relu`, inputShape: conv.outputShape, activation: 'relu6' }),
      );
    }
    const shapeOf = new Map(layers.map((layer) => [layer.name, layer.outputShape]));
    const heads = (kind: 'box_encodings' | 'class_logits', perAnchor: number): LayerSpec[] =>
      SSD_FEATURE_MAPS.map((feature, level) =>
        pointwiseConv2dLayer({
          name: `${kind}_${level}`,
          inputs: [feature],
          inputShape: shapeOf.get(feature)!,
          outChannels: anchors[level]! * perAnchor,
          useBias: true,
        }),
      );
    const predictors = [...heads('box_encodings', 4), ...heads('class_logits', classes)];
    return modelSpec({
      name: `ssd_mobilenet_v1_${resolution}`,
      inputs: backbone.inputs,
      outputs: predictors.map((layer) => layer.name),
      layers: [...layers, ...predictors],
    });
  });
}
