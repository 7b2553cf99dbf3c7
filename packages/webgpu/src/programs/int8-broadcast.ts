import type { BinaryGeometry } from '@sepconv/tensor';
import { dispatchGrid } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslHeader } from '../wgsl-header.js';
import { WGSL_FIXED_POINT, wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';

/**
 * The broadcasting walk the int8 binary programs share (`quantizedAdd`, `quantizedMul`): shapes
 * right-aligned into {@link INT8_BROADCAST_MAX_RANK} axes, sizes and the geometry's (broadcast,
 * 0 where repeated) strides as uniforms, so one compiled program serves every shape.
 */

/** Axes the programs walk; a broadcast of higher rank is refused before one is built (NHWC needs 4). */
export const INT8_BROADCAST_MAX_RANK = 6;

const AXES = Array.from({ length: INT8_BROADCAST_MAX_RANK }, (_, axis) => axis);

/** The uniforms of the walk, after the program's own: each axis's size, then a's and b's strides. */
export const BROADCAST_UNIFORMS: readonly string[] = [
  ...AXES.map((axis) => `shape${axis}`),
  ...AXES.map((axis) => `aStride${axis}`),
  ...AXES.map((axis) => `bStride${axis}`),
];

/** The walk's uniform values for `g` (leading axes of size 1 and stride 0). */
export function broadcastValues(g: BinaryGeometry): Record<string, number> {
  const lead = INT8_BROADCAST_MAX_RANK - g.shape.length;
  const axisValue = (list: readonly number[], axis: number, fill: number): number => (axis < lead ? fill : list[axis - lead]!);
  const values: Record<string, number> = {};
  for (const axis of AXES) {
    values[`shape${axis}`] = axisValue(g.shape, axis, 1);
    values[`aStride${axis}`] = axisValue(g.aStrides, axis, 0);
    values[`bStride${axis}`] = axisValue(g.bStrides, axis, 0);
  }
  return values;
}

/** WGSL statements turning `rest` (the output index) into `aOffset` and `bOffset` (declared by the caller with `coordinate`). */
export const WGSL_BROADCAST_WALK = AXES.slice()
  .reverse()
  .map(
    (axis) => `  coordinate = rest % params.shape${axis};
  rest = rest / params.shape${axis};
  aOffset = aOffset + coordinate * params.aStride${axis};
  bOffset = bOffset + coordinate * params.bStride${axis};`,
  )
  .join('\n');

/** What one int8 binary program adds to the shared walk: its name, requantization and arithmetic. */
export interface Int8BinarySpec<R> {
  /** Program name and cache key (one compiled program serves every shape and requantization). */
  readonly name: string;
  /** Invocations per workgroup, one output word (four elements) each. */
  readonly workgroupSize: number;
  /** Requantization fields, in uniform order after `total` and `words`, before the walk's. */
  readonly requantization: readonly (keyof R & string)[];
  /** The requantization the fields are read from. */
  readonly values: R;
  /**
   * WGSL statements ending in `return`: the element's int8 value (before packing) from
   * `load_a(aOffset)`, `load_b(bOffset)`, `mbqm` and the requantization fields in `params`.
   */
  readonly elementBody: string;
}

/**
 * An element-wise int8 binary program over {@link BinaryGeometry} `g`: the walk finds each output
 * element's operands, `spec.elementBody` computes it, four elements pack into one output word.
 * Bindings: a, b, y packed int8.
 */
export function int8BinaryProgram<R extends Readonly<Record<keyof R, number>>>(g: BinaryGeometry, spec: Int8BinarySpec<R>): GpuProgram {
  const uniformNames = ['total', 'words', ...spec.requantization, ...BROADCAST_UNIFORMS];
  const values: Record<string, number> = { total: g.size, words: Math.ceil(g.size / 4), ...broadcastValues(g) };
  for (const field of spec.requantization) values[field] = spec.values[field];
  const inputs = ['a', 'b'];
  const workgroup = spec.workgroupSize;
  return {
    name: spec.name,
    cacheKey: spec.name,
    workgroupSize: [workgroup, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(values.words! / workgroup)),
    uniforms: () => uniformNames.map((name) => ({ name, value: values[name]! })),
    wgsl: () => `${wgslHeader({ inputs }, uniformNames, { a: 'u32', b: 'u32', y: 'u32' })}
${wgslInt8Load('a')}
${wgslInt8Load('b')}
${WGSL_FIXED_POINT}

fn element(i: i32) -> i32 {
  var rest = i;
  var coordinate = 0;
  var aOffset = 0;
  var bOffset = 0;
${WGSL_BROADCAST_WALK}
${spec.elementBody}
}

${wgslInt8WordMain(workgroup)}
`,
  };
}
