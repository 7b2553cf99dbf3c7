/**
 * The demo's two workloads, defined once so the page and its end-to-end test build exactly
 * the same tensors.
 *
 * 1. An image filter written as a depthwise separable convolution: per colour channel, four
 *    3×3 depthwise filters (blur, horizontal edges, vertical edges, Laplacian) with ReLU, then
 *    a pointwise 12 → 3 mix that adds each channel's edges to its blur and the grey edges of
 *    all three channels to every output — the pointwise step is where channels meet.
 * 2. A MobileNet-sized block with seeded random weights, timed.
 */
import { randomNormal, tensor, type HostTensor, type SeparableConv2dOptions } from '@sepconv/tensor';

/** The four 3×3 filters each colour channel gets, row-major. */
const FILTERS: readonly (readonly number[])[] = [
  [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  [0, -1, 0, -1, 4, -1, 0, -1, 0],
];

/** Colour channels of the image. */
export const IMAGE_CHANNELS = 3;
/** Depthwise channel multiplier: one output per filter. */
export const IMAGE_MULTIPLIER = FILTERS.length;

/** Depthwise filter `[3, 3, 3, 4]`: channel c, filter m lands in output channel `c * 4 + m`. */
export function imageDepthwiseFilter(): HostTensor {
  const data = new Float32Array(3 * 3 * IMAGE_CHANNELS * IMAGE_MULTIPLIER);
  // tap = ky * 3 + kx: a filter's row-major position is its [KH, KW] index.
  for (const [m, filter] of FILTERS.entries()) {
    for (const [tap, weight] of filter.entries()) {
      for (let c = 0; c < IMAGE_CHANNELS; c++) data[(tap * IMAGE_CHANNELS + c) * IMAGE_MULTIPLIER + m] = weight;
    }
  }
  return tensor(data, [3, 3, IMAGE_CHANNELS, IMAGE_MULTIPLIER]);
}

/** Pointwise filter `[12, 3]`: own blur, plus own edges, plus a little of every channel's edges. */
export function imagePointwiseFilter(): HostTensor {
  const inChannels = IMAGE_CHANNELS * IMAGE_MULTIPLIER;
  const data = new Float32Array(inChannels * IMAGE_CHANNELS);
  for (let c = 0; c < IMAGE_CHANNELS; c++) {
    for (let m = 0; m < IMAGE_MULTIPLIER; m++) {
      const input = c * IMAGE_MULTIPLIER + m;
      for (let out = 0; out < IMAGE_CHANNELS; out++) {
        const own = c === out;
        data[input * IMAGE_CHANNELS + out] = m === 0 ? (own ? 0.8 : 0) : (own ? 0.5 : 0) + 0.25;
      }
    }
  }
  return tensor(data, [inChannels, IMAGE_CHANNELS]);
}

/** Options of the image block: `'same'` keeps the picture's size; ReLU keeps positive edges only. */
export const IMAGE_OPTIONS: SeparableConv2dOptions = { padding: 'same', depthwiseActivation: 'relu', activation: 'relu6' };

/** The timed block: the shape of MobileNetV1's fourth separable block at 224 (56×56×128 → 128). */
export const TIMED_BLOCK = {
  inputShape: [1, 56, 56, 128],
  depthwiseShape: [3, 3, 128, 1],
  pointwiseShape: [128, 128],
  options: { padding: 'same', depthwiseActivation: 'relu6', activation: 'relu6' } satisfies SeparableConv2dOptions,
  seeds: { x: 11, depthwise: 12, pointwise: 13 },
} as const;

/** The timed block's input and weights, reproducible from their seeds. */
export function timedBlockTensors(): { x: HostTensor; depthwise: HostTensor; pointwise: HostTensor } {
  return {
    x: randomNormal(TIMED_BLOCK.inputShape, TIMED_BLOCK.seeds.x),
    depthwise: randomNormal(TIMED_BLOCK.depthwiseShape, TIMED_BLOCK.seeds.depthwise, 0, 0.3),
    pointwise: randomNormal(TIMED_BLOCK.pointwiseShape, TIMED_BLOCK.seeds.pointwise, 0, 0.1),
  };
}

/** Summary numbers of an output, shown on the page and recomputed by the test: sum and a few values. */
export function fingerprint(values: Float32Array): { sum: number; samples: number[] } {
  let sum = 0;
  for (const v of values) sum += v;
  const samples = [0, 1, Math.floor(values.length / 2), values.length - 1].flatMap((i) => values[i] ?? []);
  return { sum, samples };
}

/** Largest absolute difference between two outputs of the same shape. */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  // i < a.length; b has the same length (same shape), and a shorter b gives NaN, shown as such.
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
