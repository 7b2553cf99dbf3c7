import { describeValue, SepconvError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { decodeJpeg } from './decode-jpeg.js';
import { decodePng } from './decode-png.js';
import type { DecodedImage } from './decoded-image.js';
import { formatName, imageHeader, otherImageFormat, type ImageFormat } from './image-header.js';

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /**
   * Refuse images of more pixels than this, read from the header before anything is allocated.
   * Default 100,000,000 (jpeg-js's own default; 400 MB as RGBA).
   */
  maxPixels?: number;
}

const OP = 'decodeImage';
const DEFAULT_MAX_PIXELS = 100_000_000;
/** A decoder's own message is quoted up to this many characters. */
const MAX_REASON = 200;

const DECODERS = {
  jpeg: decodeJpeg,
  png: decodePng,
} satisfies Record<ImageFormat, (bytes: Uint8Array, maxPixels: number) => Promise<DecodedImage>>;

function asBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && bytes instanceof SharedArrayBuffer)) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new ValueError(OP, 'bytes', `bytes must be an ArrayBuffer or a view of one (Uint8Array, Buffer, DataView), got ${describeValue(bytes)}`);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The format of `bytes`, or the typed error that says why it is not one decodeImage reads. */
function formatOf(bytes: Uint8Array): ReturnType<typeof imageHeader> & object {
  const header = imageHeader(bytes);
  if (header !== undefined) return header;
  if (bytes.length === 0) throw new ValueError(OP, 'bytes', 'bytes is empty');
  const other = otherImageFormat(bytes);
  if (other !== undefined) throw new UnsupportedError(OP, 'bytes', `bytes is a ${other} image; decodeImage reads JPEG and PNG`);
  throw new ValueError(OP, 'bytes', `bytes is neither a JPEG nor a PNG image (it starts with ${hex(bytes)}${bytes.length > 8 ? ' …' : ''})`);
}

function checkSize(format: ImageFormat, width: number | undefined, height: number | undefined, maxPixels: number): void {
  if (width === undefined || height === undefined) return;
  if (width === 0 || height === 0)
    throw new ValueError(OP, 'bytes', `bytes is a ${formatName(format)} image of ${width}×${height} pixels, which is empty`);
  if (width * height > maxPixels) {
    throw new UnsupportedError(
      OP,
      'bytes',
      `bytes is a ${formatName(format)} image of ${width}×${height} pixels, more than options.maxPixels (${maxPixels})`,
    );
  }
}

/**
 * Decodes a JPEG or PNG file to 8-bit pixels in pure JavaScript (Node, browsers, workers):
 * the format is read from the magic bytes, not a file name. The result goes straight into
 * {@link imageToTensor} or `classify`. The decoders (jpeg-js, fast-png) are loaded on the
 * first call, so an app that never decodes does not bundle them.
 * @param bytes the file's contents: an `ArrayBuffer` (or `SharedArrayBuffer`), `Uint8Array`,
 * Node `Buffer` or any view.
 * @returns JPEG: RGB (`channels: 3`; greyscale and CMYK converted; EXIF orientation not
 * applied). PNG: RGB, or RGBA when the file has alpha or a transparent colour (16-bit samples
 * rounded to 8 bits; gamma and colour profiles not applied).
 * @throws ValueError naming `bytes` for data that is not a JPEG or PNG, or is corrupt or cut
 * short; UnsupportedError naming `bytes` for another image format (GIF, WebP, …) or an image
 * of more than `options.maxPixels`; ValueError naming `options.maxPixels` for a bad limit.
 */
export async function decodeImage(bytes: ArrayBufferLike | ArrayBufferView, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const view = asBytes(bytes);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (typeof maxPixels !== 'number' || !(maxPixels >= 1)) {
    throw new ValueError(OP, 'options.maxPixels', `options.maxPixels must be a number >= 1, got ${describeValue(maxPixels)}`);
  }
  const { format, width, height } = formatOf(view);
  checkSize(format, width, height, maxPixels);
  try {
    return await DECODERS[format](view, maxPixels);
  } catch (error) {
    if (error instanceof SepconvError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const quoted = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
    throw new ValueError(OP, 'bytes', `bytes is not a valid ${formatName(format)} image (corrupt or cut short): ${quoted}`);
  }
}
