import { describe, expect, it } from 'vitest';
import { assertTensor, ChannelScaledTensor, DTypeError, heldData, HostTensor, isHostTensor, ShapeError, ValueError } from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

/** `source` scaled per channel of its innermost `scale.length` elements, element by element. */
function scaledByHand(source: Float32Array, scale: Float32Array): Float32Array {
  return Float32Array.from(source, (value, index) => Math.fround(value * scale[index % scale.length]!));
}

const source = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => (i - 7) * 0.37);
const scale = Float32Array.of(0.5, -1.25, 3, 1e-3);

describe('ChannelScaledTensor', () => {
  it('reads as its source scaled per innermost channel, and is a host tensor', () => {
    const t = new ChannelScaledTensor(source, scale, [2, 3, 4]);
    expect(isHostTensor(t)).toBe(true);
    expect(t).toBeInstanceOf(HostTensor);
    expect(t.size).toBe(24);
    expect(t.data).toEqual(scaledByHand(source, scale));
    // Computed once: the same array on every read.
    expect(t.data).toBe(t.data);
  });

  it('scales rows of scale.length when that is not the last axis (depthwise [KH, KW, C, M]: channel c·M + m)', () => {
    const t = new ChannelScaledTensor(source, Float32Array.of(2, 3, 5, 7, 11, 13, 17, 19), [1, 3, 4, 2]);
    expect(t.data).toEqual(scaledByHand(source, Float32Array.of(2, 3, 5, 7, 11, 13, 17, 19)));
  });

  it('computes nothing until data is read: not when validated as a kernel argument, nor when reshaped', () => {
    const t = new ChannelScaledTensor(source, scale, [6, 4]);
    assertTensor('conv2d', 'filter', t);
    const reshaped = t.reshape([1, 1, 6, 4]);
    expect(heldData(t)).toBe(source);
    expect(t.isMaterialized).toBe(false);
    expect(reshaped.isMaterialized).toBe(false);
    expect(reshaped.shape).toEqual([1, 1, 6, 4]);
    expect(reshaped.data).toEqual(t.data);
    expect(t.isMaterialized).toBe(true);
  });

  it('is an ordinary host tensor to a backend that reads its data (the reference kernels)', async () => {
    const backend = createReferenceBackend();
    const x = new HostTensor(
      Float32Array.from({ length: 6 }, (_, i) => i + 1),
      [1, 1, 1, 6],
    );
    const lazy = new ChannelScaledTensor(source, scale, [6, 4]);
    const eager = new HostTensor(scaledByHand(source, scale), [6, 4]);
    expect(await backend.read(backend.pointwiseConv2d(x, lazy))).toEqual(await backend.read(backend.pointwiseConv2d(x, eager)));
  });

  it('equality and spreads see the scaled elements (data is an own, enumerable property)', () => {
    const t = new ChannelScaledTensor(source, scale, [6, 4]);
    expect({ ...t }.data).toEqual(scaledByHand(source, scale));
    expect(Object.keys(t)).toContain('data');
  });

  it('rejects a source that does not fit the shape, a scale that is not a Float32Array, or one that does not divide the elements', () => {
    expect(() => new ChannelScaledTensor(source, scale, [5, 4])).toThrow(ShapeError);
    expect(() => new ChannelScaledTensor(Float64Array.from(source) as unknown as Float32Array, scale, [6, 4])).toThrow(DTypeError);
    const notFloat32 = (): ChannelScaledTensor => new ChannelScaledTensor(source, Float64Array.from(scale) as unknown as Float32Array, [6, 4]);
    expect(notFloat32).toThrow(ValueError);
    expect(notFloat32).toThrow('ChannelScaledTensor: scale must be a Float32Array');
    const notDividing = (): ChannelScaledTensor => new ChannelScaledTensor(source, Float32Array.of(1, 2, 3, 4, 5), [6, 4]);
    expect(notDividing).toThrow(ShapeError);
    expect(notDividing).toThrow('ChannelScaledTensor: scale has 5 channels, which do not divide the 24 elements');
  });
});
