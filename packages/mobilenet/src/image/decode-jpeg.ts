import type { DecodedImage } from './decoded-image.js';

/**
 * Decodes a baseline or progressive JPEG to RGB with `jpeg-js` (pure JavaScript, so it runs in
 * Node and browsers alike), imported on first use so a bundle that never decodes does not
 * carry it. Greyscale and CMYK/YCCK files come out as RGB too; EXIF orientation is not applied.
 * @param maxPixels jpeg-js's own limit, passed on (the caller checks the header first).
 */
export async function decodeJpeg(bytes: Uint8Array, maxPixels: number): Promise<DecodedImage> {
  const { default: jpeg } = await import('jpeg-js');
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: maxPixels / 1e6 });
  return { data: image.data, width: image.width, height: image.height, channels: 3 };
}
