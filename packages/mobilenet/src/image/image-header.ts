/** The formats {@link decodeImage} decodes. */
export type ImageFormat = 'jpeg' | 'png';

/** What the first bytes of a file say: its format and, where the header holds them, its size. */
export interface ImageHeader {
  readonly format: ImageFormat;
  /** Pixels; undefined when the header is cut short before the size (the decoder then says why). */
  readonly width: number | undefined;
  readonly height: number | undefined;
}

/** Magic bytes of each format, at offset 0 unless `offset` is given. */
interface Signature {
  readonly name: string;
  readonly bytes: readonly number[];
  readonly offset?: number;
}

const DECODED: Readonly<Record<ImageFormat, Signature>> = {
  jpeg: { name: 'JPEG', bytes: [0xff, 0xd8, 0xff] },
  png: { name: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
};

/** Formats recognised only to say plainly that they are not decoded. */
const RECOGNISED: readonly Signature[] = [
  { name: 'GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'WebP', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
  { name: 'BMP', bytes: [0x42, 0x4d] },
  { name: 'TIFF', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { name: 'TIFF', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { name: 'AVIF', bytes: [0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66], offset: 4 },
  { name: 'HEIC', bytes: [0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63], offset: 4 },
  { name: 'JPEG XL', bytes: [0xff, 0x0a] },
  { name: 'QOI', bytes: [0x71, 0x6f, 0x69, 0x66] },
];

function matches(bytes: Uint8Array, { bytes: magic, offset = 0 }: Signature): boolean {
  return bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);
}

/** The name of a format `decodeImage` recognises but does not decode (`'WebP'`), if any. */
export function otherImageFormat(bytes: Uint8Array): string | undefined {
  return RECOGNISED.find((signature) => matches(bytes, signature))?.name;
}

/** The display name of a decoded format: `'JPEG'`, `'PNG'`. */
export function formatName(format: ImageFormat): string {
  return DECODED[format].name;
}

function uint16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function uint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** PNG: the IHDR chunk comes first, width and height at bytes 16 and 20 (PNG spec §11.2.2). */
function pngSize(bytes: Uint8Array): [number | undefined, number | undefined] {
  return bytes.length >= 24 ? [uint32(bytes, 16), uint32(bytes, 20)] : [undefined, undefined];
}

/** Start-of-frame markers C0–CF, less DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * JPEG: walks the marker segments to the first start-of-frame, which holds height then width
 * (ITU T.81 §B.2.2). Stops at start-of-scan or at the end of what was given.
 */
function jpegSize(bytes: Uint8Array): [number | undefined, number | undefined] {
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    // Fill bytes (0xFF repeated) and markers without a length (RSTn, TEM) carry no segment.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    if (isStartOfFrame(marker)) {
      return at + 9 <= bytes.length ? [uint16(bytes, at + 7), uint16(bytes, at + 5)] : [undefined, undefined];
    }
    at += 2 + uint16(bytes, at + 2);
  }
  return [undefined, undefined];
}

const SIZE_READERS: Readonly<Record<ImageFormat, (bytes: Uint8Array) => [number | undefined, number | undefined]>> = {
  jpeg: jpegSize,
  png: pngSize,
};

/**
 * Reads the format from the magic bytes (JPEG `FF D8 FF`, PNG `89 'PNG' 0D 0A 1A 0A`) and the
 * pixel size from the header, without decoding.
 * @returns undefined when the bytes are neither JPEG nor PNG.
 */
export function imageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const format = (Object.keys(DECODED) as ImageFormat[]).find((f) => matches(bytes, DECODED[f]));
  if (format === undefined) return undefined;
  const [width, height] = SIZE_READERS[format](bytes);
  return { format, width, height };
}
