import { binaryGeometry, randomUniform, tensor, zeros } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';
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

  it('merges short rows (a 3-channel image) into rows of width × channels where both operands read in order or are one value', () => {
    expect(binaryRows(geometry([2, 224, 224, 3], []))).toEqual({
      images: 2,
      pixels: 224,
      channels: 672,
      a: { imageStride: 150528, pixelStride: 672, channelStep: 1 },
      b: { imageStride: 0, pixelStride: 0, channelStep: 0 },
    });
    expect(binaryRows(geometry([1, 9, 5, 3], [1, 9, 5, 3]))).toMatchObject({ images: 1, pixels: 9, channels: 15 });
    // A per-channel operand, or SE's [N, 1, 1, C], keeps one row per pixel.
    expect(binaryRows(geometry([2, 9, 5, 3], [3]))).toMatchObject({ pixels: 45, channels: 3 });
    expect(binaryRows(geometry([2, 9, 5, 3], [2, 1, 1, 3]))).toMatchObject({ pixels: 45, channels: 3 });
  });

  it('computes merged rows as the reference does (scalar, equal shapes, batch 2, an activation)', async () => {
    const backend = await createCpuBackend({ threads: 2 });
    const reference = createReferenceBackend();
    const x = randomUniform([2, 31, 17, 3], 1, -4, 4);
    const other = randomUniform([2, 31, 17, 3], 2, -4, 4);
    for (const [a, b] of [
      [x, tensor([0.75], [])],
      [tensor([-1.5], []), x],
      [x, other],
    ] as const) {
      const expected = await reference.read(reference.add!(a, b, { activation: 'relu6' }));
      expect(await backend.read(backend.add(a, b, { activation: 'relu6' }))).toEqual(expected);
    }
    backend.dispose();
  });

  it('leaves other broadcasts and sigmoid to the reference loop', () => {
    expect(wasmBinarySupports(geometry([2, 5, 1, 16], [2, 5, 7, 16]))).toBe(false);
    expect(wasmBinarySupports(geometry([2, 5, 7, 1], [2, 5, 7, 16]))).toBe(false);
    expect(wasmBinarySupports(geometry([2, 5, 7, 16], [2, 5, 7, 16], 'sigmoid'))).toBe(false);
    expect(wasmBinarySupports(geometry([2, 5, 7, 16], [2, 5, 7, 16], 'hardSwish'))).toBe(true);
  });
});
