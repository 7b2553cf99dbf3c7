/** Object detection on the host side of an SSD: box decoding against anchors, non-max suppression, and face detection end to end or in two halves around the network. */
export { decodeBoxes, type DecodeBoxesOptions } from './decode-boxes.js';
export { nonMaxSuppression, type NonMaxSuppressionOptions } from './non-max-suppression.js';
export { ssdInput } from './ssd-input.js';
export { decodeSsdOutputs, type DetectFacesOptions, type SsdAnchors } from './decode-ssd-outputs.js';
export { detectFaces, type SsdDetector } from './detect-faces.js';
export type { FaceDetection } from './face-detection.js';
