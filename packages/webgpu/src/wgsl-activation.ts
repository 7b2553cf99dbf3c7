import type { Activation } from '@sepconv/tensor';

/**
 * The `i32` each activation travels as in a program's uniforms. The epilogue is chosen at
 * run time rather than compiled in: a uniform branch costs nothing measurable, while every
 * compile-time combination is another pipeline — about a second each to compile on
 * SwiftShader and tens of milliseconds on real drivers.
 */
export const ACTIVATION_CODES: Readonly<Record<Activation, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  sigmoid: 3,
  hardSigmoid: 4,
  hardSwish: 5,
};

/**
 * Which activations a program's `activate` handles. The convolution epilogues take
 * `'epilogue'` (the `ConvActivation`s: the clamps, hard-sigmoid and hard-swish; their
 * validators refuse sigmoid), so their WGSL carries no `exp`; the element-wise programs take
 * `'all'`.
 */
export type ActivationSet = 'epilogue' | 'all';

/**
 * WGSL `fn ${fnName}(v, kind: i32)` applying the activation whose {@link ACTIVATION_CODES}
 * code is `kind`, on `f32` or `vec4<f32>`. `select` keeps NaN as NaN, as the reference's
 * comparisons do (NaN compares false, so it is clamped neither to 0 nor to 6). Hard-sigmoid is
 * `relu6(v + 3) / 6` and hard-swish `v · relu6(v + 3) / 6`, the Keras / TF-Lite / PyTorch
 * forms. With `'all'`, sigmoid is `1 / (1 + exp(−v))` and passes NaN through explicitly
 * (tested on the bits, since WGSL's `exp` need not propagate it).
 */
export function wgslActivation(fnName: string, type: 'f32' | 'vec4<f32>', set: ActivationSet = 'epilogue'): string {
  const zero = type === 'f32' ? '0.0' : 'vec4<f32>(0.0)';
  const six = type === 'f32' ? '6.0' : 'vec4<f32>(6.0)';
  const bits = type === 'f32' ? 'u32' : 'vec4<u32>';
  const sigmoid =
    set === 'epilogue'
      ? ''
      : `
  if (kind == ${ACTIVATION_CODES.sigmoid}) {
    let isNan = (bitcast<${bits}>(v) & ${bits}(0x7fffffffu)) > ${bits}(0x7f800000u);
    return select(1.0 / (1.0 + exp(-v)), v, isNan);
  }`;
  return `fn ${fnName}(v: ${type}, kind: i32) -> ${type} {
  if (kind == ${ACTIVATION_CODES.linear}) { return v; }${sigmoid}
  if (kind == ${ACTIVATION_CODES.hardSigmoid} || kind == ${ACTIVATION_CODES.hardSwish}) {
    let t = v + 3.0;
    let r6 = select(select(t, ${zero}, t < ${zero}), ${six}, t > ${six});
    if (kind == ${ACTIVATION_CODES.hardSigmoid}) { return r6 / 6.0; }
    return (v * r6) / 6.0;
  }
  let r = select(v, ${zero}, v < ${zero});
  if (kind == ${ACTIVATION_CODES.relu}) { return r; }
  return select(r, ${six}, r > ${six});
}`;
}
