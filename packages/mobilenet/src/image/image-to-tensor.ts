import { describeValue, HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { resizeBilinearFrom, type ResizeBilinearOptions } from './resize-bilinear.js';

/**
 * Decoded pixels, row-major, 8 bits per channel: RGBA (a browser's `ImageData`, `jpeg-js`'s
 * `decode`) or RGB. Alpha is dropped.
 */
export interface Pixels {
  readonly data: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
}

/** Options of {@link imageToTensor}. */
export interface ImageToTensorOptions extends ResizeBilinearOptions {
  /** Output height and width: one number for a square, or `[height, width]`. Default 224. */
  resolution?: number | readonly [number, number] | undefined;
  /**
   * Value range the network was trained on: `[-1, 1]` (default; Keras MobileNet V1/V2's
   * `preprocess_input`, `x / 127.5 − 1`) or `[0, 1]` (`x / 255`).
   */
  range?: '[-1, 1]' | '[0, 1]' | undefined;
  /**
   * `'stretch'` (default) resizes each image to the resolution whatever its aspect ratio;
   * `'pad'` first pads the bottom or right edge with black to a square (the image keeps its
   * aspect ratio and its top-left corner), as face-api and SSD detectors take a photo.
   */
  fit?: 'stretch' | 'pad' | undefined;
}

/**
 * Turns images into the NHWC float32 batch MobileNet takes: drops alpha, resizes each image
 * bilinearly (TensorFlow's rules) to the resolution, and maps 0..255 to the model's range.
 * @returns `[images.length, height, width, 3]`.
 * @throws ShapeError when an image's data does not hold width × height RGB or RGBA pixels;
 * ValueError for a bad option.
 */
export function imageToTensor(images: Pixels | readonly Pixels[], options: ImageToTensorOptions = {}): HostTensor {
  const op = 'imageToTensor';
  const list: readonly Pixels[] = Array.isArray(images) ? images : [images as Pixels];
  const resolution = options.resolution ?? 224;
  const [outHeight, outWidth] = typeof resolution === 'number' ? [resolution, resolution] : resolution;
  const range = options.range ?? '[-1, 1]';
  if (range !== '[-1, 1]' && range !== '[0, 1]')
    throw new ValueError(op, 'options.range', `options.range must be '[-1, 1]' or '[0, 1]', got ${describeValue(range)}`);
  const [scale, offset] = range === '[-1, 1]' ? [1 / 127.5, -1] : [1 / 255, 0];
  const fit = options.fit ?? 'stretch';
  if (fit !== 'stretch' && fit !== 'pad')
    throw new ValueError(op, 'options.fit', `options.fit must be 'stretch' or 'pad', got ${describeValue(fit)}`);
  const out = new Float32Array(list.length * outHeight * outWidth * 3);
  for (const [index, image] of list.entries()) {
    const argument = `images[${index}]`;
    const { width, height, data } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new ShapeError(op, argument, `${argument}: width and height must be positive integers, got ${width}×${height}`);
    }
    const channels = data.length / (width * height);
    if (channels !== 3 && channels !== 4) {
      throw new ShapeError(op, argument, `${argument}: data has ${data.length} values, which is neither RGB nor RGBA for ${width}×${height}`);
    }
    // Padding is black: read as zeros beyond the image's own rows and columns, never copied.
    const side = Math.max(width, height);
    const [inHeight, inWidth] = fit === 'pad' ? [side, side] : [height, width];
    const resized = resizeBilinearFrom({ data, height, width, pixelStride: channels }, [inHeight, inWidth, 3], [outHeight, outWidth], options);
    const base = index * resized.length;
    for (let i = 0; i < resized.length; i++) out[base + i] = resized[i]! * scale + offset;
  }
  return new HostTensor(out, [list.length, outHeight, outWidth, 3]);
}
