import type { Pool2dGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslPixelIndex } from '../wgsl-output-index.js';
import { wgslPoolReduce } from '../wgsl-pool-reduce.js';
import { flatProgram } from './flat-program.js';

/**
 * 64 invocations, one output element (or vec4 of channels) each: a multiple of every GPU's
 * SIMD width. Pooling windows overlap only at strides below the kernel size and MobileNets
 * pool once or twice, so staging windows in workgroup memory would not pay for its barriers.
 */
export const POOL2D_WORKGROUP_SIZE = 64;

/** The variant name of {@link pool2dWindowProgram}. */
export const POOL2D_WINDOW_NAME = 'pool2d-nhwc-window-f32';

const UNIFORMS = [
  'total',
  'inHeight',
  'inWidth',
  'channelGroups',
  'outHeight',
  'outWidth',
  'kernelHeight',
  'kernelWidth',
  'strideHeight',
  'strideWidth',
  'padTop',
  'padLeft',
] as const;

/**
 * Average or max pooling over windows of NHWC, TF semantics: the window of output `(oy, ox)`
 * starts at `(oy · strideHeight − padTop, ox · strideWidth − padLeft)`; padded cells are
 * skipped — the average divides by the number of real cells (TF, ONNX `count_include_pad=0`),
 * the maximum ignores them. The window's rows and columns are clamped to the input before the
 * loops, so no tap is tested and the divisor is `rows × columns`. The reduction (`avg`/`max`)
 * is compiled in — the loops differ —; sizes are uniforms. `vec4<f32>` when the channel
 * count is a multiple of 4. Bindings: x NHWC, y NHWC.
 */
export function pool2dWindowProgram(g: Pool2dGeometry): GpuProgram {
  const vectorized = g.channels % 4 === 0;
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const channelGroups = g.channels / (vectorized ? 4 : 1);
  const total = g.batch * g.outHeight * g.outWidth * channelGroups;
  const values = { ...g, total, channelGroups };
  const inputs = ['x'];
  const result = g.type === 'avg' ? `acc / ${type}(f32((yEnd - yStart) * (xEnd - xStart)))` : 'acc';
  return flatProgram({
    name: POOL2D_WINDOW_NAME,
    cacheKey: `${POOL2D_WINDOW_NAME}:${g.type}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: POOL2D_WORKGROUP_SIZE,
    invocations: total,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: type, y: type }, functions: [wgslPoolReduce(type, g.type)] },
    values,
    body: () => `// Legend: b batch, oy/ox output position, iy/ix input position, group ${vectorized ? 'channel group of 4' : 'channel'};
// yStart…yEnd and xStart…xEnd the window's rows and columns that lie inside the input.
${wgslComputeMain(POOL2D_WORKGROUP_SIZE)}
${wgslPixelIndex(POOL2D_WORKGROUP_SIZE, 'group', 'channelGroups')}
  let y0 = oy * params.strideHeight - params.padTop;
  let x0 = ox * params.strideWidth - params.padLeft;
  let yStart = max(y0, 0);
  let yEnd = min(y0 + params.kernelHeight, params.inHeight);
  let xStart = max(x0, 0);
  let xEnd = min(x0 + params.kernelWidth, params.inWidth);
  var acc = poolIdentity();
  for (var iy = yStart; iy < yEnd; iy++) {
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    for (var ix = xStart; ix < xEnd; ix++) {
      acc = accumulate(acc, x[(rowBase + ix) * params.channelGroups + group]);
    }
  }
  y[index] = ${result};
}
`,
  });
}
