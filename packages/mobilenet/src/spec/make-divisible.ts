/**
 * Rounds a channel count to the nearest multiple of `divisor` (8 by default), never going
 * below `minValue` nor more than 10% below `value`: Keras's and TF-slim's `_make_divisible`,
 * which MobileNetV2 applies to every width so channel counts suit vector hardware.
 */
export function makeDivisible(value: number, divisor = 8, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}
