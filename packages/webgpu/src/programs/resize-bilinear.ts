import type { ResizeBilinearGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslPixelIndex } from '../wgsl-output-index.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output element (or vec4 of channels) each: 4 gathers and 3 lerps, nothing to tile for. */
export const RESIZE_BILINEAR_WORKGROUP_SIZE = 64;

/** The variant name of {@link resizeBilinearProgram}. */
export const RESIZE_BILINEAR_NAME = 'resize-bilinear-nhwc-f32';

/**
 * How an output coordinate maps to a source coordinate, as a uniform (one pipeline for all):
 * TF1's asymmetric `o · in / out`, TF2's half-pixel `(o + ½) · in / out − ½`, and
 * align-corners `o · (in − 1) / (out − 1)` (0 when `out` is 1).
 */
export const RESIZE_COORDINATE_CODES = { asymmetric: 0, halfPixel: 1, alignCorners: 2 } as const;

const UNIFORMS = ['total', 'inHeight', 'inWidth', 'channelGroups', 'outHeight', 'outWidth', 'coordinates'] as const;

function coordinateCode(g: ResizeBilinearGeometry): number {
  if (g.alignCorners) return RESIZE_COORDINATE_CODES.alignCorners;
  return g.halfPixelCenters ? RESIZE_COORDINATE_CODES.halfPixel : RESIZE_COORDINATE_CODES.asymmetric;
}

/**
 * Bilinear resize of NHWC to `[N, outHeight, outWidth, C]` with TensorFlow's sampling: the
 * source coordinate (see {@link RESIZE_COORDINATE_CODES}) is split into `floor` (clamped at
 * 0) and `ceil` (clamped at the last row/column) neighbours and the fraction `src − floor(src)`,
 * which is what `tf.image.resize` and tfjs compute; neighbours are blended as `a + (b − a) · t`.
 * The coordinate is one integer product divided once in f32 (`(2o + 1) · in / (2 · out) − ½`),
 * as close to the reference's float64 as one rounding allows. `vec4<f32>` when the channel
 * count is a multiple of 4. Bindings: x NHWC, y NHWC.
 */
export function resizeBilinearProgram(g: ResizeBilinearGeometry): GpuProgram {
  const vectorized = g.channels % 4 === 0;
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const channelGroups = g.channels / (vectorized ? 4 : 1);
  const total = g.batch * g.outHeight * g.outWidth * channelGroups;
  const values = { ...g, total, channelGroups, coordinates: coordinateCode(g) };
  const inputs = ['x'];
  const codes = RESIZE_COORDINATE_CODES;
  return flatProgram({
    name: RESIZE_BILINEAR_NAME,
    cacheKey: `${RESIZE_BILINEAR_NAME}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: RESIZE_BILINEAR_WORKGROUP_SIZE,
    invocations: total,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: type, y: type } },
    values,
    body: () => `fn sourceCoordinate(o: i32, inSize: i32, outSize: i32) -> f32 {
  if (params.coordinates == ${codes.halfPixel}) { return f32((2 * o + 1) * inSize) / f32(2 * outSize) - 0.5; }
  if (params.coordinates == ${codes.alignCorners}) {
    if (outSize <= 1) { return 0.0; }
    return f32(o * (inSize - 1)) / f32(outSize - 1);
  }
  return f32(o * inSize) / f32(outSize);
}

// Legend: b batch, oy/ox output position, group ${vectorized ? 'channel group of 4' : 'channel'}; y0/y1 and x0/x1 the
// neighbouring source rows and columns, dy/dx the fractions between them.
${wgslComputeMain(RESIZE_BILINEAR_WORKGROUP_SIZE)}
${wgslPixelIndex(RESIZE_BILINEAR_WORKGROUP_SIZE, 'group', 'channelGroups')}
  let sy = sourceCoordinate(oy, params.inHeight, params.outHeight);
  let sx = sourceCoordinate(ox, params.inWidth, params.outWidth);
  let fy = floor(sy);
  let fx = floor(sx);
  let y0 = max(i32(fy), 0);
  let y1 = min(i32(ceil(sy)), params.inHeight - 1);
  let x0 = max(i32(fx), 0);
  let x1 = min(i32(ceil(sx)), params.inWidth - 1);
  let dy = sy - fy;
  let dx = sx - fx;
  let row0 = (b * params.inHeight + y0) * params.inWidth;
  let row1 = (b * params.inHeight + y1) * params.inWidth;
  let g = params.channelGroups;
  // a + (b − a)·t rather than mix(): the reference's form, which gives the same NaN for infinite neighbours.
  let topLeft = x[(row0 + x0) * g + group];
  let bottomLeft = x[(row1 + x0) * g + group];
  let top = topLeft + (x[(row0 + x1) * g + group] - topLeft) * dx;
  let bottom = bottomLeft + (x[(row1 + x1) * g + group] - bottomLeft) * dx;
  y[index] = top + (bottom - top) * dy;
}
`,
  });
}
