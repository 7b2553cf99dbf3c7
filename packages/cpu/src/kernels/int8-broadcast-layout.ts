import type { BinaryGeometry } from '@sepconv/tensor';

/** Elements per row when neither operand has rows of its own (equal shapes, a scalar): the unit threads split. */
export const FLAT_ROW = 1024;
/**
 * The rows the int8 element-wise kernels walk: the full operand is read flat in rows of
 * `rowLength` (the last may be shorter); the other's row `r` starts at
 * `floor(r / rowsPerB) · bRowStride` and advances `bStep` (1, or 0 for a scalar) per element.
 * `swap`: the full operand is `b`, so the kernel gets the operands (and their parameters) swapped.
 */
export interface Int8BroadcastLayout {
  readonly swap: boolean;
  readonly rowLength: number;
  readonly rowsPerB: number;
  readonly bRowStride: number;
  readonly bStep: 0 | 1;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((product, dim) => product * dim, 1);

/** The layout of a full `a` against `bShape`'s strides, or undefined for a broadcast the kernel does not walk. */
function layoutAgainst(g: BinaryGeometry, bStrides: readonly number[], bSize: number, swap: boolean): Int8BroadcastLayout | undefined {
  const rank = g.shape.length;
  const channels = g.shape[rank - 1] ?? 1;
  if (bSize === g.size) return { swap, rowLength: FLAT_ROW, rowsPerB: 1, bRowStride: FLAT_ROW, bStep: 1 };
  if (bSize === 1) return { swap, rowLength: FLAT_ROW, rowsPerB: Number.MAX_SAFE_INTEGER, bRowStride: 0, bStep: 0 };
  if (rank < 2 || bStrides[rank - 1] !== 1 || bSize % channels !== 0) return undefined;
  const leading = bStrides.slice(0, rank - 1);
  // A channel vector: one row of b for every row of a.
  if (leading.every((stride) => stride === 0)) return { swap, rowLength: channels, rowsPerB: Number.MAX_SAFE_INTEGER, bRowStride: 0, bStep: 1 };
  // Squeeze-and-excitation: b is [N, 1, …, 1, C], one row per batch item, read by its H·W rows.
  if (leading[0] === channels && leading.slice(1).every((stride) => stride === 0)) {
    return { swap, rowLength: channels, rowsPerB: g.size / (g.shape[0]! * channels), bRowStride: channels, bStep: 1 };
  }
  return undefined;
}

/**
 * How the int8 element-wise kernels (assembly/int8-add.ts, assembly/int8-mul.ts) walk `a ∘ b`:
 * either operand full, the other equal, a per-channel row, a squeeze-and-excitation gate or a
 * scalar; undefined for another broadcast (the reference loop runs it).
 */
export function int8BroadcastLayout(g: BinaryGeometry): Int8BroadcastLayout | undefined {
  if (g.size === 0) return undefined;
  if (sizeOf(g.aShape) === g.size) return layoutAgainst(g, g.bStrides, sizeOf(g.bShape), false);
  if (sizeOf(g.bShape) === g.size) return layoutAgainst(g, g.aStrides, sizeOf(g.aShape), true);
  return undefined;
}
