import { modelInput, modelOutputShape, type GraphLayer, type ModelSpec } from '@sepconv/graph';
import { describeValue, formatShape, ShapeError, UnsupportedError, ValueError, type Tensor } from '@sepconv/tensor';
import { referenceSoftmax } from '@sepconv/tensor/reference';
import { imageToTensor, type ImageToTensorOptions, type Pixels } from '../image/image-to-tensor.js';
import { onlyOutput, type Model } from '../runtime/model.js';
import { classLabels } from './class-labels.js';
import type { Classification, ClassLabels } from './classification.js';

/** Options of {@link classify}. */
export interface ClassifyOptions extends Omit<ImageToTensorOptions, 'resolution'> {
  /** How many classes to return, most probable first; more than the model has returns all. Default 5. */
  topK?: number;
  /** The class labels; without them each class is labelled with its index (`'281'`). */
  labels?: ClassLabels;
}

const OP = 'classify';

/** Activations whose outputs already are probabilities (softmax: one distribution; sigmoid: per class). */
const PROBABILITY_ACTIVATIONS: ReadonlySet<string> = new Set(['softmax', 'sigmoid']);
/** Layers that pass values through unchanged, so the activation before them is the output's. */
const PASS_THROUGH: ReadonlySet<string> = new Set(['reshape', 'dropout']);

/** Whether the model's output is already a probability (its last activation is softmax or sigmoid). */
function outputsProbabilities(spec: ModelSpec): boolean {
  const byName = new Map(spec.layers.map((layer): [string, GraphLayer] => [layer.name, layer]));
  let layer = byName.get(spec.outputs[0]!);
  while (layer !== undefined && PASS_THROUGH.has(layer.type)) layer = byName.get(layer.inputs[0]!);
  return layer !== undefined && 'activation' in layer && PROBABILITY_ACTIVATIONS.has(layer.activation);
}

/** The number of classes, or a typed error when the model is not a one-output classifier. */
function classCount(spec: ModelSpec): number {
  if (spec.outputs.length !== 1) {
    throw new UnsupportedError(
      OP,
      'model',
      `model '${spec.name}' has ${spec.outputs.length} outputs (${spec.outputs.map((o) => `'${o}'`).join(', ')}); classify takes a classifier of one output`,
    );
  }
  const shape = modelOutputShape(spec);
  // Rank 2 exactly: a feature extractor's [batch, 1, 1, channels] is not a classifier's output.
  if (shape.length !== 2) {
    throw new ShapeError(OP, 'model', `model '${spec.name}' outputs ${formatShape(shape)}, not a classifier's [batch, classes]`);
  }
  return shape[shape.length - 1]!;
}

function checkTopK(topK: unknown): number {
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1) {
    throw new ValueError(OP, 'options.topK', `options.topK must be an integer >= 1, got ${describeValue(topK)}`);
  }
  return topK;
}

/** The model's input for one image: a tensor as given (checked), or pixels resized and scaled. */
function inputTensor(spec: ModelSpec, image: Tensor | Pixels, options: ClassifyOptions): Tensor {
  const [, height, width, channels] = modelInput(spec, OP).shape;
  if (typeof image !== 'object' || image === null) {
    throw new ValueError(OP, 'image', `image must be a tensor or decoded pixels { data, width, height }, got ${describeValue(image)}`);
  }
  if (!('shape' in image)) return imageToTensor(image, { ...options, resolution: [height!, width!] });
  const expected = [1, height, width, channels];
  if (image.shape.length !== 4 || image.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(OP, 'image', `image must be one image ${formatShape(expected as number[])} (NHWC), got ${formatShape(image.shape)}`);
  }
  return image;
}

/** Indices of the `k` largest values, largest first; ties keep the lower index first, NaN last. */
function topIndices(values: Float32Array, k: number): number[] {
  const key = (i: number): number => (Number.isNaN(values[i]!) ? -Infinity : values[i]!);
  return Array.from(values.keys())
    .sort((a, b) => key(b) - key(a) || a - b)
    .slice(0, k);
}

/**
 * Classifies one image with a classifier: resizes and scales decoded pixels to the model's
 * input (bilinear, `options.range`, as {@link imageToTensor}), runs the model
 * (`predictAsync`, so any backend) and returns the `topK` most probable classes.
 * A model whose last activation is softmax or sigmoid gives its probabilities as they are;
 * a model that ends in logits (a linear layer) is given a softmax first.
 * @param model an instantiated classifier: one image input `[batch, height, width, channels]`,
 * one output `[batch, classes]`.
 * @param image decoded pixels `{ data, width, height }` (RGB or RGBA bytes: `decodeImage`'s
 * result, a browser's `ImageData`), or a tensor `[1, height, width, channels]` already
 * preprocessed as the model expects (the resize and range options do not apply to it).
 * @param options `topK` (default 5), `labels`, and `range` (default `'[-1, 1]'`, Keras
 * MobileNet's; nsfwjs's model takes `'[0, 1]'`), `alignCorners`, `halfPixelCenters`.
 * @returns up to `topK` classes, most probable first (ties: lower index first).
 * @throws UnsupportedError / ShapeError naming `model` when it is not a one-output classifier;
 * ShapeError naming `image` for a tensor of another shape or pixels that are neither RGB nor
 * RGBA; ValueError naming `options.topK` or `options.labels`.
 */
export async function classify(model: Model, image: Tensor | Pixels, options: ClassifyOptions = {}): Promise<Classification[]> {
  const { spec } = model;
  const classes = classCount(spec);
  const topK = checkTopK(options.topK ?? 5);
  const labels = classLabels(options.labels, classes);
  const x = inputTensor(spec, image, options);
  const { data: values } = onlyOutput(await model.predictAsync(x));
  const probabilities = outputsProbabilities(spec) ? values : referenceSoftmax(values, { shape: [1, classes], rows: 1, rowLength: classes });
  return topIndices(probabilities, topK).map((index) => ({ label: labels[index]!, index, probability: probabilities[index]! }));
}
