// resizeBilinear: its validator and the reference kernel against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { resizeBilinearGeometry, tensor, ValueError, type ResizeBilinearOptions } from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

const backend = createReferenceBackend();
// [[0, 1], [2, 3]]: value = 2·row + column, so a bilinear sample at (sy, sx) is 2·sy + sx.
const square = tensor([0, 1, 2, 3], [1, 2, 2, 1]);

async function resize(options?: ResizeBilinearOptions): Promise<number[]> {
  if (backend.resizeBilinear === undefined) throw new Error('the reference backend must declare resizeBilinear');
  const y = backend.resizeBilinear(square, [4, 4], options);
  expect(y.shape).toEqual([1, 4, 4, 1]);
  return Array.from(await backend.read(y));
}

function grid(rows: number[], columns: number[]): number[] {
  return rows.flatMap((sy) => columns.map((sx) => Math.fround(2 * sy + sx)));
}

describe('reference resizeBilinear 2×2 → 4×4', () => {
  it('half-pixel centres (TF2 default): samples at −0.25, 0.25, 0.75, 1.25, clamped to the edge', async () => {
    // (o + 0.5)·0.5 − 0.5; −0.25 takes row 0 alone, 1.25 row 1 alone.
    const positions = [0, 0.25, 0.75, 1];
    expect(await resize()).toEqual(grid(positions, positions));
    expect(await resize()).toEqual([0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  });

  it('align corners: samples at 0, 1/3, 2/3, 1', async () => {
    const positions = [0, 1 / 3, 2 / 3, 1];
    expect(await resize({ alignCorners: true })).toEqual(grid(positions, positions));
  });

  it('neither (TF1 legacy): samples at 0, 0.5, 1, 1.5 → 1', async () => {
    const positions = [0, 0.5, 1, 1];
    expect(await resize({ halfPixelCenters: false })).toEqual(grid(positions, positions));
  });

  it('resizes channels independently and downsamples', async () => {
    if (backend.resizeBilinear === undefined) throw new Error('the reference backend must declare resizeBilinear');
    // 1×4 → 1×2, half-pixel: scale 2, samples at 0.5 and 2.5.
    const x = tensor([0, 0, 1, 10, 2, 20, 3, 30], [1, 1, 4, 2]);
    expect(Array.from(await backend.read(backend.resizeBilinear(x, [1, 2])))).toEqual([0.5, 5, 2.5, 25]);
  });
});

describe('resizeBilinearGeometry', () => {
  it('computes the scales once', () => {
    expect(resizeBilinearGeometry(square, [4, 3])).toMatchObject({
      heightScale: 0.5,
      widthScale: 2 / 3,
      halfPixelCenters: true,
      alignCorners: false,
      shape: [1, 4, 3, 1],
    });
    expect(resizeBilinearGeometry(square, [4, 1], { alignCorners: true })).toMatchObject({
      heightScale: 1 / 3,
      widthScale: 2,
      halfPixelCenters: false,
    });
  });

  it('names size and the options at fault', () => {
    expect(() => resizeBilinearGeometry(square, [0, 4])).toThrow(
      'resizeBilinear: size must be [outHeight, outWidth] of positive integers, got [0, 4]',
    );
    const one: unknown = [4];
    expect(() => resizeBilinearGeometry(square, one as [number, number])).toThrow(ValueError);
    expect(() => resizeBilinearGeometry(square, [4, 4], { alignCorners: true, halfPixelCenters: true })).toThrow(
      'resizeBilinear: options.halfPixelCenters must be false when options.alignCorners is true',
    );
    const text: unknown = 'yes';
    expect(() => resizeBilinearGeometry(square, [4, 4], { alignCorners: text as boolean })).toThrow(
      "resizeBilinear: options.alignCorners must be a boolean, got 'yes'",
    );
    expect(() => resizeBilinearGeometry(tensor([1, 2], [2]), [4, 4])).toThrow('resizeBilinear: x must be rank 4');
  });
});
