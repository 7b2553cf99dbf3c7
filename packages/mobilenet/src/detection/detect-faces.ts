import type { HostTensor } from '@sepconv/tensor';
import type { Pixels } from '../image/image-to-tensor.js';
import type { Model } from '../runtime/model.js';
import { decodeSsdOutputsAt, type DetectFacesOptions, type SsdAnchors } from './decode-ssd-outputs.js';
import type { FaceDetection } from './face-detection.js';
import { resolveNonMaxSuppressionOptions } from './non-max-suppression.js';
import { ssdInputAt } from './ssd-input.js';

/**
 * An SSD detector ready to run: the instantiated model (outputs `box_encodings_<level>` and
 * `class_logits_<level>`, as `ssdMobileNetV1` names them) and what `ssdMobileNetV1FaceDetector`
 * read beside its spec.
 */
export interface SsdDetector extends SsdAnchors {
  readonly model: Model;
  /** `[anchors, 4]`: `[yMin, xMin, yMax, xMax]` relative to the square input. */
  readonly anchors: HostTensor;
}

export type { DetectFacesOptions } from './decode-ssd-outputs.js';

const OP = 'detectFaces';

/**
 * Finds faces in one photo with an SSD detector (face-api's SSD MobileNetV1 read by
 * `ssdMobileNetV1FaceDetector` and instantiated on any backend), as face-api's `locateFaces`
 * does. It is {@link ssdInput}, the network (`predictAsync`: one read per output) and
 * {@link decodeSsdOutputs} in a row; call those three yourself to run the network elsewhere
 * (in a Web Worker: `instantiateInWorker`'s model gives the same outputs). The photo is padded
 * at the bottom or right to a square with black, resized to the model's input (bilinear,
 * TensorFlow's rules) and mapped to [-1, 1]; on the host the box encodings are decoded against
 * the anchors (`decodeBoxes`, scale factors 10, 10, 5, 5), each anchor scored by the sigmoid of
 * its face logit, and greedy non-max suppression (`nonMaxSuppression`) applied.
 * Boxes are in the photo's pixels, clipped to the photo. (face-api scales by its rounded
 * resized size and clips to the padded square, so its boxes differ from these by well under
 * one pixel of the model's input.)
 * @param image decoded RGBA or RGB pixels of any size.
 * @returns the faces scoring above `minConfidence`, best first.
 * @throws ValueError naming `detectFaces` for bad options or a model that is not an SSD
 * detector; ShapeError when the anchors do not match the outputs.
 */
export async function detectFaces(detector: SsdDetector, image: Pixels, options: DetectFacesOptions = {}): Promise<FaceDetection[]> {
  // Options first, so a bad option fails before the network runs.
  resolveNonMaxSuppressionOptions(OP, options);
  const { model } = detector;
  const outputs = await model.predictAsync(ssdInputAt(OP, 'detector.model', model.spec, image));
  return decodeSsdOutputsAt({ op: OP, outputs: 'detector.model', detector: 'detector' }, outputs, detector, image, options);
}
