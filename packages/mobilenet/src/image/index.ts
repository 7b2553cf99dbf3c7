/** Image preprocessing: decoded pixels → the NHWC float32 batch MobileNet takes. */
export { imageToTensor, type ImageToTensorOptions, type Pixels } from './image-to-tensor.js';
export { resizeBilinear, type ResizeBilinearOptions } from './resize-bilinear.js';
