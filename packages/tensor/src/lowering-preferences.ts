import { describeValue } from './describe-value.js';
import { UnsupportedError, ValueError } from './errors.js';

/**
 * How a backend would have a model compiler (`@sepconv/mobilenet`'s `instantiate`) lower an
 * operation that can run more than one way on it. Each field names the backend operation the
 * compiler should use; an absent field, or a backend without `loweringPreferences`, gets the
 * compiler's default, which runs on every backend.
 *
 * A backend's author sets these from measurements of its own kernels, once per backend: they
 * change the plan's structure (which steps exist, what fuses), which per-geometry autotuning —
 * a choice among the kernel variants of a step that is already there — does not, and they
 * apply to untuned runs too.
 */
export interface LoweringPreferences {
  /**
   * Global average pooling (a squeeze-and-excitation block's squeeze, a classifier's pool):
   * - `'depthwiseConv2d'` (the default): a full-window depthwise convolution with the constant
   *   filter 1/(height·width), which every backend runs and which fuses with the pointwise
   *   convolution after it into one `separableConv2d`;
   * - `'globalPool2d'`: the backend's `globalPool2d` capability, then the pointwise
   *   convolution on its one-pixel result. A backend that declares it must declare
   *   `globalPool2d` (`defineBackend` checks); a compiler falls back to the default otherwise.
   */
  readonly globalAveragePool?: 'depthwiseConv2d' | 'globalPool2d' | undefined;
}

/** The lowerings {@link LoweringPreferences.globalAveragePool} may name, the default first. */
export const GLOBAL_AVERAGE_POOL_LOWERINGS = ['depthwiseConv2d', 'globalPool2d'] as const;

/**
 * Checks a backend definition's `loweringPreferences` against the capabilities it declares and
 * returns a frozen copy (so a backend's preferences cannot change under a compiled plan).
 * @param hasCapability whether the backend declares an optional capability, e.g. `globalPool2d`.
 * @throws ValueError naming `op` and `loweringPreferences.globalAveragePool` for an unknown
 * lowering; UnsupportedError for `'globalPool2d'` without the `globalPool2d` capability.
 */
export function checkLoweringPreferences(
  op: string,
  preferences: LoweringPreferences,
  hasCapability: (name: 'globalPool2d') => boolean,
): LoweringPreferences {
  const argument = 'loweringPreferences.globalAveragePool';
  const lowering: unknown = preferences.globalAveragePool;
  if (lowering !== undefined && !(GLOBAL_AVERAGE_POOL_LOWERINGS as readonly unknown[]).includes(lowering)) {
    throw new ValueError(op, argument, `${argument} must be one of ${GLOBAL_AVERAGE_POOL_LOWERINGS.join(', ')}, got ${describeValue(lowering)}`);
  }
  if (lowering === 'globalPool2d' && !hasCapability('globalPool2d')) {
    throw new UnsupportedError(op, argument, `${argument} 'globalPool2d' needs the globalPool2d capability, which the kernel table does not declare`);
  }
  return Object.freeze({ ...preferences });
}
