/** Object detection on the host side of an SSD: box decoding against anchors, non-max suppression, and face detection end to end. */
export { decodeBoxes, type DecodeBoxesOptions } from './decode-boxes.js';
export { nonMaxSuppression, type NonMaxSuppressionOptions } from './non-max-suppression.js';
export { detectFaces, type DetectFacesOptions, type SsdDetector } from './detect-faces.js';
export type { FaceDetection } from './face-detection.js';
