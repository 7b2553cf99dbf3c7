import type { RequantizeRequantization } from '@sepconv/tensor';

import type { GpuProgram } from '../gpu-program.js';
import { WGSL_FIXED_POINT, wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output word each: element-wise, no barrier. */
export const REQUANTIZE_WORKGROUP_SIZE = 64;

/** The program name of {@link requantizeProgram}. */
export const REQUANTIZE_NAME = 'requantize-qs8';

const UNIFORMS = ['total', 'words', 'inputZeroPoint', 'outputZeroPoint', 'multiplier', 'shift'] as const;

/** Int8 `x` to other parameters: `clamp(outZp + MBQM(x − inZp, M, shift), −128, 127)` (TensorFlow Lite's Requantize). Bindings: x, y packed int8. */
export function requantizeProgram(size: number, r: RequantizeRequantization): GpuProgram {
  const values: Record<(typeof UNIFORMS)[number], number> = { ...r, total: size, words: Math.ceil(size / 4) };
  const inputs = ['x'];
  const workgroup = REQUANTIZE_WORKGROUP_SIZE;
  return flatProgram({
    name: REQUANTIZE_NAME,
    workgroupSize: workgroup,
    invocations: values.words,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: 'u32', y: 'u32' }, functions: [wgslInt8Load('x'), WGSL_FIXED_POINT] },
    values,
    body: () => `fn element(i: i32) -> i32 {
  return clamp(params.outputZeroPoint + mbqm(load_x(i) - params.inputZeroPoint, params.multiplier, params.shift), -128, 127);
}

${wgslInt8WordMain(workgroup)}
`,
  });
}
