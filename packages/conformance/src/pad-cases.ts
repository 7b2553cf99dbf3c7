import { randomUniform, type ExplicitPadding, type HostTensor } from '@sepconv/tensor';

/** One case of the optional `pad` capability: the shape of `x`, the padding, the fill value, the seed. */
export interface PadCase {
  readonly name: string;
  readonly shape: readonly [number, number, number, number];
  readonly padding: ExplicitPadding;
  readonly value?: number;
  readonly seed: number;
}

/** The fixed pad cases: asymmetric sides, zero sides, fill values (−∞ as a max pool's), channels 1–17, batch 2. */
export const padCases: readonly PadCase[] = [
  { name: 'pad asymmetric [1, 5, 7, 1]', shape: [1, 5, 7, 1], padding: { top: 0, bottom: 1, left: 0, right: 1 }, seed: 8100 },
  { name: 'pad 2 each side [2, 3, 3, 3]', shape: [2, 3, 3, 3], padding: { top: 2, bottom: 2, left: 2, right: 2 }, seed: 8101 },
  {
    name: 'pad top-left only, value 1.5 [1, 4, 4, 4]',
    shape: [1, 4, 4, 4],
    padding: { top: 1, bottom: 0, left: 3, right: 0 },
    value: 1.5,
    seed: 8102,
  },
  {
    name: 'pad width only, value -Infinity [1, 2, 3, 5]',
    shape: [1, 2, 3, 5],
    padding: { top: 0, bottom: 0, left: 1, right: 2 },
    value: -Infinity,
    seed: 8103,
  },
  { name: 'pad nothing [1, 3, 3, 17]', shape: [1, 3, 3, 17], padding: { top: 0, bottom: 0, left: 0, right: 0 }, seed: 8104 },
  { name: 'pad 1×1 spatial [2, 1, 1, 8]', shape: [2, 1, 1, 8], padding: { top: 1, bottom: 2, left: 3, right: 1 }, seed: 8105 },
];

/** A pad case's input, uniform in [-1, 1]. */
export function padCaseInput(c: PadCase): HostTensor {
  return randomUniform(c.shape, c.seed);
}
