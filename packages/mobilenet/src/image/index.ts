/** Image preprocessing: files → decoded pixels → the NHWC float32 batch MobileNet takes. */
export { decodeImage, type DecodeImageOptions } from './decode-image.js';
export type { DecodedImage } from './decoded-image.js';
export { imageToTensor, type ImageToTensorOptions, type Pixels } from './image-to-tensor.js';
export { resizeBilinear, type ResizeBilinearOptions } from './resize-bilinear.js';
