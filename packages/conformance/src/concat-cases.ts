import { randomUniform, type HostTensor } from '@sepconv/tensor';

/** One case of the optional `concat` capability: the input shapes (equal but for `axis`), the axis, the seed. */
export interface ConcatCase {
  readonly name: string;
  readonly shapes: readonly (readonly number[])[];
  readonly axis?: number;
  readonly seed: number;
}

/** The fixed concat cases: channel blocks around a 4-wide vector, inner and outer axes, one input, batch > 1. */
export const concatCases: readonly ConcatCase[] = [
  {
    name: 'concat channels 1 + 3 [1, 5, 7, ·]',
    shapes: [
      [1, 5, 7, 1],
      [1, 5, 7, 3],
    ],
    seed: 8000,
  },
  {
    name: 'concat channels 4 + 5 + 17 [2, 3, 3, ·]',
    shapes: [
      [2, 3, 3, 4],
      [2, 3, 3, 5],
      [2, 3, 3, 17],
    ],
    seed: 8001,
  },
  {
    name: 'concat channels 64 + 8 [1, 1, 1, ·]',
    shapes: [
      [1, 1, 1, 64],
      [1, 1, 1, 8],
    ],
    seed: 8002,
  },
  { name: 'concat one input [1, 3, 5, 3]', shapes: [[1, 3, 5, 3]], seed: 8003 },
  {
    name: 'concat height axis 1 [2, ·, 4, 3]',
    shapes: [
      [2, 1, 4, 3],
      [2, 3, 4, 3],
    ],
    axis: 1,
    seed: 8004,
  },
  {
    name: 'concat batch axis 0 [·, 3, 3, 5]',
    shapes: [
      [1, 3, 3, 5],
      [2, 3, 3, 5],
    ],
    axis: 0,
    seed: 8005,
  },
  {
    name: 'concat width axis -2 [1, 3, ·, 8]',
    shapes: [
      [1, 3, 2, 8],
      [1, 3, 5, 8],
    ],
    axis: -2,
    seed: 8006,
  },
  {
    name: 'concat rank 2 [3, ·]',
    shapes: [
      [3, 7],
      [3, 1],
    ],
    seed: 8007,
  },
];

/** A concat case's inputs, uniform in [-1, 1]. */
export function concatCaseInputs(c: ConcatCase): HostTensor[] {
  return c.shapes.map((shape, k) => randomUniform(shape, c.seed + k * 17));
}
