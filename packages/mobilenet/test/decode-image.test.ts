import { readFileSync } from 'node:fs';
import { SepconvError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/image/decode-image.js';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { encodePng, type PngInput } from './support/encode-png.js';
import { darknetPhoto } from './support/real-models.js';

const DOG = '/usr/share/darknet/data/dog.jpg';

function dropAlpha(rgba: ArrayLike<number>): Uint8Array {
  return Uint8Array.from({ length: (rgba.length / 4) * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]!);
}

/** Rejects with `Class`, naming decodeImage and `argument`, with a message matching `pattern`. */
async function expectRejects(promise: Promise<unknown>, Class: typeof SepconvError, argument: string, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Class);
  expect(error).toMatchObject({ op: 'decodeImage', argument });
  expect((error as Error).message).toMatch(pattern);
}

describe('decodeImage: JPEG (jpeg-js)', () => {
  it("decodes a darknet photo to the same RGB as jpeg-js's RGBA, and imageToTensor takes it as it is", async () => {
    const image = await decodeImage(readFileSync(DOG));
    const reference = darknetPhoto('dog');
    expect([image.width, image.height, image.channels]).toEqual([768, 576, 3]);
    expect(image.data).toEqual(dropAlpha(reference.data));
    expect(imageToTensor(image, { resolution: 224 }).data).toEqual(imageToTensor(reference, { resolution: 224 }).data);
  });

  it('takes an ArrayBuffer, a Uint8Array at an offset and a DataView', async () => {
    const file = encodePng({ width: 2, height: 1, colourType: 2, depth: 8, samples: [1, 2, 3, 4, 5, 6] });
    const padded = new Uint8Array(file.length + 7);
    padded.set(file, 7);
    for (const bytes of [file.buffer, padded.subarray(7), new DataView(padded.buffer, 7)]) {
      expect(Array.from((await decodeImage(bytes)).data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });
});

interface PngCase {
  name: string;
  png: PngInput;
  channels: 3 | 4;
  expected: number[];
}

const PNG_CASES: PngCase[] = [
  {
    name: 'grey 8-bit',
    png: { width: 3, height: 1, colourType: 0, depth: 8, samples: [0, 128, 255] },
    channels: 3,
    expected: [0, 0, 0, 128, 128, 128, 255, 255, 255],
  },
  // 10 pixels of 1 bit: each row ends mid-byte, so the second row starts on a fresh byte.
  {
    name: 'grey 1-bit, rows not a whole byte',
    png: { width: 10, height: 2, colourType: 0, depth: 1, samples: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0] },
    channels: 3,
    expected: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0].flatMap((v) => [v * 255, v * 255, v * 255]),
  },
  {
    name: 'grey 4-bit',
    png: { width: 3, height: 1, colourType: 0, depth: 4, samples: [0, 7, 15] },
    channels: 3,
    expected: [0, 0, 0, 119, 119, 119, 255, 255, 255],
  },
  // 16 bits round to the nearest 8-bit value: 32896 / 257 = 128, 32767 / 257 = 127.5 → 127.496… → 127.
  {
    name: 'grey 16-bit',
    png: { width: 4, height: 1, colourType: 0, depth: 16, samples: [0, 25700, 32767, 65535] },
    channels: 3,
    expected: [0, 0, 0, 100, 100, 100, 127, 127, 127, 255, 255, 255],
  },
  {
    name: 'grey + alpha 8-bit',
    png: { width: 2, height: 1, colourType: 4, depth: 8, samples: [10, 20, 30, 40] },
    channels: 4,
    expected: [10, 10, 10, 20, 30, 30, 30, 40],
  },
  {
    name: 'RGB 8-bit',
    png: { width: 2, height: 1, colourType: 2, depth: 8, samples: [1, 2, 3, 4, 5, 6] },
    channels: 3,
    expected: [1, 2, 3, 4, 5, 6],
  },
  { name: 'RGB 16-bit', png: { width: 1, height: 1, colourType: 2, depth: 16, samples: [257, 514, 65535] }, channels: 3, expected: [1, 2, 255] },
  {
    name: 'RGBA 8-bit',
    png: { width: 1, height: 2, colourType: 6, depth: 8, samples: [1, 2, 3, 4, 5, 6, 7, 8] },
    channels: 4,
    expected: [1, 2, 3, 4, 5, 6, 7, 8],
  },
  {
    name: 'RGBA 16-bit',
    png: { width: 1, height: 1, colourType: 6, depth: 16, samples: [0, 65535, 257, 32896] },
    channels: 4,
    expected: [0, 255, 1, 128],
  },
  {
    name: 'palette 2-bit',
    png: {
      width: 3,
      height: 1,
      colourType: 3,
      depth: 2,
      samples: [2, 0, 1],
      palette: [
        [10, 11, 12],
        [20, 21, 22],
        [30, 31, 32],
      ],
    },
    channels: 3,
    expected: [30, 31, 32, 10, 11, 12, 20, 21, 22],
  },
  {
    name: 'palette 8-bit with tRNS alphas',
    png: {
      width: 2,
      height: 1,
      colourType: 3,
      depth: 8,
      samples: [1, 0],
      palette: [
        [10, 11, 12],
        [20, 21, 22],
      ],
      transparency: [0],
    },
    channels: 4,
    expected: [20, 21, 22, 255, 10, 11, 12, 0],
  },
  {
    name: 'grey with a tRNS colour key',
    png: { width: 2, height: 1, colourType: 0, depth: 8, samples: [5, 6], transparency: [6] },
    channels: 4,
    expected: [5, 5, 5, 255, 6, 6, 6, 0],
  },
  // 2×2: fast-png refuses an RGB tRNS key (3 values) on an image of fewer than 3 pixels.
  {
    name: 'RGB 16-bit with a tRNS colour key',
    png: {
      width: 2,
      height: 2,
      colourType: 2,
      depth: 16,
      samples: [257, 514, 771, 257, 514, 772, 0, 0, 0, 257, 514, 771],
      transparency: [257, 514, 771],
    },
    channels: 4,
    expected: [1, 2, 3, 0, 1, 2, 3, 255, 0, 0, 0, 255, 1, 2, 3, 0],
  },
];

describe('decodeImage: PNG (fast-png), every colour type and depth from an independent encoder', () => {
  for (const { name, png, channels, expected } of PNG_CASES) {
    it(name, async () => {
      const image = await decodeImage(encodePng(png));
      expect([image.width, image.height, image.channels]).toEqual([png.width, png.height, channels]);
      expect(Array.from(image.data)).toEqual(expected);
    });
  }

  it('a darknet photo written as an RGB PNG decodes to the JPEG decoder’s pixels', async () => {
    const { data, width, height } = await decodeImage(readFileSync(DOG));
    const image = await decodeImage(encodePng({ width, height, colourType: 2, depth: 8, samples: data }));
    expect(image.channels).toBe(3);
    expect(image.data).toEqual(data);
  });
});

describe('decodeImage: bad input is a typed error naming bytes', () => {
  const png = encodePng({ width: 4, height: 4, colourType: 2, depth: 8, samples: new Uint8Array(48).fill(9) });

  it('not bytes', async () => {
    for (const bytes of ['photo.jpg', 42, null, [0xff, 0xd8, 0xff]]) {
      await expectRejects(decodeImage(bytes as never), ValueError, 'bytes', /bytes must be an ArrayBuffer or a view of one/);
    }
  });

  it('empty, and neither JPEG nor PNG (the first bytes shown)', async () => {
    await expectRejects(decodeImage(new Uint8Array(0)), ValueError, 'bytes', /^decodeImage: bytes is empty$/);
    await expectRejects(
      decodeImage(Buffer.from('<!DOCTYPE html><html>')),
      ValueError,
      'bytes',
      /neither a JPEG nor a PNG image \(it starts with 3c 21 44 4f 43 54 59 50 …\)/,
    );
    await expectRejects(
      decodeImage(Uint8Array.of(0x89, 0x50, 0x4e)),
      ValueError,
      'bytes',
      /neither a JPEG nor a PNG image \(it starts with 89 50 4e\)$/,
    );
  });

  it('another image format is named as such', async () => {
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    await expectRejects(decodeImage(webp), UnsupportedError, 'bytes', /bytes is a WebP image; decodeImage reads JPEG and PNG/);
    await expectRejects(decodeImage(Buffer.from('GIF89a\x01\x00\x01\x00')), UnsupportedError, 'bytes', /bytes is a GIF image/);
  });

  it('a JPEG or PNG cut short at any of several points (a PNG cut inside its signature is no PNG)', async () => {
    const jpeg = readFileSync(DOG);
    for (const [name, file] of [
      ['JPEG', jpeg],
      ['PNG', png],
    ] as const) {
      for (const length of [file.length - 1, Math.floor(file.length / 2), 40, 12]) {
        await expectRejects(
          decodeImage(file.subarray(0, length)),
          ValueError,
          'bytes',
          new RegExp(`bytes is not a valid ${name} image \\(corrupt or cut short\\)`),
        );
      }
    }
  });

  it('a PNG with a damaged byte fails its CRC', async () => {
    const damaged = png.slice();
    damaged[damaged.length - 20]! ^= 0x40;
    await expectRejects(decodeImage(damaged), ValueError, 'bytes', /not a valid PNG image/);
  });

  it('a header of zero pixels, or more than options.maxPixels, is refused before decoding', async () => {
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    await expectRejects(decodeImage(huge), UnsupportedError, 'bytes', /PNG image of 100000×100000 pixels, more than options.maxPixels \(100000000\)/);
    await expectRejects(
      decodeImage(readFileSync(DOG), { maxPixels: 1000 }),
      UnsupportedError,
      'bytes',
      /JPEG image of 768×576 pixels, more than options.maxPixels \(1000\)/,
    );
    const empty = png.slice();
    new DataView(empty.buffer).setUint32(16, 0);
    await expectRejects(decodeImage(empty), ValueError, 'bytes', /PNG image of 0×4 pixels, which is empty/);
  });

  it('a bad options.maxPixels', async () => {
    for (const maxPixels of [0, -1, Number.NaN, '1e6']) {
      await expectRejects(
        decodeImage(png, { maxPixels: maxPixels as number }),
        ValueError,
        'options.maxPixels',
        /options.maxPixels must be a number >= 1/,
      );
    }
  });
});
