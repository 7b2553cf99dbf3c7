import type { QuantParams } from '@sepconv/tensor';

import type { GpuProgram } from '../gpu-program.js';
import { WGSL_QUANTIZE, wgslInt8WordMain } from '../wgsl-int8.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output word (4 elements) each: element-wise, no barrier. */
export const QUANTIZE_WORKGROUP_SIZE = 64;

/** The program name of {@link quantizeProgram}. */
export const QUANTIZE_NAME = 'quantize-f32-qs8';

const UNIFORMS = ['total', 'words', 'scaleBits', 'zeroPoint'] as const;

/** The bits of float32 `value` as an int32 (uniforms are i32 fields). */
export function float32Bits(value: number): number {
  return new Int32Array(new Float32Array([value]).buffer)[0]!;
}

/**
 * Float32 `x` (any shape, read as raw bits: no flushing of subnormals) to int8 with `output`'s
 * scale and zero point, the correctly rounded float32 quotient rounded half away from zero (see
 * `WGSL_QUANTIZE`). Bindings: x f32 as `u32` bits, y packed int8.
 */
export function quantizeProgram(size: number, output: QuantParams): GpuProgram {
  const values: Record<(typeof UNIFORMS)[number], number> = {
    total: size,
    words: Math.ceil(size / 4),
    scaleBits: float32Bits(output.scale),
    zeroPoint: output.zeroPoint,
  };
  const inputs = ['x'];
  const workgroup = QUANTIZE_WORKGROUP_SIZE;
  return flatProgram({
    name: QUANTIZE_NAME,
    workgroupSize: workgroup,
    invocations: values.words,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: 'u32', y: 'u32' }, functions: [WGSL_QUANTIZE] },
    values,
    body: () => `fn element(i: i32) -> i32 {
  return quantizeBits(x[i], bitcast<u32>(params.scaleBits), params.zeroPoint);
}

${wgslInt8WordMain(workgroup)}
`,
  });
}
