import { activate, type Activation } from '@sepconv/tensor';

/**
 * Softmax over the last axis of row-major data, written the numerically stable way
 * (subtract each row's maximum before `exp`), in float64 before storing float32.
 * @param features the length of the last axis.
 */
export function softmaxRows(data: Float32Array, features: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let row = 0; row + features <= data.length; row += features) {
    let max = -Infinity;
    for (let i = 0; i < features; i++) max = Math.max(max, data[row + i]!);
    let sum = 0;
    for (let i = 0; i < features; i++) sum += Math.exp(data[row + i]! - max);
    for (let i = 0; i < features; i++) out[row + i] = Math.exp(data[row + i]! - max) / sum;
  }
  return out;
}

/** Element-wise `a + b` then `activation`, for equally long data: the host fallback of `Backend.add`. */
export function addHost(a: Float32Array, b: Float32Array, activation: Activation): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = activate(a[i]! + b[i]!, activation);
  return out;
}
