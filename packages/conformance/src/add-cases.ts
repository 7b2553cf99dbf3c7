import { randomUniform, type Activation, type HostTensor } from '@sepconv/tensor';

/**
 * One case of the optional `add` capability as plain data: the common shape of `a` and `b`,
 * the activation and the seed their data is filled from (uniform in `[-scale, scale]`).
 */
export interface AddCase {
  readonly name: string;
  readonly shape: readonly number[];
  readonly activation?: Activation;
  readonly seed: number;
  /** Inputs are uniform in [-scale, scale]; default 1. A scale above 3 makes ReLU6 clip at 6. */
  readonly scale?: number;
}

// Channel counts equal to, below, above and a multiple of a 4-wide vector (1, 3, 4, 5, 17,
// 64), so a vectorised kernel's tail handling is exercised; batch 3 catches a kernel that
// indexes only the first image; rank 2 and an odd total size check that any rank is taken.
const channelCases: AddCase[] = [1, 3, 4, 5, 17, 64].map((channels, i) => ({
  name: `add [1, 5, 5, ${channels}]`,
  shape: [1, 5, 5, channels],
  seed: 4000 + i,
}));

/** The fixed `add` cases every backend that declares the capability must pass. */
export const addCases: readonly AddCase[] = [
  ...channelCases,
  { name: 'add batch 3 [3, 4, 6, 8]', shape: [3, 4, 6, 8], seed: 4010 },
  { name: 'add relu clips at 0 [2, 7, 7, 17]', shape: [2, 7, 7, 17], activation: 'relu', seed: 4011 },
  { name: 'add relu6 clips at 0 and 6 [1, 6, 6, 24]', shape: [1, 6, 6, 24], activation: 'relu6', scale: 8, seed: 4012 },
  { name: 'add linear of a large MobileNetV2 residual [1, 28, 28, 32]', shape: [1, 28, 28, 32], seed: 4013 },
  { name: 'add rank 2 [7, 13]', shape: [7, 13], activation: 'relu', seed: 4014 },
];

/** A case's two host tensors, filled deterministically from its seed. */
export function addCaseInputs(c: AddCase): { a: HostTensor; b: HostTensor } {
  const scale = c.scale ?? 1;
  return { a: randomUniform(c.shape, c.seed, -scale, scale), b: randomUniform(c.shape, c.seed + 1, -scale, scale) };
}
