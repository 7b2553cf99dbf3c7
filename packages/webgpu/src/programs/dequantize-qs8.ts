import type { QuantParams } from '@sepconv/tensor';
import { WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslInt8Load } from '../wgsl-int8.js';
import { float32Bits } from './quantize-f32.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one float each: element-wise, no barrier. */
export const DEQUANTIZE_WORKGROUP_SIZE = 64;

/** The program name of {@link dequantizeProgram}. */
export const DEQUANTIZE_NAME = 'dequantize-qs8-f32';

const UNIFORMS = ['total', 'scaleBits', 'zeroPoint'] as const;

/**
 * Int8 `x` to float32: `scale · f32(q − zeroPoint)`, one float32 multiplication (correctly
 * rounded in WGSL), the same bits as the reference. Bindings: x packed int8, y f32.
 */
export function dequantizeProgram(size: number, quantization: QuantParams): GpuProgram {
  const values: Record<(typeof UNIFORMS)[number], number> = {
    total: size,
    scaleBits: float32Bits(quantization.scale),
    zeroPoint: quantization.zeroPoint,
  };
  const inputs = ['x'];
  const workgroup = DEQUANTIZE_WORKGROUP_SIZE;
  return flatProgram({
    name: DEQUANTIZE_NAME,
    workgroupSize: workgroup,
    invocations: size,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: 'u32', y: 'f32' }, functions: [wgslInt8Load('x')] },
    values,
    body: () => `${wgslComputeMain(workgroup)}
  let index = ${WGSL_WORKGROUP_INDEX} * ${workgroup} + i32(local);
  if (index >= params.total) { return; }
  y[index] = bitcast<f32>(params.scaleBits) * f32(load_x(index) - params.zeroPoint);
}
`,
  });
}
