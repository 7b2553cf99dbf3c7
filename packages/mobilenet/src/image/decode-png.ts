import type { DecodedPng } from 'fast-png';
import type { DecodedImage } from './decoded-image.js';

/** 16-bit and packed 1/2/4-bit samples of one decoded PNG, unpacked to one number each. */
function samples(png: DecodedPng): Uint8Array | Uint16Array {
  const { data, depth, width, height } = png;
  if (depth >= 8) return data as Uint8Array | Uint16Array;
  // Below 8 bits only greyscale (and palette, handled apart) exist; rows start on a byte.
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * width + x] = (data[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/** Whether pixel `p` is the colour a greyscale or truecolour PNG's tRNS chunk makes transparent. */
function isColourKey(raw: ArrayLike<number>, p: number, channels: number, key: Uint16Array | undefined): boolean {
  if (key === undefined || key.length !== channels) return false;
  for (let k = 0; k < channels; k++) if (raw[p * channels + k] !== key[k]) return false;
  return true;
}

/**
 * Greyscale, grey + alpha, RGB and RGBA at 1–16 bits → 8-bit RGB or RGBA: grey is repeated
 * into R, G and B; 16-bit samples are rounded to the nearest 8-bit value (`v / 257`, as
 * libpng's `png_set_scale_16`); a tRNS colour key becomes an alpha channel.
 */
function toRgb8(png: DecodedPng): DecodedImage {
  const { width, height, channels, depth } = png;
  const raw = samples(png);
  const key = png.transparency;
  const hasAlpha = channels === 2 || channels === 4 || (key !== undefined && key.length === channels);
  const colours = channels <= 2 ? 1 : 3;
  const outChannels = hasAlpha ? 4 : 3;
  const max = 2 ** depth - 1;
  const scale = (v: number): number => Math.round((v * 255) / max);
  const data = new Uint8Array(width * height * outChannels);
  for (let p = 0; p < width * height; p++) {
    const at = p * channels;
    const out = p * outChannels;
    for (let k = 0; k < 3; k++) data[out + k] = scale(raw[at + (colours === 1 ? 0 : k)]!);
    if (outChannels === 4)
      data[out + 3] = channels === 2 || channels === 4 ? scale(raw[at + channels - 1]!) : isColourKey(raw, p, channels, key) ? 0 : 255;
  }
  return { data, width, height, channels: outChannels };
}

/**
 * Decodes a PNG (every colour type and bit depth, interlaced or not; an APNG's default image)
 * to 8-bit RGB or RGBA with `fast-png` (pure JavaScript, inflate by fflate, so it runs in Node
 * and browsers alike), imported on first use so a bundle that never decodes does not carry it.
 * Chunk CRCs are checked; gamma and colour profiles are not applied.
 */
export async function decodePng(bytes: Uint8Array): Promise<DecodedImage> {
  const { decode, convertIndexedToRgb } = await import('fast-png');
  const png = decode(bytes, { checkCrc: true });
  // A truecolour PNG may carry a suggested palette (PLTE) too; only colour type 3 (one channel) indexes it.
  if (png.palette === undefined || png.channels !== 1) return toRgb8(png);
  // A palette entry is [r, g, b], or [r, g, b, a] for every entry when the file has tRNS.
  const channels = png.palette[0]?.length === 4 ? 4 : 3;
  return { data: convertIndexedToRgb(png), width: png.width, height: png.height, channels };
}
