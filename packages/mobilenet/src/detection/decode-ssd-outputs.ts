import { formatShape, HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import type { ModelOutputs } from '../runtime/model.js';
import { decodeBoxes } from './decode-boxes.js';
import type { FaceDetection } from './face-detection.js';
import { nonMaxSuppression, resolveNonMaxSuppressionOptions, type NonMaxSuppressionOptions } from './non-max-suppression.js';

/** What decoding an SSD's outputs needs besides them: what `ssdMobileNetV1FaceDetector` reads beside its spec. */
export interface SsdAnchors {
  /** `[anchors, 4]`: `[yMin, xMin, yMax, xMax]` relative to the square input, in the order of the concatenated outputs. */
  readonly anchors: HostTensor;
  /** The class whose probability is the score. Default 1 (0 is the background). */
  readonly scoreClass?: number | undefined;
}

/** Options of {@link decodeSsdOutputs} and {@link detectFaces}: face-api's defaults (`minConfidence` 0.5, `maxResults` 100, `iouThreshold` 0.5). */
export type DetectFacesOptions = NonMaxSuppressionOptions;

/** Who is asking, for the errors: the op, and the names its caller knows the outputs and the anchors by. */
export interface DecodeContext {
  readonly op: string;
  readonly outputs: string;
  readonly detector: string;
}

/** Each anchor's row of a kind of output, the levels concatenated in order (level 0 first; within one, row, column, anchor). */
function concatLevels(
  at: DecodeContext,
  outputs: Readonly<Record<string, HostTensor>>,
  kind: 'box_encodings' | 'class_logits',
): { data: Float32Array; perLevel: number[] } {
  const levels: HostTensor[] = [];
  for (let level = 0; outputs[`${kind}_${level}`] !== undefined; level++) levels.push(outputs[`${kind}_${level}`]!);
  if (levels.length === 0)
    throw new ValueError(at.op, at.outputs, `the model has no output '${kind}_0': not an SSD detector (outputs ${Object.keys(outputs).join(', ')})`);
  const data = new Float32Array(levels.reduce((sum, t) => sum + t.data.length, 0));
  let offset = 0;
  for (const level of levels) {
    data.set(level.data, offset);
    offset += level.data.length;
  }
  return { data, perLevel: levels.map((t) => t.data.length) };
}

function outputRecord(at: DecodeContext, outputs: ModelOutputs<HostTensor>): Readonly<Record<string, HostTensor>> {
  if (outputs instanceof HostTensor)
    throw new ValueError(
      at.op,
      at.outputs,
      `the model has one output ${formatShape(outputs.shape)}: an SSD detector has box_encodings_<level> and class_logits_<level>`,
    );
  if (typeof outputs !== 'object' || outputs === null || Object.values(outputs).some((t) => !(t instanceof HostTensor)))
    throw new ValueError(at.op, at.outputs, `${at.outputs} must be the record of host tensors predictAsync gives, by output name`);
  return outputs;
}

/** Per anchor: the decoded box relative to the square input, and the sigmoid of its `scoreClass` logit. */
function scoredBoxes(at: DecodeContext, outputs: ModelOutputs<HostTensor>, detector: SsdAnchors): { boxes: HostTensor; scores: Float64Array } {
  const record = outputRecord(at, outputs);
  const encodings = concatLevels(at, record, 'box_encodings');
  const logits = concatLevels(at, record, 'class_logits');
  const count = encodings.data.length / 4;
  const { anchors } = detector;
  if (!(anchors instanceof HostTensor) || anchors.shape.length !== 2 || anchors.shape[0] !== count || anchors.shape[1] !== 4) {
    const given = anchors instanceof HostTensor ? formatShape(anchors.shape) : String(anchors);
    throw new ShapeError(at.op, `${at.detector}.anchors`, `${at.detector}.anchors must be [${count}, 4] for the model's outputs, got ${given}`);
  }
  const classes = logits.data.length / count;
  if (!Number.isInteger(classes) || logits.perLevel.some((n, level) => (n / encodings.perLevel[level]!) * 4 !== classes)) {
    throw new ShapeError(
      at.op,
      at.outputs,
      'the class_logits outputs do not hold the same number of classes per anchor as box_encodings holds anchors',
    );
  }
  const scoreClass = detector.scoreClass ?? 1;
  if (!Number.isInteger(scoreClass) || scoreClass < 0 || scoreClass >= classes) {
    throw new ValueError(at.op, `${at.detector}.scoreClass`, `${at.detector}.scoreClass must be an integer in [0, ${classes}), got ${scoreClass}`);
  }
  const boxes = decodeBoxes(new HostTensor(encodings.data, [count, 4]), anchors);
  const scores = new Float64Array(count);
  for (let i = 0; i < count; i++) scores[i] = 1 / (1 + Math.exp(-logits.data[i * classes + scoreClass]!));
  return { boxes, scores };
}

function checkImageSize(at: DecodeContext, argument: string, image: { readonly width: number; readonly height: number }): void {
  const { width, height } = image ?? {};
  if (!Number.isInteger(width) || !Number.isInteger(height) || !(width > 0) || !(height > 0))
    throw new ValueError(at.op, argument, `${argument} must have a positive integer width and height, got ${width}×${height}`);
}

/** {@link decodeSsdOutputs} with the errors naming `at`'s op and arguments (`detectFaces` names its own). */
export function decodeSsdOutputsAt(
  at: DecodeContext,
  outputs: ModelOutputs<HostTensor>,
  detector: SsdAnchors,
  image: { readonly width: number; readonly height: number },
  options: DetectFacesOptions,
): FaceDetection[] {
  const nms = resolveNonMaxSuppressionOptions(at.op, options);
  checkImageSize(at, 'image', image);
  const { boxes, scores } = scoredBoxes(at, outputs, detector);
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

/**
 * The second half of {@link detectFaces}, on the host: an SSD detector's raw outputs (what
 * `predictAsync` gives, in this thread or from a Web Worker's `WorkerModel`, for the input
 * {@link ssdInput} made of the photo) turned into boxes in the photo's pixels. The box
 * encodings of every level are decoded against the anchors (`decodeBoxes`, scale factors 10,
 * 10, 5, 5), each anchor is scored by the sigmoid of its `scoreClass` logit, and greedy non-max
 * suppression (`nonMaxSuppression`) keeps the best of overlapping boxes. Boxes are scaled from
 * the padded square to the photo and clipped to it.
 * @param outputs the record `box_encodings_<level>` (`[1, h, w, anchorsPerLocation·4]`) and
 * `class_logits_<level>` (`[1, h, w, anchorsPerLocation·classes]`), levels from 0.
 * @param detector the anchors (`[anchors, 4]`, `[yMin, xMin, yMax, xMax]` relative to the input)
 * and the score class (default 1): `ssdMobileNetV1FaceDetector`'s `{ anchors, scoreClass }`.
 * @param image the photo's `width` and `height` in pixels (the decoded pixels themselves will do).
 * @returns the faces scoring above `minConfidence` (default 0.5), at most `maxResults` (100),
 * none overlapping a better one by more than `iouThreshold` (0.5), best first.
 * @throws ValueError naming `decodeSsdOutputs` for bad options, a bad image size or outputs
 * that are not an SSD's; ShapeError when the anchors do not match the outputs.
 */
export function decodeSsdOutputs(
  outputs: ModelOutputs<HostTensor>,
  detector: SsdAnchors,
  image: { readonly width: number; readonly height: number },
  options: DetectFacesOptions = {},
): FaceDetection[] {
  return decodeSsdOutputsAt({ op: 'decodeSsdOutputs', outputs: 'outputs', detector: 'detector' }, outputs, detector, image, options);
}
