import type { ActivationRange, Pool2dGeometry } from '@sepconv/tensor';

import type { GpuProgram } from '../gpu-program.js';
import { WGSL_ROUNDED_AVERAGE, wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output word each, no barrier: windows overlap little at MobileNet sizes. */
export const QUANTIZED_POOL2D_WORKGROUP_SIZE = 64;

const UNIFORMS = [
  'total',
  'words',
  'inHeight',
  'inWidth',
  'channels',
  'outHeight',
  'outWidth',
  'kernelHeight',
  'kernelWidth',
  'strideHeight',
  'strideWidth',
  'padTop',
  'padLeft',
  'activationMin',
  'activationMax',
] as const;

/** The program name of {@link quantizedPool2dWindowProgram} for `type`. */
export function quantizedPool2dName(type: Pool2dGeometry['type']): string {
  return `${type}pool2d-nhwc-window-qs8`;
}

/**
 * Int8 windowed pooling, TensorFlow Lite's integer kernels: over the window clipped to the input,
 * `avg` = `clamp(roundedAverage(Σ x, count), min, max)` (input and output share their parameters),
 * `max` = the largest value. Bindings: x, y packed int8.
 */
export function quantizedPool2dWindowProgram(g: Pool2dGeometry, r: ActivationRange): GpuProgram {
  const values: Record<(typeof UNIFORMS)[number], number> = { ...g, ...r, total: g.size, words: Math.ceil(g.size / 4) };
  const inputs = ['x'];
  const workgroup = QUANTIZED_POOL2D_WORKGROUP_SIZE;
  const average = g.type === 'avg';
  const name = quantizedPool2dName(g.type);
  return flatProgram({
    name,
    workgroupSize: workgroup,
    invocations: values.words,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: 'u32', y: 'u32' }, functions: [wgslInt8Load('x'), WGSL_ROUNDED_AVERAGE] },
    values,
    body: () => `// Legend: c channel, b batch, oy/ox output position, iy/ix input position.
fn element(i: i32) -> i32 {
  let c = i % params.channels;
  var rest = i / params.channels;
  let ox = rest % params.outWidth;
  rest = rest / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let top = oy * params.strideHeight - params.padTop;
  let left = ox * params.strideWidth - params.padLeft;
  let yStart = max(top, 0);
  let yEnd = min(top + params.kernelHeight, params.inHeight);
  let xStart = max(left, 0);
  let xEnd = min(left + params.kernelWidth, params.inWidth);
  var result = ${average ? '0' : '-128'};
  for (var iy = yStart; iy < yEnd; iy++) {
    for (var ix = xStart; ix < xEnd; ix++) {
      let value = load_x(((b * params.inHeight + iy) * params.inWidth + ix) * params.channels + c);
      result = ${average ? 'result + value' : 'max(result, value)'};
    }
  }
${average ? '  result = clamp(roundedAverage(result, (yEnd - yStart) * (xEnd - xStart)), params.activationMin, params.activationMax);' : ''}
  return result;
}

${wgslInt8WordMain(workgroup)}
`,
  });
}
