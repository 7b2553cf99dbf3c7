import { describe, expect, it } from 'vitest';
import { formatCount, formatMillions, formatRatio, formatSeconds } from '../src/index.js';

describe('number formatting', () => {
  it('formats counts with thousands separators regardless of locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(4_253_864)).toBe('4,253,864');
    expect(formatCount(-1234.5)).toBe('-1,234.5');
  });

  it('formats millions and durations', () => {
    expect(formatMillions(568_740_352)).toBe('568.7M');
    expect(formatMillions(4_209_088, 2)).toBe('4.21M');
    expect(formatSeconds(2.5)).toBe('2.50 s');
    expect(formatSeconds(0.00345)).toBe('3.45 ms');
    expect(formatSeconds(8.16e-6)).toBe('8.16 µs');
    expect(formatSeconds(4e-10)).toBe('0.400 ns');
    expect(formatSeconds(0)).toBe('0.00 ns');
  });

  it('prints n/a, never NaN, Infinity or null, for a value that is not a finite number', () => {
    for (const value of [Number.NaN, Infinity, -Infinity]) {
      expect([formatCount(value), formatMillions(value), formatSeconds(value), formatRatio(value)]).toEqual(['n/a', 'n/a', 'n/a', 'n/a']);
    }
    expect(formatRatio(1 / 9 + 1 / 64, 4)).toBe('0.1267');
    expect(formatRatio(8.91)).toBe('8.91');
  });
});
