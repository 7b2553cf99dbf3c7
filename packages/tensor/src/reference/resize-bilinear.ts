import type { ResizeBilinearGeometry } from '../resize-bilinear-geometry.js';

interface Sample {
  lower: number;
  upper: number;
  lerp: number;
}

/** TensorFlow's `compute_interpolation_weights`: where output index `o` samples an axis of `inSize`. */
function sample(o: number, inSize: number, scale: number, halfPixelCenters: boolean): Sample {
  const source = halfPixelCenters ? (o + 0.5) * scale - 0.5 : o * scale;
  const floor = Math.floor(source);
  return { lower: Math.max(floor, 0), upper: Math.min(Math.ceil(source), inSize - 1), lerp: source - floor };
}

/**
 * Reference bilinear resize of NHWC, TensorFlow's `resize_bilinear`: with `sy` the source row of
 * output row `oy` (see {@link ResizeBilinearGeometry}), `top = x[y0, x0] + (x[y0, x1] − x[y0, x0])·xLerp`,
 * `bottom` likewise on row `y1`, `y[b, oy, ox, c] = top + (bottom − top)·yLerp`, where
 * `y0 = max(floor(sy), 0)`, `y1 = min(ceil(sy), inHeight − 1)`, `yLerp = sy − floor(sy)` (likewise
 * columns). Computed in float64. Writes into `out` (a new array by default).
 * Legend: b batch, oy/ox output position, c channel.
 */
export function referenceResizeBilinear(x: Float32Array, g: ResizeBilinearGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  const columns = Array.from({ length: g.outWidth }, (_, ox) => sample(ox, g.inWidth, g.widthScale, g.halfPixelCenters));
  const at = (b: number, iy: number, ix: number, c: number) => x[((b * g.inHeight + iy) * g.inWidth + ix) * g.channels + c]!;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const row = sample(oy, g.inHeight, g.heightScale, g.halfPixelCenters);
      for (let ox = 0; ox < g.outWidth; ox++) {
        const column = columns[ox]!;
        for (let c = 0; c < g.channels; c++) {
          const topLeft = at(b, row.lower, column.lower, c);
          const bottomLeft = at(b, row.upper, column.lower, c);
          const top = topLeft + (at(b, row.lower, column.upper, c) - topLeft) * column.lerp;
          const bottom = bottomLeft + (at(b, row.upper, column.upper, c) - bottomLeft) * column.lerp;
          out[((b * g.outHeight + oy) * g.outWidth + ox) * g.channels + c] = top + (bottom - top) * row.lerp;
        }
      }
    }
  }
  return out;
}
