import { ShapeError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { resizeBilinear } from '../src/image/resize-bilinear.js';
import { tf } from './support/tfjs.js';

function pixels(width: number, height: number, channels: 3 | 4): Uint8Array {
  return Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37 + 11) % 256);
}

describe('resizeBilinear matches tf.image.resizeBilinear', () => {
  const cases = [
    { from: [7, 5], to: [4, 9] },
    { from: [10, 12], to: [3, 3] },
    { from: [4, 4], to: [8, 8] },
  ] as const;
  for (const { from, to } of cases) {
    for (const options of [
      { alignCorners: false, halfPixelCenters: false },
      { alignCorners: true, halfPixelCenters: false },
      { alignCorners: false, halfPixelCenters: true },
    ]) {
      it(`${from.join('×')} → ${to.join('×')} ${JSON.stringify(options)}`, () => {
        const data = pixels(from[1], from[0], 3);
        const ours = resizeBilinear(data, [from[0], from[1], 3], to, options);
        const theirs = tf.image.resizeBilinear(
          tf.tensor3d(Float32Array.from(data), [from[0], from[1], 3]),
          [to[0], to[1]],
          options.alignCorners,
          options.halfPixelCenters,
        );
        const expected = theirs.dataSync();
        ours.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 3));
        theirs.dispose();
      });
    }
  }
});

describe('imageToTensor', () => {
  it('drops alpha, resizes and maps 0..255 to [-1, 1] (default) or [0, 1]', () => {
    const rgba = { data: Uint8Array.of(0, 255, 51, 9, 255, 0, 102, 9), width: 2, height: 1 };
    const x = imageToTensor(rgba, { resolution: [1, 2] });
    expect(x.shape).toEqual([1, 1, 2, 3]);
    expect(Array.from(x.data)).toEqual([-1, 1, 51 / 127.5 - 1, 1, -1, 102 / 127.5 - 1].map((v) => Math.fround(v)));
    const rgb = { data: Uint8Array.of(0, 255, 51, 255, 0, 102), width: 2, height: 1 };
    expect(Array.from(imageToTensor(rgb, { resolution: [1, 2], range: '[0, 1]' }).data)).toEqual([0, 1, 0.2, 1, 0, 0.4].map((v) => Math.fround(v)));
  });

  it('batches several images of different sizes at one resolution', () => {
    const x = imageToTensor(
      [
        { data: pixels(5, 4, 4), width: 5, height: 4 },
        { data: pixels(3, 7, 3), width: 3, height: 7 },
      ],
      { resolution: 6 },
    );
    expect(x.shape).toEqual([2, 6, 6, 3]);
    for (const v of x.data) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it("fit 'pad' pads the bottom or right edge with black to a square, then resizes (tf.pad + tf.image.resizeBilinear)", () => {
    for (const [width, height] of [
      [5, 3],
      [3, 5],
    ] as const) {
      const data = pixels(width, height, 4);
      const ours = imageToTensor({ data, width, height }, { resolution: 4, fit: 'pad' });
      const side = Math.max(width, height);
      const rgb = tf.tensor3d(Float32Array.from(data.filter((_, i) => i % 4 !== 3)), [height, width, 3]);
      const padded = tf.pad(rgb, [
        [0, side - height],
        [0, side - width],
        [0, 0],
      ]);
      const theirs = tf.sub(tf.div(tf.image.resizeBilinear(padded, [4, 4]), 127.5), 1);
      const expected = theirs.dataSync();
      expect(ours.shape).toEqual([1, 4, 4, 3]);
      ours.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      tf.dispose([rgb, padded, theirs]);
    }
    expect(Array.from(imageToTensor({ data: Uint8Array.of(255, 255, 255), width: 1, height: 1 }, { resolution: 2, fit: 'pad' }).data)).toEqual(
      new Array(12).fill(1),
    );
    const wide = imageToTensor({ data: new Uint8Array(4 * 2 * 3).fill(255), width: 4, height: 2 }, { resolution: 4, fit: 'pad' });
    expect(Array.from(wide.data.slice(2 * 4 * 3))).toEqual(new Array(2 * 4 * 3).fill(-1));
    expect(Array.from(wide.data.slice(0, 2 * 4 * 3))).toEqual(new Array(2 * 4 * 3).fill(1));
  });

  it('rejects data that is neither RGB nor RGBA, and bad options', () => {
    expect(() => imageToTensor({ data: new Uint8Array(12), width: 2, height: 2 }, { fit: 'crop' as 'pad' })).toThrow(
      /options.fit must be 'stretch' or 'pad', got 'crop'/,
    );
    expect(() => imageToTensor({ data: new Uint8Array(10), width: 2, height: 2 })).toThrow(ShapeError);
    expect(() => imageToTensor({ data: new Uint8Array(10), width: 2, height: 2 })).toThrow(/^imageToTensor: images\[0\]: data has 10 values/);
    expect(() => imageToTensor({ data: new Uint8Array(12), width: 2, height: 2 }, { range: '[0, 255]' as '[0, 1]' })).toThrow(ValueError);
    expect(() => imageToTensor({ data: new Uint8Array(0), width: 0, height: 0 })).toThrow(/width and height must be positive integers/);
  });
});
