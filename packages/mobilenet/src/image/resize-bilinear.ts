import { formatShape, ShapeError, ValueError } from '@sepconv/tensor';

/** Options of {@link resizeBilinear}. */
export interface ResizeBilinearOptions {
  /** Map the corner pixels of input and output onto each other (TensorFlow's `align_corners`). Default false. */
  alignCorners?: boolean | undefined;
  /** Sample at pixel centres (TensorFlow 2's `half_pixel_centers`). Default false, as `tf.image.resizeBilinear`. */
  halfPixelCenters?: boolean | undefined;
}

/**
 * Bilinear resize of one HWC image, with TensorFlow's sampling rules (the same source
 * coordinates and interpolation order as `tf.image.resizeBilinear`), accumulated in float64.
 * @param data `[height, width, channels]` row-major.
 * @returns `[outHeight, outWidth, channels]` as float32.
 * @throws ShapeError / ValueError naming `resizeBilinear` and the argument at fault.
 */
export function resizeBilinear(
  data: ArrayLike<number>,
  [height, width, channels]: readonly [number, number, number],
  [outHeight, outWidth]: readonly [number, number],
  options: ResizeBilinearOptions = {},
): Float32Array {
  const op = 'resizeBilinear';
  if (data.length !== height * width * channels) {
    throw new ShapeError(op, 'data', `data has ${data.length} values, not ${formatShape([height, width, channels])}`);
  }
  for (const [argument, size] of [
    ['outHeight', outHeight],
    ['outWidth', outWidth],
  ] as const) {
    if (!Number.isInteger(size) || size < 1) throw new ValueError(op, argument, `${argument} must be a positive integer, got ${size}`);
  }
  if (height < 1 || width < 1) throw new ShapeError(op, 'data', `the image is empty (${height}×${width})`);
  return resizeBilinearFrom({ data, height, width, pixelStride: channels }, [height, width, channels], [outHeight, outWidth], options);
}

/**
 * Where {@link resizeBilinearFrom} reads: `height` rows of `width` pixels, `pixelStride` values
 * per pixel (an RGBA image read as RGB has stride 4); anything beyond them reads 0.
 */
export interface BilinearSource {
  readonly data: ArrayLike<number>;
  readonly height: number;
  readonly width: number;
  readonly pixelStride: number;
}

/**
 * {@link resizeBilinear}'s sampling on an image read in place, unchecked: `[height, width,
 * channels]` is the size resized from, which may exceed the source's own (its black padding,
 * read as 0 rather than copied: `imageToTensor`'s `fit: 'pad'` of a large photo samples a few
 * hundred thousand pixels instead of copying millions).
 */
export function resizeBilinearFrom(
  image: BilinearSource,
  [height, width, channels]: readonly [number, number, number],
  [outHeight, outWidth]: readonly [number, number],
  options: ResizeBilinearOptions,
): Float32Array {
  const { data, pixelStride } = image;
  const read = (y: number, x: number, c: number): number =>
    y < image.height && x < image.width ? data[(y * image.width + x) * pixelStride + c]! : 0;
  const alignCorners = options.alignCorners ?? false;
  const halfPixel = options.halfPixelCenters ?? false;
  const ratio = (inSize: number, outSize: number): number => (alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize);
  const rowRatio = ratio(height, outHeight);
  const colRatio = ratio(width, outWidth);
  const source = (index: number, r: number): number => (halfPixel ? Math.max(0, (index + 0.5) * r - 0.5) : index * r);
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let oy = 0; oy < outHeight; oy++) {
    const fy = source(oy, rowRatio);
    const y0 = Math.floor(fy);
    const y1 = Math.min(height - 1, Math.ceil(fy));
    const dy = fy - y0;
    for (let ox = 0; ox < outWidth; ox++) {
      const fx = source(ox, colRatio);
      const x0 = Math.floor(fx);
      const x1 = Math.min(width - 1, Math.ceil(fx));
      const dx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const tl = read(y0, x0, c);
        const tr = read(y0, x1, c);
        const bl = read(y1, x0, c);
        const br = read(y1, x1, c);
        const top = tl + (tr - tl) * dx;
        const bottom = bl + (br - bl) * dx;
        out[(oy * outWidth + ox) * channels + c] = top + (bottom - top) * dy;
      }
    }
  }
  return out;
}
