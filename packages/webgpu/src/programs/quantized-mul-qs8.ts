import type { BinaryGeometry, MulRequantization } from '@sepconv/tensor';
import type { GpuProgram } from '../gpu-program.js';
import { INT8_BROADCAST_MAX_RANK, int8BinaryProgram } from './int8-broadcast.js';

/** 64 invocations, one output word each: element-wise, no barrier. */
export const QUANTIZED_MUL_WORKGROUP_SIZE = 64;

/** The program name of {@link quantizedMulProgram}. */
export const QUANTIZED_MUL_NAME = 'mul-broadcast-qs8';

/** Axes the program walks; a broadcast of higher rank is refused before it is built. */
export const QUANTIZED_MUL_MAX_RANK = INT8_BROADCAST_MAX_RANK;

const REQUANTIZATION = ['aZeroPoint', 'bZeroPoint', 'outputZeroPoint', 'multiplier', 'shift', 'activationMin', 'activationMax'] as const;

/**
 * TensorFlow Lite's int8 `MUL` with broadcasting (squeeze-and-excitation's gate, equal shapes, a
 * scalar): `clamp(outZp + MBQM((a − aZp)·(b − bZp), M, shift), min, max)`, the product exact in
 * i32 (at most 255² in magnitude). Bindings: a, b, y packed int8.
 */
export function quantizedMulProgram(g: BinaryGeometry, r: MulRequantization): GpuProgram {
  return int8BinaryProgram(g, {
    name: QUANTIZED_MUL_NAME,
    workgroupSize: QUANTIZED_MUL_WORKGROUP_SIZE,
    requantization: REQUANTIZATION,
    values: r,
    elementBody: `  let product = (load_a(aOffset) - params.aZeroPoint) * (load_b(bOffset) - params.bZeroPoint);
  return clamp(params.outputZeroPoint + mbqm(product, params.multiplier, params.shift), params.activationMin, params.activationMax);`,
  });
}
