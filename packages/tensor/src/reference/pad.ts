import type { PadGeometry } from '../pad-geometry.js';

/**
 * Reference spatial padding of NHWC:
 * `y[b, oy, ox, c] = x[b, oy − padTop, ox − padLeft, c]` where that lies inside `x`, else `value`.
 * Copies values bit for bit. Writes into `out` (a new array by default).
 * Legend: b batch, iy input row, row the first flat index of an input row's pixels.
 */
export function referencePad(x: Float32Array, g: PadGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  out.fill(g.value);
  const rowLength = g.inWidth * g.channels;
  for (let b = 0; b < g.batch; b++) {
    for (let iy = 0; iy < g.inHeight; iy++) {
      const row = (b * g.inHeight + iy) * rowLength;
      const target = ((b * g.outHeight + iy + g.padTop) * g.outWidth + g.padLeft) * g.channels;
      out.set(x.subarray(row, row + rowLength), target);
    }
  }
  return out;
}
