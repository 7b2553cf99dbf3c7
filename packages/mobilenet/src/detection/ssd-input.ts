import type { ModelSpec } from '@sepconv/graph';
import { formatShape, ValueError, type HostTensor } from '@sepconv/tensor';
import { imageToTensor, type Pixels } from '../image/image-to-tensor.js';

/**
 * {@link ssdInput} with the errors naming `op` and `argument` (`detectFaces` names its own).
 * The SSD's one input must be NHWC `[batch, size, size, 3]`.
 */
export function ssdInputAt(op: string, argument: string, spec: ModelSpec, image: Pixels): HostTensor {
  const shape = spec.inputs[0]?.shape ?? [];
  const [, height, width, channels] = shape;
  if (spec.inputs.length !== 1 || shape.length !== 4 || height !== width || channels !== 3 || spec.layout === 'nchw') {
    throw new ValueError(
      op,
      argument,
      `an SSD detector takes one square NHWC image [batch, size, size, 3], got inputs ${spec.inputs.map((i) => formatShape(i.shape)).join(', ')}${spec.layout === 'nchw' ? " laid out 'nchw'" : ''}`,
    );
  }
  return imageToTensor(image, { resolution: height!, fit: 'pad' });
}

/**
 * The first half of {@link detectFaces}, on the page or wherever the photo is: one photo as an
 * SSD detector's input, as face-api's `locateFaces` prepares it — padded at the bottom or right
 * to a square with black (so the photo keeps its aspect ratio and its top-left corner), resized
 * bilinearly (TensorFlow's rules) to the model's input size and mapped to [-1, 1]
 * (`imageToTensor(image, { resolution, fit: 'pad' })`). Run the model on it anywhere (a Web
 * Worker's `WorkerModel` too) and hand its outputs to {@link decodeSsdOutputs}.
 * @param spec the detector's spec (`ssdMobileNetV1FaceDetector(…).spec`, or `model.spec`): one input `[1, size, size, 3]`.
 * @param image decoded RGBA or RGB pixels of any size.
 * @returns `[1, size, size, 3]`, NHWC float32 in [-1, 1] (512×512 for face-api's detector).
 * @throws ValueError naming `ssdInput` and `spec` for a model that does not take one square
 * image; imageToTensor's ShapeError for pixels that do not fit their width and height.
 */
export function ssdInput(spec: ModelSpec, image: Pixels): HostTensor {
  return ssdInputAt('ssdInput', 'spec', spec, image);
}
