import { ACTIVATIONS, randomUniform, type Activation, type HostTensor } from '@sepconv/tensor';

/** One case of the optional `activation` capability: the shape of `x`, the activation, the seed. */
export interface ActivationCase {
  readonly name: string;
  readonly shape: readonly number[];
  readonly activation: Activation;
  readonly seed: number;
}

// Channels 1, 3, 4, 5, 8, 17, 64 (around a 4-wide vector), odd spatial sizes, batch 3, rank 2
// and an odd total size; each activation meets several shapes.
const SHAPES: readonly (readonly number[])[] = [
  [1, 5, 7, 1],
  [3, 3, 5, 3],
  [1, 4, 4, 4],
  [2, 5, 3, 5],
  [1, 3, 3, 8],
  [1, 7, 7, 17],
  [2, 1, 1, 64],
  [7, 13],
];

/** The fixed activation cases every backend that declares the capability must pass. */
export const activationCases: readonly ActivationCase[] = ACTIVATIONS.flatMap((activation, a) =>
  [0, 3, 6].map((offset, k) => {
    const shape = SHAPES[(a + offset) % SHAPES.length]!;
    return { name: `activation ${activation} [${shape.join(', ')}]`, shape, activation, seed: 7000 + a * 10 + k };
  }),
);

/** A case's input, uniform in [-8, 8]: beyond ±3 (hard-sigmoid's knees) and 6 (ReLU6's). */
export function activationCaseInput(c: ActivationCase): HostTensor {
  return randomUniform(c.shape, c.seed, -8, 8);
}
