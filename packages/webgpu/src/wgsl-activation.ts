import type { Activation } from '@sepconv/tensor';

/**
 * The `i32` each activation travels as in a program's uniforms. The epilogue is chosen at
 * run time rather than compiled in: a uniform branch costs nothing measurable, while every
 * compile-time combination is another pipeline — about a second each to compile on
 * SwiftShader and tens of milliseconds on real drivers.
 */
export const ACTIVATION_CODES: Readonly<Record<Activation, number>> = { linear: 0, relu: 1, relu6: 2 };

/**
 * WGSL `fn ${fnName}(v, kind: i32)` applying the activation whose {@link ACTIVATION_CODES}
 * code is `kind`, on `f32` or `vec4<f32>`. `select` keeps NaN as NaN, as the reference's
 * comparisons do (NaN compares false, so it is clamped neither to 0 nor to 6).
 */
export function wgslActivation(fnName: string, type: 'f32' | 'vec4<f32>'): string {
  const zero = type === 'f32' ? '0.0' : 'vec4<f32>(0.0)';
  const six = type === 'f32' ? '6.0' : 'vec4<f32>(6.0)';
  return `fn ${fnName}(v: ${type}, kind: i32) -> ${type} {
  if (kind == ${ACTIVATION_CODES.linear}) { return v; }
  let r = select(v, ${zero}, v < ${zero});
  if (kind == ${ACTIVATION_CODES.relu}) { return r; }
  return select(r, ${six}, r > ${six});
}`;
}
