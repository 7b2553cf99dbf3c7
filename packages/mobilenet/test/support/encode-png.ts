// A minimal PNG writer for the decoder's tests, written from the PNG spec with node:zlib only
// (deflate and CRC-32), so the decoder under test (fast-png) never checks itself: every colour
// type and bit depth, filter 0 on every row, no interlace.
import { crc32, deflateSync } from 'node:zlib';

export interface PngInput {
  width: number;
  height: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colourType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  /** One number per sample (or palette index), row-major, at `depth` bits. */
  samples: ArrayLike<number>;
  /** PLTE: [r, g, b] entries. */
  palette?: readonly (readonly [number, number, number])[];
  /** tRNS: palette alphas, or the one transparent grey/RGB colour, as the spec lays it out. */
  transparency?: readonly number[];
}

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function packRows({ width, height, colourType, depth, samples }: PngInput): Uint8Array {
  const perRow = width * CHANNELS[colourType];
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const out = new Uint8Array(height * (1 + rowBytes));
  for (let y = 0; y < height; y++) {
    const row = out.subarray(y * (1 + rowBytes) + 1, (y + 1) * (1 + rowBytes));
    for (let i = 0; i < perRow; i++) {
      const v = samples[y * perRow + i]!;
      if (depth === 16) {
        row[2 * i] = v >> 8;
        row[2 * i + 1] = v & 0xff;
      } else {
        const bit = i * depth;
        row[bit >> 3]! |= v << (8 - depth - (bit & 7));
      }
    }
  }
  return out;
}

export function encodePng(input: PngInput): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, input.width);
  view.setUint32(4, input.height);
  header[8] = input.depth;
  header[9] = input.colourType;
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', header)];
  if (input.palette) parts.push(chunk('PLTE', Uint8Array.from(input.palette.flat())));
  if (input.transparency) {
    const trns = input.colourType === 3 ? Uint8Array.from(input.transparency) : new Uint8Array(input.transparency.flatMap((v) => [v >> 8, v & 0xff]));
    parts.push(chunk('tRNS', trns));
  }
  parts.push(chunk('IDAT', deflateSync(packRows(input))), chunk('IEND', new Uint8Array(0)));
  // A copy of its own: Buffer.concat may return a view into Node's shared pool.
  return new Uint8Array(Buffer.concat(parts));
}
