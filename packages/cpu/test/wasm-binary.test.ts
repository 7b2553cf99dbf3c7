import { binaryGeometry, zeros } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { binaryRows, wasmBinarySupports } from '../src/kernels/wasm-binary.js';

const geometry = (a: number[], b: number[], activation?: 'hardSwish' | 'sigmoid') => binaryGeometry('mul', zeros(a), zeros(b), { activation });

// Which broadcasts the wasm binary kernel walks (the rest run the reference loop, which the
// conformance suite checks): the walk of each operand over the result's [images, pixels, channels].
describe('wasm binary kernel: operand walks', () => {
  it("walks equal shapes, SE's [N, 1, 1, C], per-channel vectors and scalars", () => {
    expect(binaryRows(geometry([2, 5, 7, 16], [2, 5, 7, 16]))).toEqual({
      images: 2,
      pixels: 35,
      channels: 16,
      a: { imageStride: 560, pixelStride: 16, channelStep: 1 },
      b: { imageStride: 560, pixelStride: 16, channelStep: 1 },
    });
    expect(binaryRows(geometry([2, 1, 1, 16], [2, 5, 7, 16]))!.a).toEqual({ imageStride: 16, pixelStride: 0, channelStep: 1 });
    expect(binaryRows(geometry([2, 5, 7, 16], [16]))!.b).toEqual({ imageStride: 0, pixelStride: 0, channelStep: 1 });
    expect(binaryRows(geometry([2, 5, 7, 16], []))!.b).toEqual({ imageStride: 0, pixelStride: 0, channelStep: 0 });
    expect(binaryRows(geometry([5, 7, 16], [2, 5, 7, 16]))!.a).toEqual({ imageStride: 0, pixelStride: 16, channelStep: 1 });
  });

  it('leaves other broadcasts and sigmoid to the reference loop', () => {
    expect(wasmBinarySupports(geometry([2, 5, 1, 16], [2, 5, 7, 16]))).toBe(false);
    expect(wasmBinarySupports(geometry([2, 5, 7, 1], [2, 5, 7, 16]))).toBe(false);
    expect(wasmBinarySupports(geometry([2, 5, 7, 16], [2, 5, 7, 16], 'sigmoid'))).toBe(false);
    expect(wasmBinarySupports(geometry([2, 5, 7, 16], [2, 5, 7, 16], 'hardSwish'))).toBe(true);
  });
});
