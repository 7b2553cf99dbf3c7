import { activate, type AddGeometry } from '@sepconv/tensor';

/**
 * Element-wise `out[i] = act(a[i] + b[i])` (MobileNetV2's residual connection), the sum
 * rounded to float32 before the activation as the reference does. A plain loop: the op is
 * memory-bound and small next to the convolutions around it.
 * Legend: i flat element index.
 */
export function jsAdd(a: Float32Array, b: Float32Array, out: Float32Array, geometry: AddGeometry): void {
  for (let i = 0; i < geometry.size; i++) out[i] = activate(Math.fround(a[i]! + b[i]!), geometry.activation);
}
