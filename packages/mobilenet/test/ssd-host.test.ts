// The host half of an SSD detector, on hand-computed cases: box decoding against anchors and
// greedy non-max suppression.
import { HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { decodeBoxes } from '../src/detection/decode-boxes.js';
import { nonMaxSuppression } from '../src/detection/non-max-suppression.js';

const rows = (...boxes: number[][]): HostTensor => new HostTensor(Float32Array.from(boxes.flat()), [boxes.length, 4]);

describe('decodeBoxes', () => {
  it('a zero encoding gives the anchor back', () => {
    const anchors = rows([0.1, 0.2, 0.5, 0.4], [0, 0, 1, 1]);
    const boxes = decodeBoxes(rows([0, 0, 0, 0], [0, 0, 0, 0]), anchors);
    expect(boxes.shape).toEqual([2, 4]);
    Array.from(boxes.data).forEach((v, i) => expect(v).toBeCloseTo(anchors.data[i]!, 6));
  });

  it('shifts the centre by t/10 of the anchor size and scales the size by exp(t/5)', () => {
    // Anchor centre (0.3, 0.3), size 0.4 × 0.2. ty = 10 → centre y 0.3 + 0.4 = 0.7; tx = −5 →
    // centre x 0.3 − 0.1 = 0.2; th = 5·ln 2 → height 0.8; tw = 0 → width 0.2.
    const box = decodeBoxes(rows([10, -5, 5 * Math.LN2, 0]), rows([0.1, 0.2, 0.5, 0.4]));
    const expected = [0.7 - 0.4, 0.2 - 0.1, 0.7 + 0.4, 0.2 + 0.1];
    Array.from(box.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('takes other scale factors', () => {
    const box = decodeBoxes(rows([1, 1, 0, 0]), rows([0, 0, 1, 1]), { scaleFactors: [1, 2, 1, 1] });
    Array.from(box.data).forEach((v, i) => expect(v).toBeCloseTo([1, 0.5, 2, 1.5][i]!, 6));
  });

  it('refuses shapes and factors that do not fit, naming the argument', () => {
    expect(() => decodeBoxes(rows([0, 0, 0, 0]), rows([0, 0, 1, 1], [0, 0, 1, 1]))).toThrow(ShapeError);
    expect(() => decodeBoxes(rows([0, 0, 0, 0]), rows([0, 0, 1, 1], [0, 0, 1, 1]))).toThrow(/decodeBoxes: encodings must be \[2, 4\]/);
    expect(() => decodeBoxes(rows([0, 0, 0, 0]), new HostTensor(new Float32Array(3), [1, 3]))).toThrow(/anchors must be \[anchors, 4\]/);
    expect(() => decodeBoxes(rows([0, 0, 0, 0]), rows([0, 0, 1, 1]), { scaleFactors: [10, 10, 0, 5] })).toThrow(ValueError);
  });
});

describe('nonMaxSuppression', () => {
  const square = (y: number, x: number, size = 1): number[] => [y, x, y + size, x + size];

  it('keeps the best of overlapping boxes, keeps boxes that do not overlap, best first', () => {
    // 0 and 1 overlap 0.8 × 1 = 0.8 of 1.2 → IoU 0.8 / 1.2 ≈ 0.667 > 0.5; 2 is apart.
    const boxes = rows(square(0, 0), square(0, 0.2), square(5, 5));
    expect(nonMaxSuppression(boxes, [0.7, 0.9, 0.6])).toEqual([1, 2]);
  });

  it('drops candidates at or below minConfidence and NaN scores', () => {
    const boxes = rows(square(0, 0), square(3, 3), square(6, 6));
    expect(nonMaxSuppression(boxes, [0.5, Number.NaN, 0.51])).toEqual([2]);
    expect(nonMaxSuppression(boxes, [0.5, Number.NaN, 0.51], { minConfidence: 0.1 })).toEqual([2, 0]);
  });

  it('suppresses only above iouThreshold: IoU exactly at the threshold survives', () => {
    // Overlap 0.5 × 1 = 0.5 of union 1.5 → IoU 1/3.
    const boxes = rows(square(0, 0), square(0, 0.5));
    expect(nonMaxSuppression(boxes, [0.9, 0.8], { iouThreshold: 0.3 })).toEqual([0]);
    expect(nonMaxSuppression(boxes, [0.9, 0.8], { iouThreshold: 0.34 })).toEqual([0, 1]);
    expect(nonMaxSuppression(rows(square(0, 0, 1), square(0, 0, 1)), [0.9, 0.8], { iouThreshold: 1 })).toEqual([0, 1]);
  });

  it('compares against kept boxes only: a suppressed box does not suppress others', () => {
    // 1 overlaps 0 (IoU 0.667) and 2 (IoU 0.667); 0 and 2 overlap by 0.6/1.4 ≈ 0.43.
    const boxes = rows(square(0, 0), square(0, 0.2), square(0, 0.4));
    expect(nonMaxSuppression(boxes, [0.9, 0.8, 0.7])).toEqual([0, 2]);
  });

  it('stops at maxResults; equal scores keep index order; corners may come in either order', () => {
    const boxes = rows(square(0, 0), [4, 4, 3, 3], square(6, 6));
    expect(nonMaxSuppression(boxes, [0.9, 0.9, 0.9], { maxResults: 2 })).toEqual([0, 1]);
    expect(nonMaxSuppression(rows([1, 1, 0, 0], square(0, 0.2)), [0.9, 0.8])).toEqual([0]);
  });

  it('an empty box overlaps nothing', () => {
    expect(nonMaxSuppression(rows([0, 0, 0, 0], [0, 0, 0, 0]), [0.9, 0.8])).toEqual([0, 1]);
  });

  it('refuses bad arguments by name', () => {
    const boxes = rows(square(0, 0));
    expect(() => nonMaxSuppression(boxes, [0.9, 0.8])).toThrow(/nonMaxSuppression: scores must hold one score per box \(1\), got 2/);
    expect(() => nonMaxSuppression(new HostTensor(new Float32Array(2), [1, 2]), [0.9])).toThrow(ShapeError);
    expect(() => nonMaxSuppression(boxes, [0.9], { maxResults: 1.5 })).toThrow(/options.maxResults must be an integer >= 0/);
    expect(() => nonMaxSuppression(boxes, [0.9], { iouThreshold: -0.1 })).toThrow(ValueError);
    expect(() => nonMaxSuppression(boxes, [0.9], { minConfidence: 2 })).toThrow(/options.minConfidence must be a number in \[0, 1\]/);
  });
});
