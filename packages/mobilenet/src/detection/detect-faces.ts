import { formatShape, HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { imageToTensor, type Pixels } from '../image/image-to-tensor.js';
import type { Model, ModelOutputs } from '../runtime/model.js';
import { decodeBoxes } from './decode-boxes.js';
import type { FaceDetection } from './face-detection.js';
import { nonMaxSuppression, resolveNonMaxSuppressionOptions, type NonMaxSuppressionOptions } from './non-max-suppression.js';

/**
 * An SSD detector ready to run: the instantiated model (outputs `box_encodings_<level>` and
 * `class_logits_<level>`, as `ssdMobileNetV1` names them) and what `ssdMobileNetV1FaceDetector`
 * read beside its spec.
 */
export interface SsdDetector {
  readonly model: Model;
  /** `[anchors, 4]`: `[yMin, xMin, yMax, xMax]` relative to the square input. */
  readonly anchors: HostTensor;
  /** The class whose probability is the score. Default 1 (0 is the background). */
  readonly scoreClass?: number | undefined;
}

/** Options of {@link detectFaces}: face-api's defaults (`minConfidence` 0.5, `maxResults` 100, `iouThreshold` 0.5). */
export type DetectFacesOptions = NonMaxSuppressionOptions;

const OP = 'detectFaces';

/** Each anchor's row of a kind of output, the levels concatenated in order (level 0 first; within one, row, column, anchor). */
function concatLevels(
  outputs: Readonly<Record<string, HostTensor>>,
  kind: 'box_encodings' | 'class_logits',
): { data: Float32Array; perLevel: number[] } {
  const levels: HostTensor[] = [];
  for (let level = 0; outputs[`${kind}_${level}`] !== undefined; level++) levels.push(outputs[`${kind}_${level}`]!);
  if (levels.length === 0)
    throw new ValueError(
      OP,
      'detector.model',
      `the model has no output '${kind}_0': not an SSD detector (outputs ${Object.keys(outputs).join(', ')})`,
    );
  const data = new Float32Array(levels.reduce((sum, t) => sum + t.data.length, 0));
  let offset = 0;
  for (const level of levels) {
    data.set(level.data, offset);
    offset += level.data.length;
  }
  return { data, perLevel: levels.map((t) => t.data.length) };
}

function outputRecord(outputs: ModelOutputs<HostTensor>): Readonly<Record<string, HostTensor>> {
  if (outputs instanceof HostTensor)
    throw new ValueError(
      OP,
      'detector.model',
      `the model has one output ${formatShape(outputs.shape)}: an SSD detector has box_encodings_<level> and class_logits_<level>`,
    );
  return outputs;
}

/**
 * Finds faces in one photo with an SSD detector (face-api's SSD MobileNetV1 read by
 * `ssdMobileNetV1FaceDetector` and instantiated on any backend), as face-api's
 * `locateFaces` does: the photo padded at the bottom or right to a square with black, resized
 * to the model's input (bilinear, TensorFlow's rules) and mapped to [-1, 1]; the network run on
 * the backend (`predictAsync`: one read per output); then on the host the box encodings decoded
 * against the anchors (`decodeBoxes`, scale factors 10, 10, 5, 5), each anchor scored by the
 * sigmoid of its face logit, and greedy non-max suppression (`nonMaxSuppression`).
 * Boxes are in the photo's pixels, clipped to the photo. (face-api scales by its rounded
 * resized size and clips to the padded square, so its boxes differ from these by well under
 * one pixel of the model's input.)
 * @param image decoded RGBA or RGB pixels of any size.
 * @returns the faces scoring above `minConfidence`, best first.
 * @throws ValueError naming `detectFaces` for bad options or a model that is not an SSD
 * detector; ShapeError when the anchors do not match the outputs.
 */
export async function detectFaces(detector: SsdDetector, image: Pixels, options: DetectFacesOptions = {}): Promise<FaceDetection[]> {
  const nms = resolveNonMaxSuppressionOptions(OP, options);
  const { model, anchors } = detector;
  const scoreClass = detector.scoreClass ?? 1;
  const [, height, width] = model.spec.inputs[0]!.shape;
  if (model.spec.inputs.length !== 1 || height !== width)
    throw new ValueError(
      OP,
      'detector.model',
      `an SSD detector takes one square image, got inputs ${model.spec.inputs.map((i) => formatShape(i.shape)).join(', ')}`,
    );
  const x = imageToTensor(image, { resolution: height!, fit: 'pad' });
  const outputs = outputRecord(await model.predictAsync(x));
  const encodings = concatLevels(outputs, 'box_encodings');
  const logits = concatLevels(outputs, 'class_logits');
  const count = encodings.data.length / 4;
  if (anchors.shape.length !== 2 || anchors.shape[0] !== count || anchors.shape[1] !== 4) {
    throw new ShapeError(OP, 'detector.anchors', `detector.anchors must be [${count}, 4] for the model's outputs, got ${formatShape(anchors.shape)}`);
  }
  const classes = logits.data.length / count;
  if (!Number.isInteger(classes) || logits.perLevel.some((n, level) => (n / encodings.perLevel[level]!) * 4 !== classes)) {
    throw new ShapeError(
      OP,
      'detector.model',
      'the class_logits outputs do not hold the same number of classes per anchor as box_encodings holds anchors',
    );
  }
  if (!Number.isInteger(scoreClass) || scoreClass < 0 || scoreClass >= classes) {
    throw new ValueError(OP, 'detector.scoreClass', `detector.scoreClass must be an integer in [0, ${classes}), got ${scoreClass}`);
  }
  const boxes = decodeBoxes(new HostTensor(encodings.data, [count, 4]), anchors);
  const scores = new Float64Array(count);
  for (let i = 0; i < count; i++) scores[i] = 1 / (1 + Math.exp(-logits.data[i * classes + scoreClass]!));
  const side = Math.max(image.width, image.height);
  // Relative to the padded square, so one scale for both axes; then clipped to the photo.
  const toPixels = (value: number, size: number): number => Math.min(Math.max(value, 0) * side, size);
  return nonMaxSuppression(boxes, scores, nms).map((i) => {
    const [yMin, xMin, yMax, xMax] = boxes.data.subarray(4 * i, 4 * i + 4);
    const [top, left, bottom, right] = [
      toPixels(yMin!, image.height),
      toPixels(xMin!, image.width),
      toPixels(yMax!, image.height),
      toPixels(xMax!, image.width),
    ];
    return { box: { x: left, y: top, width: right - left, height: bottom - top }, score: scores[i]! };
  });
}
