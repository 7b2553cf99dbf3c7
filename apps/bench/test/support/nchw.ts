/** NHWC → NCHW (or back, with `'to-nhwc'`, given the NHWC shape) for rank-4 host data. */
export function nchw(x: { data: ArrayLike<number>; shape: readonly number[] }, direction: 'to-nchw' | 'to-nhwc' = 'to-nchw'): Float32Array {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const out = new Float32Array(x.data.length);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let i = 0; i < w; i++)
        for (let k = 0; k < c; k++) {
          const [nhwc, nchwIndex] = [((n * h + y) * w + i) * c + k, ((n * c + k) * h + y) * w + i];
          if (direction === 'to-nchw') out[nchwIndex] = x.data[nhwc]!;
          else out[nhwc] = x.data[nchwIndex]!;
        }
  return out;
}
