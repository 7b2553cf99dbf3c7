import type { PoolType } from '@sepconv/tensor';
import { wgslIsNan } from './wgsl-is-nan.js';

/**
 * WGSL for a pooling reduction over `f32` or `vec4<f32>`: `fn accumulate(acc, v)` and
 * `fn poolIdentity()` — a sum from 0 for `'avg'` (the caller divides), and for `'max'` a
 * maximum from −Infinity that propagates NaN (WGSL's `max` need not: a NaN already in `acc`
 * stays, a NaN `v` replaces it), as the reference's comparisons do.
 */
export function wgslPoolReduce(type: 'f32' | 'vec4<f32>', poolType: PoolType): string {
  if (poolType === 'avg') {
    return `fn poolIdentity() -> ${type} { return ${type}(0.0); }
fn accumulate(acc: ${type}, v: ${type}) -> ${type} { return acc + v; }`;
  }
  return `${wgslIsNan(type)}
fn poolIdentity() -> ${type} {
  // A variable, not a constant: WGSL refuses an infinite constant expression.
  var negativeInfinity = 0xff800000u;
  return ${type}(bitcast<f32>(negativeInfinity));
}
fn accumulate(acc: ${type}, v: ${type}) -> ${type} {
  return select(select(max(acc, v), acc, isNan(acc)), v, isNan(v));
}`;
}
