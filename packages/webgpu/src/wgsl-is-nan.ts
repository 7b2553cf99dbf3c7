/**
 * WGSL `fn isNan(v)` for `f32` or `vec4<f32>`, tested on the bits: WGSL's `max`, `exp` and
 * comparisons need not propagate or detect NaN (a compiler may assume finite values), while
 * the reference propagates it.
 */
export function wgslIsNan(type: 'f32' | 'vec4<f32>'): string {
  const bits = type === 'f32' ? 'u32' : 'vec4<u32>';
  const result = type === 'f32' ? 'bool' : 'vec4<bool>';
  return `fn isNan(v: ${type}) -> ${result} {
  return (bitcast<${bits}>(v) & ${bits}(0x7fffffffu)) > ${bits}(0x7f800000u);
}`;
}
