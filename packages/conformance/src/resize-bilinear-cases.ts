import { randomUniform, type HostTensor, type ResizeBilinearOptions } from '@sepconv/tensor';

/** One case of the optional `resizeBilinear` capability: the shape of `x`, the output size, the mode, the seed. */
export interface ResizeBilinearCase {
  readonly name: string;
  readonly shape: readonly [number, number, number, number];
  readonly size: readonly [number, number];
  readonly options?: ResizeBilinearOptions | undefined;
  readonly seed: number;
}

const MODES: readonly { mode: string; options?: ResizeBilinearOptions }[] = [
  { mode: 'half-pixel' },
  { mode: 'align-corners', options: { alignCorners: true } },
  { mode: 'legacy', options: { halfPixelCenters: false } },
];

// Upsampling ×2 and by odd factors, downsampling, same size, from and to 1×1; channels 1, 3,
// 4, 5, 17, 64; batch 2. Every resize meets every mode.
const RESIZES: readonly { shape: [number, number, number, number]; size: [number, number] }[] = [
  { shape: [1, 2, 2, 1], size: [4, 4] },
  { shape: [2, 7, 5, 3], size: [14, 10] },
  { shape: [1, 9, 9, 4], size: [4, 5] },
  { shape: [1, 5, 7, 5], size: [5, 7] },
  { shape: [1, 1, 1, 17], size: [3, 3] },
  { shape: [2, 4, 6, 8], size: [1, 1] },
  { shape: [1, 3, 3, 64], size: [7, 8] },
];

/** The fixed resize cases every backend that declares the capability must pass. */
export const resizeBilinearCases: readonly ResizeBilinearCase[] = MODES.flatMap(({ mode, options }, m) =>
  RESIZES.map(({ shape, size }, r) => ({
    name: `resizeBilinear ${mode} [${shape.join(', ')}] → ${size[0]}×${size[1]}`,
    shape,
    size,
    options,
    seed: 9700 + m * 10 + r,
  })),
);

/** A resize case's input, uniform in [-1, 1]. */
export function resizeBilinearCaseInput(c: ResizeBilinearCase): HostTensor {
  return randomUniform(c.shape, c.seed);
}
