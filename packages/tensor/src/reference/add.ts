import { activate } from '../activation.js';
import type { AddGeometry } from '../add-geometry.js';

/**
 * Reference element-wise add: `y[i] = act(a[i] + b[i])` over the flat data of two equally
 * shaped tensors (any rank, any layout, since both share one). The sum is rounded to float32
 * before the activation, as every backend computes it; NaN and infinities follow IEEE rules.
 */
export function referenceAdd(a: Float32Array, b: Float32Array, g: AddGeometry): Float32Array {
  const out = new Float32Array(g.size);
  for (let i = 0; i < g.size; i++) {
    out[i] = activate(Math.fround(a[i]! + b[i]!), g.activation);
  }
  return out;
}
