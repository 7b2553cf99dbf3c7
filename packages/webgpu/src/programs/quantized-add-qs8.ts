import type { AddRequantization, BinaryGeometry } from '@sepconv/tensor';
import type { GpuProgram } from '../gpu-program.js';
import { INT8_BROADCAST_MAX_RANK, int8BinaryProgram } from './int8-broadcast.js';

/** 64 invocations, one output word each: element-wise, no barrier. */
export const QUANTIZED_ADD_WORKGROUP_SIZE = 64;

/** The program name of {@link quantizedAddProgram}. */
export const QUANTIZED_ADD_NAME = 'add-broadcast-qs8';

/** Axes the program walks; a broadcast of higher rank is refused before it is built (NHWC needs 4). */
export const QUANTIZED_ADD_MAX_RANK = INT8_BROADCAST_MAX_RANK;

const REQUANTIZATION = [
  'leftShift',
  'aZeroPoint',
  'aMultiplier',
  'aShift',
  'bZeroPoint',
  'bMultiplier',
  'bShift',
  'outputZeroPoint',
  'outputMultiplier',
  'outputShift',
  'activationMin',
  'activationMax',
] as const;

/**
 * TensorFlow Lite's int8 `ADD` with broadcasting: each output element's operands found through
 * the geometry's (broadcast, 0 where repeated) strides, then
 * `clamp(outZp + MBQM(MBQM((a − aZp)·2^20, aM) + MBQM((b − bZp)·2^20, bM), outM), min, max)`.
 * Shapes are right-aligned into {@link QUANTIZED_ADD_MAX_RANK} axes. Bindings: a, b, y packed int8.
 */
export function quantizedAddProgram(g: BinaryGeometry, r: AddRequantization): GpuProgram {
  return int8BinaryProgram(g, {
    name: QUANTIZED_ADD_NAME,
    workgroupSize: QUANTIZED_ADD_WORKGROUP_SIZE,
    requantization: REQUANTIZATION,
    values: r,
    elementBody: `  let scale = 1 << u32(params.leftShift);
  let aScaled = mbqm((load_a(aOffset) - params.aZeroPoint) * scale, params.aMultiplier, params.aShift);
  let bScaled = mbqm((load_b(bOffset) - params.bZeroPoint) * scale, params.bMultiplier, params.bShift);
  let value = params.outputZeroPoint + mbqm(aScaled + bScaled, params.outputMultiplier, params.outputShift);
  return clamp(value, params.activationMin, params.activationMax);`,
  });
}
