import type { BinaryGeometry, MulRequantization } from '@sepconv/tensor';
import { dispatchGrid } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslHeader } from '../wgsl-header.js';
import { WGSL_FIXED_POINT, wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';
import { BROADCAST_UNIFORMS, broadcastValues, INT8_BROADCAST_MAX_RANK, WGSL_BROADCAST_WALK } from './int8-broadcast.js';

/** 64 invocations, one output word each: element-wise, no barrier. */
export const QUANTIZED_MUL_WORKGROUP_SIZE = 64;

/** The program name of {@link quantizedMulProgram}. */
export const QUANTIZED_MUL_NAME = 'mul-broadcast-qs8';

/** Axes the program walks; a broadcast of higher rank is refused before it is built. */
export const QUANTIZED_MUL_MAX_RANK = INT8_BROADCAST_MAX_RANK;

const REQUANTIZATION = ['aZeroPoint', 'bZeroPoint', 'outputZeroPoint', 'multiplier', 'shift', 'activationMin', 'activationMax'] as const;
const UNIFORMS = ['total', 'words', ...REQUANTIZATION, ...BROADCAST_UNIFORMS];

/**
 * TensorFlow Lite's int8 `MUL` with broadcasting (squeeze-and-excitation's gate, equal shapes, a
 * scalar): `clamp(outZp + MBQM((a − aZp)·(b − bZp), M, shift), min, max)`, the product exact in
 * i32 (at most 255² in magnitude). Bindings: a, b, y packed int8.
 */
export function quantizedMulProgram(g: BinaryGeometry, r: MulRequantization): GpuProgram {
  const values: Record<string, number> = { total: g.size, words: Math.ceil(g.size / 4), ...broadcastValues(g) };
  for (const field of REQUANTIZATION) values[field] = r[field];
  const inputs = ['a', 'b'];
  const workgroup = QUANTIZED_MUL_WORKGROUP_SIZE;
  return {
    name: QUANTIZED_MUL_NAME,
    cacheKey: QUANTIZED_MUL_NAME,
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
  let product = (load_a(aOffset) - params.aZeroPoint) * (load_b(bOffset) - params.bZeroPoint);
  return clamp(params.outputZeroPoint + mbqm(product, params.multiplier, params.shift), params.activationMin, params.activationMax);
}

${wgslInt8WordMain(workgroup)}
`,
  };
}
