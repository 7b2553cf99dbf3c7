import type { BinaryGeometry } from '../binary-geometry.js';

/**
 * Calls `visit(i, aOffset, bOffset)` for every element `i` of a broadcast binary op's result,
 * row-major, with the flat offsets of the operands' elements it combines (each operand's offset
 * moved by its broadcast strides): the one indexing of the int8 element-wise reference kernels.
 * Legend: i flat result index, axis odometer digit.
 */
export function forEachBroadcastPair(g: BinaryGeometry, visit: (i: number, aOffset: number, bOffset: number) => void): void {
  const rank = g.shape.length;
  const index = new Array<number>(rank).fill(0);
  let aOffset = 0;
  let bOffset = 0;
  for (let i = 0; i < g.size; i++) {
    visit(i, aOffset, bOffset);
    for (let axis = rank - 1; axis >= 0; axis--) {
      aOffset += g.aStrides[axis]!;
      bOffset += g.bStrides[axis]!;
      if (++index[axis]! < g.shape[axis]!) break;
      aOffset -= g.aStrides[axis]! * g.shape[axis]!;
      bOffset -= g.bStrides[axis]! * g.shape[axis]!;
      index[axis] = 0;
    }
  }
}
