import type { PadGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslPixelIndex } from '../wgsl-output-index.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output element (or vec4 of channels) each: a copy has nothing to tile for. */
export const PAD_WORKGROUP_SIZE = 64;

/** The variant name of {@link padConstantProgram}. */
export const PAD_CONSTANT_NAME = 'pad-nhwc-constant-f32';

const UNIFORMS = ['total', 'inHeight', 'inWidth', 'channelGroups', 'outHeight', 'outWidth', 'padTop', 'padLeft', 'valueBits'] as const;

/** The float32 bits of `value` as the `i32` a uniform carries (the struct holds only `i32`s). */
function float32Bits(value: number): number {
  return new Int32Array(new Float32Array([value]).buffer)[0]!;
}

/**
 * Spatial padding of NHWC with a constant: each output element is the input element it
 * covers, or `value` in the border. One invocation per output element, or per 4 channels
 * when the channel count is a multiple of 4. The constant travels as its float32 bits
 * (`bitcast<f32>` in the shader), so NaN and −0 pad exactly and no value needs a new
 * pipeline. Bindings: x NHWC, y NHWC.
 */
export function padConstantProgram(g: PadGeometry): GpuProgram {
  const vectorized = g.channels % 4 === 0;
  const lanes = vectorized ? 4 : 1;
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const channelGroups = g.channels / lanes;
  const total = g.batch * g.outHeight * g.outWidth * channelGroups;
  const values = { ...g, total, channelGroups, valueBits: float32Bits(g.value) };
  const inputs = ['x'];
  return flatProgram({
    name: PAD_CONSTANT_NAME,
    cacheKey: `${PAD_CONSTANT_NAME}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: PAD_WORKGROUP_SIZE,
    invocations: total,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: type, y: type } },
    values,
    body: () => `// Legend: b batch, oy/ox output position, iy/ix the input position it covers, group ${vectorized ? 'channel group of 4' : 'channel'}.
${wgslComputeMain(PAD_WORKGROUP_SIZE)}
${wgslPixelIndex(PAD_WORKGROUP_SIZE, 'group', 'channelGroups')}
  let iy = oy - params.padTop;
  let ix = ox - params.padLeft;
  if (iy < 0 || iy >= params.inHeight || ix < 0 || ix >= params.inWidth) {
    y[index] = ${type}(bitcast<f32>(params.valueBits));
    return;
  }
  y[index] = x[((b * params.inHeight + iy) * params.inWidth + ix) * params.channelGroups + group];
}
`,
  });
}
