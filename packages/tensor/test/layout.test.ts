import { describe, expect, it } from 'vitest';
import {
  depthwiseHwcmToOihw,
  depthwiseOihwToHwcm,
  hwioToOihw,
  nchwToNhwc,
  nhwcToNchw,
  oihwToHwio,
  randomUniform,
  ShapeError,
  tensor,
} from '../src/index.js';

describe('layout conversions', () => {
  it('NCHW → NHWC moves channels last, element by element', () => {
    // x[n, c, h, w] = 1000n + 100c + 10h + w
    const shape = [2, 3, 2, 4];
    const data: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++) for (let h = 0; h < 2; h++) for (let w = 0; w < 4; w++) data.push(1000 * n + 100 * c + 10 * h + w);
    const nhwc = nchwToNhwc(tensor(data, shape));
    expect(nhwc.shape).toEqual([2, 2, 4, 3]);
    // nhwc[1, 1, 2, 0] = 1000 + 0 + 10 + 2
    expect(nhwc.data[((1 * 2 + 1) * 4 + 2) * 3 + 0]).toBe(1012);
    expect(nhwc.data[((0 * 2 + 0) * 4 + 3) * 3 + 2]).toBe(203);
  });

  it('round-trips NHWC ⇄ NCHW and HWIO ⇄ OIHW', () => {
    const x = randomUniform([2, 5, 7, 3], 1);
    expect(nchwToNhwc(nhwcToNchw(x)).data).toEqual(x.data);
    const w = randomUniform([3, 5, 4, 6], 2);
    const oihw = hwioToOihw(w);
    expect(oihw.shape).toEqual([6, 4, 3, 5]);
    expect(oihwToHwio(oihw).data).toEqual(w.data);
  });

  it('every conversion puts each element where the index formula says, whichever last axis is longer', () => {
    const conversions = [
      [nchwToNhwc, [0, 2, 3, 1]],
      [nhwcToNchw, [0, 3, 1, 2]],
      [oihwToHwio, [2, 3, 1, 0]],
      [hwioToOihw, [3, 2, 0, 1]],
    ] as const;
    // Shapes whose input's last axis is shorter, longer and as long as the output's.
    for (const shape of [
      [2, 3, 5, 7],
      [2, 7, 5, 3],
      [3, 4, 4, 4],
      [1, 1, 6, 2],
    ]) {
      const x = randomUniform(shape, 9);
      for (const [convert, order] of conversions) {
        const y = convert(x);
        const outShape = order.map((axis) => shape[axis]!);
        expect(y.shape).toEqual(outShape);
        const strides = [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];
        let i = 0;
        for (let a = 0; a < outShape[0]!; a++)
          for (let b = 0; b < outShape[1]!; b++)
            for (let c = 0; c < outShape[2]!; c++)
              for (let d = 0; d < outShape[3]!; d++, i++) {
                const source = [a, b, c, d].reduce((sum, index, position) => sum + index * strides[order[position]!]!, 0);
                expect(y.data[i]).toBe(x.data[source]);
              }
      }
    }
  });

  it('OIHW weights map to HWIO as w[o, i, h, w] → w[h, w, i, o]', () => {
    const w = randomUniform([6, 4, 3, 5], 3); // [O, I, KH, KW]
    const hwio = oihwToHwio(w);
    const [o, i, h, k] = [5, 2, 1, 3];
    expect(hwio.data[((h * 5 + k) * 4 + i) * 6 + o]).toBe(w.data[((o * 4 + i) * 3 + h) * 5 + k]);
  });

  it('depthwise [C·M, 1, KH, KW] ⇄ [KH, KW, C, M] keeps output channel c·M + m', () => {
    const [c, m, kh, kw] = [3, 2, 3, 3];
    const oihw = randomUniform([c * m, 1, kh, kw], 4);
    const hwcm = depthwiseOihwToHwcm(oihw, m);
    expect(hwcm.shape).toEqual([kh, kw, c, m]);
    // channel 2, multiplier 1 → output channel 5, tap (1, 2)
    expect(hwcm.data[((1 * kw + 2) * c + 2) * m + 1]).toBe(oihw.data[(5 * kh + 1) * kw + 2]);
    expect(depthwiseHwcmToOihw(hwcm).data).toEqual(oihw.data);
  });

  it('rejects tensors of the wrong rank or a multiplier that does not divide', () => {
    expect(() => nchwToNhwc(tensor([1, 2], [2]))).toThrow(ShapeError);
    expect(() => depthwiseOihwToHwcm(randomUniform([5, 1, 3, 3], 1), 2)).toThrow(/depthwiseOihwToHwcm: filter/);
  });
});
