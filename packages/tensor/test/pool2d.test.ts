// pool2d and globalPool2d: validators (padding and strides resolved as for convolutions) and the
// reference kernels on hand-computed cases.
import { describe, expect, it } from 'vitest';
import {
  globalPool2dGeometry,
  pool2dGeometry,
  ShapeError,
  tensor,
  ValueError,
  type GlobalPool2dOptions,
  type Pool2dOptions,
  type Tensor,
} from '../src/index.js';
import { createReferenceBackend, referencePool2d } from '../src/reference/index.js';

const backend = createReferenceBackend();
// 3×3 single-channel image 1..9.
const nine = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);

async function pool(x: Tensor, options: Pool2dOptions): Promise<number[]> {
  if (backend.pool2d === undefined) throw new Error('the reference backend must declare pool2d');
  return Array.from(await backend.read(backend.pool2d(x, options)));
}

describe('pool2dGeometry', () => {
  it("resolves 'same' padding as TensorFlow and defaults strides to the window", () => {
    expect(pool2dGeometry(nine, { type: 'avg', kernelSize: 3, strides: 1, padding: 'same' })).toMatchObject({
      padTop: 1,
      padBottom: 1,
      padLeft: 1,
      padRight: 1,
      outHeight: 3,
      outWidth: 3,
      shape: [1, 3, 3, 1],
      channels: 1,
    });
    expect(pool2dGeometry(tensor(new Array(5 * 4).fill(0), [1, 5, 4, 1]), { type: 'max', kernelSize: [2, 1] })).toMatchObject({
      strideHeight: 2,
      strideWidth: 1,
      outHeight: 2,
      outWidth: 4,
      padBottom: 0,
    });
    expect(pool2dGeometry(tensor(new Array(8).fill(0), [1, 2, 4, 1]), { type: 'max', kernelSize: 2, strides: 2, padding: 'same' })).toMatchObject({
      outHeight: 1,
      outWidth: 2,
      padBottom: 0,
      padRight: 0,
    });
  });

  it('names the option at fault', () => {
    const noType: unknown = { kernelSize: 2 };
    expect(() => pool2dGeometry(nine, noType as Pool2dOptions)).toThrow("pool2d: options.type must be 'avg' or 'max', got undefined");
    const noKernel: unknown = { type: 'avg' };
    expect(() => pool2dGeometry(nine, noKernel as Pool2dOptions)).toThrow('pool2d: options.kernelSize is required');
    expect(() => pool2dGeometry(nine, { type: 'avg', kernelSize: 0 })).toThrow(ValueError);
    expect(() => pool2dGeometry(nine, { type: 'avg', kernelSize: 2, strides: [1, 0] })).toThrow(
      'pool2d: options.strides must be positive integers, got [1, 0]',
    );
    expect(() => pool2dGeometry(nine, { type: 'avg', kernelSize: 4 })).toThrow(
      "pool2d: options.kernelSize's window 4x4 is larger than the padded input 3x3",
    );
    expect(() => pool2dGeometry(nine, { type: 'avg', kernelSize: 4 })).toThrow(ShapeError);
    expect(() => pool2dGeometry(nine, { type: 'max', kernelSize: 2, padding: { top: 2, bottom: 0, left: 0, right: 0 } })).toThrow(
      'pool2d: options.padding must be smaller than the 2x2 window on each side',
    );
    const missing: unknown = undefined;
    expect(() => pool2dGeometry(nine, missing as Pool2dOptions)).toThrow('pool2d: options must be an object');
    expect(() => pool2dGeometry(tensor([1], [1]), { type: 'max', kernelSize: 1 })).toThrow('pool2d: x must be rank 4');
  });
});

describe('reference pool2d', () => {
  it("averages 'same'-padded windows over the real cells only (corner divisor 4, edge 6)", async () => {
    // Corner (0,0): (1+2+4+5)/4 = 3; edge (0,1): (1+2+3+4+5+6)/6 = 3.5; centre 45/9 = 5.
    expect(await pool(nine, { type: 'avg', kernelSize: 3, strides: 1, padding: 'same' })).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  });

  it('takes the maximum ignoring padded cells, so all-negative input stays negative', async () => {
    const negative = tensor([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1]);
    expect(await pool(negative, { type: 'max', kernelSize: 2, strides: 2, padding: 'same' })).toEqual([-1, -3, -7, -9]);
  });

  it('pools each channel with strides 2 and explicit asymmetric padding', async () => {
    // Two channels, c1 = 10·c0. Window 2×2 stride 2 on 3×3 with bottom/right 1: rows {0,1},{2}, cols {0,1},{2}.
    const x = tensor(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((v) => [v, 10 * v]),
      [1, 3, 3, 2],
    );
    const options = { kernelSize: 2, strides: 2, padding: { top: 0, bottom: 1, left: 0, right: 1 } } as const;
    expect(await pool(x, { type: 'avg', ...options })).toEqual([3, 30, 4.5, 45, 7.5, 75, 9, 90]);
    expect(await pool(x, { type: 'max', ...options })).toEqual([5, 50, 6, 60, 8, 80, 9, 90]);
  });

  it('propagates NaN in max and avg windows', () => {
    const data = new Float32Array([1, Number.NaN, 3, 4]);
    const x = tensor(data, [1, 2, 2, 1]);
    expect(Array.from(referencePool2d(data, pool2dGeometry(x, { type: 'max', kernelSize: [1, 2] })))).toEqual([Number.NaN, 4]);
    expect(Array.from(referencePool2d(data, pool2dGeometry(x, { type: 'avg', kernelSize: [2, 1] })))).toEqual([2, Number.NaN]);
  });
});

describe('globalPool2d', () => {
  it('reduces height and width per image and channel', async () => {
    if (backend.globalPool2d === undefined) throw new Error('the reference backend must declare globalPool2d');
    const x = tensor([1, -1, 2, -2, 3, -3, 6, -6, 0, 5, 0, 7, 0, 9, 0, 3], [2, 2, 2, 2]);
    const avg = backend.globalPool2d(x, { type: 'avg' });
    expect(avg.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(await backend.read(avg))).toEqual([3, -3, 0, 6]);
    expect(Array.from(await backend.read(backend.globalPool2d(x, { type: 'max' })))).toEqual([6, -1, 0, 9]);
  });

  it('validates x and options.type', () => {
    expect(globalPool2dGeometry(tensor([], [0, 7, 7, 3]), { type: 'avg' })).toEqual({
      type: 'avg',
      batch: 0,
      inHeight: 7,
      inWidth: 7,
      channels: 3,
      shape: [0, 1, 1, 3],
      size: 0,
    });
    const sum: unknown = { type: 'sum' };
    expect(() => globalPool2dGeometry(nine, sum as GlobalPool2dOptions)).toThrow("globalPool2d: options.type must be 'avg' or 'max', got 'sum'");
    expect(() => globalPool2dGeometry(tensor([], [1, 0, 2, 1]), { type: 'max' })).toThrow('globalPool2d: x height must be an integer >= 1');
  });
});
