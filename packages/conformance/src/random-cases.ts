import { CONV_ACTIVATIONS, convGeometry, Random, type KernelName, type Padding } from '@sepconv/tensor';
import type { ConformanceCase } from './conformance-case.js';

const OPS: readonly KernelName[] = ['depthwiseConv2d', 'pointwiseConv2d', 'conv2d', 'separableConv2d'];
// Mostly small channel counts (cheap, and where remainders live), sometimes tile-sized ones.
const CHANNEL_CHOICES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33] as const;

function randomPadding(random: Random): Padding {
  const kind = random.int(0, 2);
  if (kind === 0) return 'valid';
  if (kind === 1) return 'same';
  return { top: random.int(0, 2), bottom: random.int(0, 2), left: random.int(0, 2), right: random.int(0, 2) };
}

function randomPair(random: Random, max: number): number | [number, number] {
  return random.next() < 0.7 ? random.int(1, max) : [random.int(1, max), random.int(1, max)];
}

function isValid(c: Omit<ConformanceCase, 'name' | 'seed'>): boolean {
  try {
    const kind = c.op === 'separableConv2d' ? 'depthwiseConv2d' : c.op;
    convGeometry({
      kind,
      inputShape: c.xShape,
      kernelHeight: c.op === 'pointwiseConv2d' ? 1 : c.filterShape[0]!,
      kernelWidth: c.op === 'pointwiseConv2d' ? 1 : c.filterShape[1]!,
      outChannels: c.filterShape[c.filterShape.length - 1],
      channelMultiplier: c.filterShape[3],
      strides: c.strides,
      dilations: c.dilations,
      padding: c.padding,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * A seeded sweep of random valid geometries over every op (the differential part of the
 * suite): small sizes, every padding kind, strides up to 3, dilations up to 2, multipliers up
 * to 3, batch up to 2. The same `seed` always gives the same cases.
 */
export function randomConformanceCases(count: number, seed = 20240601): ConformanceCase[] {
  const random = new Random(seed);
  const cases: ConformanceCase[] = [];
  while (cases.length < count) {
    const op = OPS[cases.length % OPS.length]!;
    const batch = random.next() < 0.8 ? 1 : 2;
    const height = random.int(1, 14);
    const width = random.int(1, 14);
    const channels = random.pick(CHANNEL_CHOICES);
    const kernelHeight = op === 'pointwiseConv2d' ? 1 : random.int(1, 5);
    const kernelWidth = op === 'pointwiseConv2d' ? 1 : random.next() < 0.7 ? kernelHeight : random.int(1, 5);
    const multiplier = random.next() < 0.7 ? 1 : random.int(2, 3);
    const outChannels = random.pick(CHANNEL_CHOICES);
    const candidate: Omit<ConformanceCase, 'name' | 'seed'> = {
      op,
      xShape: [batch, height, width, channels],
      filterShape:
        op === 'conv2d'
          ? [kernelHeight, kernelWidth, channels, outChannels]
          : op === 'pointwiseConv2d'
            ? [channels, outChannels]
            : [kernelHeight, kernelWidth, channels, multiplier],
      pointwiseFilterShape: op === 'separableConv2d' ? [channels * multiplier, outChannels] : undefined,
      strides: op === 'pointwiseConv2d' && random.next() < 0.7 ? 1 : randomPair(random, 3),
      dilations: op === 'pointwiseConv2d' ? 1 : randomPair(random, 2),
      padding: randomPadding(random),
      bias: random.next() < 0.5,
      activation: random.pick(CONV_ACTIVATIONS),
      depthwiseBias: op === 'separableConv2d' ? random.next() < 0.5 : undefined,
      depthwiseActivation: op === 'separableConv2d' ? random.pick(CONV_ACTIVATIONS) : undefined,
      scale: random.next() < 0.5 ? 1 : 3,
    };
    if (!isValid(candidate)) continue;
    const index = cases.length;
    const [b, h, w, ch] = candidate.xShape;
    const filter = candidate.filterShape.join('x');
    cases.push({ ...candidate, name: `random #${index} ${op} ${b}x${h}x${w}x${ch} filter ${filter}`, seed: seed + index });
  }
  return cases;
}
