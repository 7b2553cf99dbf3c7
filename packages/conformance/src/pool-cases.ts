import { randomUniform, type HostTensor, type Padding, type PoolType } from '@sepconv/tensor';

/** One case of the optional `pool2d` capability: the shape of `x`, the window and the seed. */
export interface Pool2dCase {
  readonly name: string;
  readonly shape: readonly [number, number, number, number];
  readonly type: PoolType;
  readonly kernelSize: number | [number, number];
  readonly strides?: number | [number, number];
  readonly padding?: Padding;
  readonly seed: number;
}

// Windows 2 and 3 (and 1×3), strides 1, 2 and 3, 'same' / 'valid' / asymmetric explicit
// padding, odd spatial sizes, channels 1, 3, 4, 5, 8, 17, 64, batch 2 and 1×1 spatial.
const WINDOWS: readonly Omit<Pool2dCase, 'name' | 'shape' | 'type' | 'seed'>[] = [
  { kernelSize: 3, strides: 1, padding: 'same' },
  { kernelSize: 2, strides: 2, padding: 'same' },
  { kernelSize: 3, strides: 2, padding: 'valid' },
  { kernelSize: 3, strides: 3, padding: 'same' },
  { kernelSize: [1, 3], strides: [1, 2], padding: { top: 0, bottom: 0, left: 2, right: 1 } },
  { kernelSize: 2, padding: { top: 1, bottom: 0, left: 0, right: 1 } },
  { kernelSize: 1, strides: 1 },
];
const SHAPES: readonly [number, number, number, number][] = [
  [1, 7, 9, 1],
  [2, 5, 5, 3],
  [1, 8, 8, 4],
  [1, 7, 7, 5],
  [2, 6, 3, 8],
  [1, 9, 7, 17],
  [1, 1, 1, 64],
];

/** The fixed pool2d cases: every window with both types, each on another shape. */
export const pool2dCases: readonly Pool2dCase[] = (['avg', 'max'] as const).flatMap((type, t) =>
  WINDOWS.map((window, w) => {
    const shape = SHAPES[(w + 2 * t) % SHAPES.length]!;
    // A 1×1 input takes only windows that fit it.
    const fitted = shape[1] === 1 ? { kernelSize: 1, strides: 1, padding: 'same' as const } : window;
    return { name: `pool2d ${type} ${JSON.stringify(fitted)} [${shape.join(', ')}]`, shape, type, ...fitted, seed: 9000 + t * 100 + w };
  }),
);

/** One case of the optional `globalPool2d` capability. */
export interface GlobalPool2dCase {
  readonly name: string;
  readonly shape: readonly [number, number, number, number];
  readonly type: PoolType;
  readonly seed: number;
}

/** The fixed globalPool2d cases: 7×7 (MobileNet's last map), odd sizes, 1×1, batch 3, channels 1–64. */
export const globalPool2dCases: readonly GlobalPool2dCase[] = (['avg', 'max'] as const).flatMap((type, t) =>
  [
    [1, 7, 7, 64],
    [3, 5, 3, 17],
    [2, 1, 1, 5],
    [1, 9, 11, 3],
    [2, 4, 4, 1],
  ].map((shape, k) => ({
    name: `globalPool2d ${type} [${shape.join(', ')}]`,
    shape: shape as [number, number, number, number],
    type,
    seed: 9500 + t * 10 + k,
  })),
);

/** A pooling case's input: uniform in [-3, -1] for max (all negative, so a padded 0 winning would show), in [-2, 2] for avg. */
export function poolCaseInput(c: { readonly shape: readonly number[]; readonly type: PoolType; readonly seed: number }): HostTensor {
  return c.type === 'max' ? randomUniform(c.shape, c.seed, -3, -1) : randomUniform(c.shape, c.seed, -2, 2);
}
