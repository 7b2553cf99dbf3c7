import { describe, expect, it } from 'vitest';
import { activate } from '../src/index.js';

describe('activate', () => {
  it('ReLU and ReLU6 clip, linear passes through', () => {
    expect([-2, 0.5, 7].map((v) => activate(v, 'relu'))).toEqual([0, 0.5, 7]);
    expect([-2, 0.5, 7].map((v) => activate(v, 'relu6'))).toEqual([0, 0.5, 6]);
    expect(activate(-2, 'linear')).toBe(-2);
  });

  it('NaN stays NaN and infinities clip as IEEE max/min would', () => {
    expect(activate(Number.NaN, 'relu')).toBeNaN();
    expect(activate(Number.NaN, 'relu6')).toBeNaN();
    expect(activate(Number.POSITIVE_INFINITY, 'relu6')).toBe(6);
    expect(activate(Number.NEGATIVE_INFINITY, 'relu')).toBe(0);
  });
});
