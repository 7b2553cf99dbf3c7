import type { GlobalPool2dGeometry, GlobalPool2dRequantization } from '@sepconv/tensor';

import type { GpuProgram } from '../gpu-program.js';
import { WGSL_FIXED_POINT, WGSL_ROUNDED_AVERAGE, wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output word (4 channels of one image) each: the outputs are few, each a long sum. */
export const QUANTIZED_GLOBAL_POOL2D_WORKGROUP_SIZE = 64;

const UNIFORMS = [
  'total',
  'words',
  'pixels',
  'channels',
  'inputZeroPoint',
  'outputZeroPoint',
  'multiplier',
  'shift',
  'activationMin',
  'activationMax',
] as const;

/** The program name of {@link quantizedGlobalPool2dProgram} for `type`. */
export function quantizedGlobalPool2dName(type: GlobalPool2dGeometry['type']): string {
  return `global-${type}pool2d-nhwc-qs8`;
}

/**
 * Int8 global pooling over height and width, `[batch, 1, 1, channels]`: `avg` is TensorFlow
 * Lite's int8 `MEAN` (`clamp(outZp + roundedAverage(MBQM(Σ (x − inZp), M), H·W), min, max)`, the
 * sum wrapping in i32), `max` the largest value. Bindings: x, y packed int8.
 */
export function quantizedGlobalPool2dProgram(g: GlobalPool2dGeometry, r: GlobalPool2dRequantization): GpuProgram {
  const values: Record<(typeof UNIFORMS)[number], number> = {
    ...r,
    total: g.size,
    words: Math.ceil(g.size / 4),
    pixels: g.inHeight * g.inWidth,
    channels: g.channels,
  };
  const inputs = ['x'];
  const workgroup = QUANTIZED_GLOBAL_POOL2D_WORKGROUP_SIZE;
  const average = g.type === 'avg';
  const name = quantizedGlobalPool2dName(g.type);
  return flatProgram({
    name,
    workgroupSize: workgroup,
    invocations: values.words,
    preamble: {
      inputs,
      uniforms: UNIFORMS,
      elementTypes: { x: 'u32', y: 'u32' },
      functions: [wgslInt8Load('x'), WGSL_FIXED_POINT, WGSL_ROUNDED_AVERAGE],
    },
    values,
    body: () => `// Legend: c channel, b batch, p pixel.
fn element(i: i32) -> i32 {
  let c = i % params.channels;
  let b = i / params.channels;
  var result = ${average ? '0' : '-128'};
  for (var p = 0; p < params.pixels; p++) {
    let value = load_x((b * params.pixels + p) * params.channels + c);
    result = ${average ? 'result + value - params.inputZeroPoint' : 'max(result, value)'};
  }
${
  average
    ? '  let value = params.outputZeroPoint + roundedAverage(mbqm(result, params.multiplier, params.shift), params.pixels);\n  return clamp(value, params.activationMin, params.activationMax);'
    : '  return result;'
}
}

${wgslInt8WordMain(workgroup)}
`,
  });
}
