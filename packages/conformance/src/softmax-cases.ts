import { randomUniform, type HostTensor } from '@sepconv/tensor';

/**
 * One case of the optional `softmax` capability as plain data: the shape of `x` (softmax runs
 * over its last axis) and the seed its data is filled from (uniform in `[offset − scale, offset + scale]`).
 */
export interface SoftmaxCase {
  readonly name: string;
  readonly shape: readonly number[];
  readonly seed: number;
  /** Default 4: logits of a trained classifier's order of magnitude. */
  readonly scale?: number;
  /** Default 0. 1000 makes every `exp(x)` overflow float32 unless the row maximum is subtracted. */
  readonly offset?: number;
}

/** The fixed `softmax` cases every backend that declares the capability must pass. */
export const softmaxCases: readonly SoftmaxCase[] = [
  { name: 'softmax rows of length 1 [4, 1]', shape: [4, 1], seed: 5000 },
  { name: 'softmax row of length 5 [1, 5]', shape: [1, 5], seed: 5001 },
  { name: 'softmax ImageNet row of length 1000 [1, 1000]', shape: [1, 1000], seed: 5002 },
  { name: 'softmax batch 3 [3, 1001]', shape: [3, 1001], seed: 5003 },
  { name: 'softmax of a classifier head [2, 1, 1, 10]', shape: [2, 1, 1, 10], seed: 5004 },
  { name: 'softmax large logits that overflow a naive exp [2, 7]', shape: [2, 7], seed: 5005, offset: 1000, scale: 20 },
  { name: 'softmax large negative logits that underflow a naive exp [2, 7]', shape: [2, 7], seed: 5006, offset: -1000, scale: 20 },
];

/** A case's host tensor, filled deterministically from its seed. */
export function softmaxCaseInput(c: SoftmaxCase): HostTensor {
  const scale = c.scale ?? 4;
  const offset = c.offset ?? 0;
  return randomUniform(c.shape, c.seed, offset - scale, offset + scale);
}

/**
 * One row of the non-finite contract of `Backend.softmax` and what every backend must return
 * for it (NaN in `expected` means NaN): a row containing NaN or +Infinity is all NaN, a
 * −Infinity entry gives 0, a row of only −Infinity is all NaN — what the max-subtracted formula
 * gives in IEEE arithmetic, as TensorFlow and ONNX Runtime compute it.
 */
export interface SoftmaxNonFiniteCase {
  readonly name: string;
  readonly row: readonly number[];
  readonly expected: readonly number[];
}

const NaN3 = [Number.NaN, Number.NaN, Number.NaN];

/** The non-finite rows every backend that declares softmax must handle as the contract says. */
export const softmaxNonFiniteCases: readonly SoftmaxNonFiniteCase[] = [
  { name: '+Infinity makes the row NaN [Inf, 0, 0]', row: [Infinity, 0, 0], expected: NaN3 },
  { name: '+Infinity beside -Infinity makes the row NaN [Inf, -Inf, 1]', row: [Infinity, -Infinity, 1], expected: NaN3 },
  { name: 'a row of +Infinity is NaN [Inf, Inf, Inf]', row: [Infinity, Infinity, Infinity], expected: NaN3 },
  { name: 'NaN beside infinities makes the row NaN [NaN, -Inf, Inf]', row: [Number.NaN, -Infinity, Infinity], expected: NaN3 },
  { name: '-Infinity gives 0 [-Inf, 0, 0]', row: [-Infinity, 0, 0], expected: [0, 0.5, 0.5] },
  { name: '-Infinity entries around one finite value [-Inf, 5, -Inf]', row: [-Infinity, 5, -Infinity], expected: [0, 1, 0] },
  { name: 'a row of -Infinity is NaN [-Inf, -Inf, -Inf]', row: [-Infinity, -Infinity, -Infinity], expected: NaN3 },
];
