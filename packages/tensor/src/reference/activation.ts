import { activate } from '../activation.js';
import type { UnaryGeometry } from '../unary-geometry.js';

/**
 * Reference element-wise activation, `y[i] = act(x[i])` over the flat data (any shape):
 * `sigmoid(x) = 1 / (1 + exp(−x))`, `hardSigmoid(x) = relu6(x + 3) / 6`,
 * `hardSwish(x) = x · relu6(x + 3) / 6`, plus `linear`, `relu`, `relu6`; computed in float64 and
 * rounded once to float32. NaN stays NaN. Writes into `out` (a new array by default).
 * Legend: i flat element index.
 */
export function referenceActivation(x: Float32Array, g: UnaryGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  for (let i = 0; i < g.size; i++) out[i] = activate(x[i]!, g.activation);
  return out;
}
