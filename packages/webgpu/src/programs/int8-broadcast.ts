import type { BinaryGeometry } from '@sepconv/tensor';

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
