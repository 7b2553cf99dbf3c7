import { ValueError } from '@sepconv/tensor';
import { booleanOption, checkLayerOptions, kernelSizePair, layerInputs, layerName, nhwcShape } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/**
 * Bilinear resize of the height and width of an NHWC tensor to `size`, as
 * `tf.image.resize(…, 'bilinear')` (TF2, Keras's `UpSampling2D(interpolation='bilinear')`:
 * half-pixel centres) or TF1 / TF.js `resizeBilinear` (`alignCorners`, or neither: the
 * legacy asymmetric mapping). Segmentation heads upsample with it.
 */
export interface ResizeBilinearLayer extends LayerBase {
  readonly type: 'resizeBilinear';
  /** `[outHeight, outWidth]`. */
  readonly size: readonly [number, number];
  /** Maps the corner pixels' centres onto each other: `src = dst · (in − 1) / (out − 1)`. */
  readonly alignCorners: boolean;
  /** Samples at pixel centres: `src = (dst + 0.5) · in / out − 0.5`. */
  readonly halfPixelCenters: boolean;
}

/** Options of {@link resizeBilinearLayer}. */
export interface ResizeBilinearLayerOptions {
  /** Default `'resize_bilinear'`. */
  name?: string | undefined;
  /** NHWC `[batch, height, width, channels]`. */
  inputShape: readonly number[];
  /** `[outHeight, outWidth]`, or one number for both. */
  size: number | readonly [number, number];
  /** Default false. */
  alignCorners?: boolean | undefined;
  /** Default true (TF2's `tf.image.resize`); false with `alignCorners` false is TF1's asymmetric mapping. */
  halfPixelCenters?: boolean | undefined;
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
}

/**
 * Describes a bilinear resize; output `[batch, outHeight, outWidth, channels]`.
 * @throws ShapeError / ValueError naming `resizeBilinearLayer` and the option at fault
 * (`alignCorners` and `halfPixelCenters` together are refused, as TensorFlow does).
 */
export function resizeBilinearLayer(options: ResizeBilinearLayerOptions): ResizeBilinearLayer {
  const op = 'resizeBilinearLayer';
  checkLayerOptions(op, options);
  const name = layerName(op, options.name, 'resize_bilinear');
  const [batch, height, width, channels] = nhwcShape(op, options.inputShape);
  const size = kernelSizePair(op, options.size, 'options.size');
  const alignCorners = booleanOption(op, 'options.alignCorners', options.alignCorners, false);
  const halfPixelCenters = booleanOption(op, 'options.halfPixelCenters', options.halfPixelCenters, !alignCorners);
  if (alignCorners && halfPixelCenters) {
    throw new ValueError(op, 'options.halfPixelCenters', 'options.alignCorners and options.halfPixelCenters cannot both be true');
  }
  return {
    type: 'resizeBilinear',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape: [batch, height, width, channels],
    outputShape: [batch, size[0], size[1], channels],
    size,
    alignCorners,
    halfPixelCenters,
  };
}
