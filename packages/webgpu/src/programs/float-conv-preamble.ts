import { wgslActivation } from '../wgsl-activation.js';
import type { WgslPreamble } from '../wgsl-preamble.js';

/**
 * The preamble of the one-pass float convolutions: bindings x, weights, bias (a placeholder
 * when the `hasBias` uniform is 0) and y, all of `elementType` but x of `inputType`, their
 * `Params`, and the `activate` epilogue over `elementType`.
 */
export function floatConvPreamble<U extends string>(
  uniforms: readonly U[],
  elementType: 'f32' | 'vec4<f32>' = 'f32',
  inputType: string = elementType,
): WgslPreamble<U> {
  return {
    inputs: ['x', 'weights', 'bias'],
    uniforms,
    elementTypes: { x: inputType, weights: elementType, bias: elementType, y: elementType },
    functions: [wgslActivation('activate', elementType)],
  };
}
