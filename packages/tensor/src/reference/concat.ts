import type { ConcatGeometry } from '../concat-geometry.js';

/**
 * Reference concatenation: for each of the `outer` blocks, the block of each input in turn,
 * `y[o·outInner + offset_k + j] = xs[k][o·innerSizes[k] + j]` with `offset_k = Σ_{m<k} innerSizes[m]`.
 * Copies values bit for bit (NaN payloads included). Writes into `out` (a new array by default).
 * Legend: o outer block, k input, j position within the input's block.
 */
export function referenceConcat(xs: readonly Float32Array[], g: ConcatGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  for (let o = 0; o < g.outer; o++) {
    let offset = o * g.outInner;
    for (const [k, x] of xs.entries()) {
      const inner = g.innerSizes[k]!;
      out.set(x.subarray(o * inner, (o + 1) * inner), offset);
      offset += inner;
    }
  }
  return out;
}
