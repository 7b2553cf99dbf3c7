/** A broadcast reduced to its fewest axes: the output's dims and each operand's element strides over them. */
export interface CollapsedBroadcast {
  /** Output dims, outermost first; at least one (`[1]` for a single element). */
  readonly dims: readonly number[];
  /** Per operand, its element stride along each of `dims` (0 where it is broadcast). */
  readonly strides: readonly (readonly number[])[];
}

/**
 * Drops size-1 axes and merges neighbouring axes along which every operand is laid out
 * contiguously (`stride[i] = stride[i + 1] · dim[i + 1]`, which includes both strides being 0),
 * so a kernel unravels as few indices as the broadcast really has. A same-shape or scalar
 * operation becomes one axis, a per-channel one `[N·H·W, C]`, squeeze-and-excitation's
 * `[N,1,1,C] × [N,H,W,C]` becomes `[N, H·W, C]`. The innermost stride of each operand is then
 * 0 or 1: a non-broadcast operand's innermost kept axis is its own last non-unit axis.
 * @param shape the output (broadcast) shape, any rank.
 * @param strides per operand, its element strides over `shape`'s axes (0 on broadcast axes).
 */
export function collapseBroadcast(shape: readonly number[], strides: readonly (readonly number[])[]): CollapsedBroadcast {
  const dims: number[] = [];
  const collapsed: number[][] = strides.map(() => []);
  shape.forEach((dim, axis) => {
    if (dim === 1) return;
    const last = dims.length - 1;
    const contiguous = last >= 0 && strides.every((s, k) => collapsed[k]![last] === s[axis]! * dim);
    if (contiguous) {
      dims[last] = dims[last]! * dim;
      strides.forEach((s, k) => (collapsed[k]![last] = s[axis]!));
    } else {
      dims.push(dim);
      strides.forEach((s, k) => collapsed[k]!.push(s[axis]!));
    }
  });
  if (dims.length === 0) return { dims: [1], strides: strides.map(() => [0]) };
  return { dims, strides: collapsed };
}
