import type { AddRequantization, BinaryGeometry } from '@sepconv/tensor';
import { dispatchGrid } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslHeader } from '../wgsl-header.js';
import { WGSL_FIXED_POINT, wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';
import { BROADCAST_UNIFORMS, broadcastValues, INT8_BROADCAST_MAX_RANK, WGSL_BROADCAST_WALK } from './int8-broadcast.js';

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
const UNIFORMS = [
  'total',
  'words',
  ...REQUANTIZATION,
  ...BROADCAST_UNIFORMS,
];

/**
 * TensorFlow Lite's int8 `ADD` with broadcasting: each output element's operands found through
 * the geometry's (broadcast, 0 where repeated) strides, then
 * `clamp(outZp + MBQM(MBQM((a − aZp)·2^20, aM) + MBQM((b − bZp)·2^20, bM), outM), min, max)`.
 * Shapes are right-aligned into {@link QUANTIZED_ADD_MAX_RANK} axes. Bindings: a, b, y packed int8.
 */
export function quantizedAddProgram(g: BinaryGeometry, r: AddRequantization): GpuProgram {
  const values: Record<string, number> = { total: g.size, words: Math.ceil(g.size / 4), ...broadcastValues(g) };
  for (const field of REQUANTIZATION) values[field] = r[field];
  const inputs = ['a', 'b'];
  const workgroup = QUANTIZED_ADD_WORKGROUP_SIZE;
  return {
    name: QUANTIZED_ADD_NAME,
    cacheKey: QUANTIZED_ADD_NAME,
    workgroupSize: [workgroup, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(values.words! / workgroup)),
    uniforms: () => UNIFORMS.map((name) => ({ name, value: values[name]! })),
    wgsl: () => `${wgslHeader({ inputs }, UNIFORMS, { a: 'u32', b: 'u32', y: 'u32' })}
${wgslInt8Load('a')}
${wgslInt8Load('b')}
${WGSL_FIXED_POINT}

fn element(i: i32) -> i32 {
  var rest = i;
  var coordinate = 0;
  var aOffset = 0;
  var bOffset = 0;
${WGSL_BROADCAST_WALK}
  let scale = 1 << u32(params.leftShift);
  let aScaled = mbqm((load_a(aOffset) - params.aZeroPoint) * scale, params.aMultiplier, params.aShift);
  let bScaled = mbqm((load_b(bOffset) - params.bZeroPoint) * scale, params.bMultiplier, params.bShift);
  let value = params.outputZeroPoint + mbqm(aScaled + bScaled, params.outputMultiplier, params.outputShift);
  return clamp(value, params.activationMin, params.activationMax);
}

${wgslInt8WordMain(workgroup)}
`,
  };
}
