// The one-pass histogram behind a percentile calibration range.
import { describe, expect, it } from 'vitest';
import { ValueHistogram } from '../src/quantize/value-histogram.js';

describe('ValueHistogram', () => {
  it('gives percentiles to within one bin, the range erring wide, after the bound has grown', () => {
    const histogram = new ValueHistogram();
    // 0..999 first (bound 999), then 1000..9999 and one outlier of 1e6: the bound doubles 11 times.
    histogram.add(Float32Array.from({ length: 1000 }, (_, i) => i));
    histogram.add(Float32Array.from({ length: 9000 }, (_, i) => 1000 + i));
    histogram.add(Float32Array.from([1e6]));
    const bin = 1_022_976 / 2048; // the bound after doubling 999 ten times, over 2048 bins
    const [low, high] = histogram.range(0, 0.99);
    // The 99th percentile of 10001 values is about 9900: its bin's upper edge, not the outlier.
    expect(high).toBeGreaterThanOrEqual(9900);
    expect(high).toBeLessThanOrEqual(9900 + 2 * bin);
    expect(low).toBeLessThanOrEqual(0);
    expect(low).toBeGreaterThan(-bin - 1e-9);
    expect(histogram.range(0, 1)[1]).toBeGreaterThanOrEqual(1e6);
  });

  it('keeps every count through growth (negative values included) and a tensor of zeros', () => {
    const histogram = new ValueHistogram();
    histogram.add(new Float32Array(10));
    histogram.add(Float32Array.from([-3, -2, 5]));
    const [low, high] = histogram.range(0, 1);
    expect(low).toBeLessThanOrEqual(-3);
    expect(high).toBeGreaterThanOrEqual(5);
    // 10 of 13 values are 0: dropping 16% (2.08 values) at each end leaves only the zeros' bin.
    const [innerLow, innerHigh] = histogram.range(0.16, 0.84);
    expect(innerLow).toBeLessThanOrEqual(0);
    expect(innerHigh).toBeGreaterThan(0);
    expect(innerHigh - innerLow).toBeLessThan(0.1);
  });
});
