import type { Activation, Padding } from '@sepconv/tensor';
import type { ConformanceCase } from './conformance-case.js';

/**
 * The fixed conformance cases: the shapes that break kernels. Channels below, at, above and
 * at multiples of common SIMD widths and tiles (1, 3, 4, 5, 8, 17, 32, 64); kernels 1, 3, 5,
 * 7 and non-square; strides 1, 2, 3; dilation 1 and 2; 'same', 'valid' and asymmetric
 * explicit padding; channel multiplier 1 and 2; spatial 1×1, 7×9, 13×13; batch 1 and 3;
 * with and without bias; ReLU/ReLU6 on inputs wide enough that they clip; hard-swish and
 * hard-sigmoid epilogues on every kernel path that fuses them.
 */

const CHANNELS = [1, 3, 4, 5, 8, 17, 32, 64] as const;
const ACTIVATION_CYCLE: readonly Activation[] = ['linear', 'relu', 'relu6'];
const ASYMMETRIC: Padding = { top: 1, bottom: 0, left: 2, right: 1 };
const ASYMMETRIC_WIDE: Padding = { top: 0, bottom: 2, left: 1, right: 0 };

function paddingLabel(padding: Padding | undefined): string {
  if (padding === undefined || typeof padding === 'string') return padding ?? 'valid';
  return `pad${padding.top}${padding.bottom}${padding.left}${padding.right}`;
}

function pairLabel(prefix: string, value: number | [number, number] | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? ` ${prefix}${value}` : ` ${prefix}${value[0]}x${value[1]}`;
}

export function describeCase(c: Omit<ConformanceCase, 'name' | 'seed'>): string {
  const [b, h, w, ch] = c.xShape;
  const kernel = c.op === 'pointwiseConv2d' ? '1x1' : `${c.filterShape[0]}x${c.filterShape[1]}`;
  const outChannels =
    c.op === 'depthwiseConv2d'
      ? `m${c.filterShape[3]}`
      : c.op === 'separableConv2d'
        ? `m${c.filterShape[3]}->${c.pointwiseFilterShape![1]}`
        : `->${c.filterShape[c.filterShape.length - 1]}`;
  const epilogue = [
    c.depthwiseBias ? 'dwbias' : '',
    c.depthwiseActivation && c.depthwiseActivation !== 'linear' ? `dw${c.depthwiseActivation}` : '',
    c.bias ? 'bias' : '',
    c.residual ? 'residual' : '',
    c.activation && c.activation !== 'linear' ? c.activation : '',
  ]
    .filter(Boolean)
    .join('+');
  return (
    `${c.op} ${kernel} ${b}x${h}x${w}x${ch} ${outChannels}` +
    pairLabel('s', c.strides) +
    pairLabel('d', c.dilations) +
    ` ${paddingLabel(c.padding)}` +
    (epilogue ? ` ${epilogue}` : '') +
    (c.scale && c.scale !== 1 ? ` scale${c.scale}` : '')
  );
}

function buildCases(): ConformanceCase[] {
  const cases: Omit<ConformanceCase, 'name' | 'seed'>[] = [];

  // Depthwise: every channel count through the 3×3 fast paths (stride 1 and 2, 'same').
  CHANNELS.forEach((c, i) => {
    for (const strides of [1, 2] as const) {
      cases.push({
        op: 'depthwiseConv2d',
        xShape: [1, 7, 9, c],
        filterShape: [3, 3, c, 1],
        strides,
        padding: 'same',
        bias: i % 2 === 0,
        activation: ACTIVATION_CYCLE[(i + strides) % 3],
        scale: 8,
      });
    }
  });
  // Depthwise: kernel sizes, square and not, 'valid' and 'same'.
  for (const [kh, kw] of [
    [1, 1],
    [3, 3],
    [5, 5],
    [7, 7],
    [3, 5],
    [5, 2],
    [1, 3],
  ] as const) {
    for (const padding of ['valid', 'same'] as const) {
      cases.push({ op: 'depthwiseConv2d', xShape: [1, 13, 13, 5], filterShape: [kh, kw, 5, 1], padding, bias: true });
    }
  }
  // Depthwise: strides 2 and 3 (also per axis), dilation 2 (also per axis).
  const perAxisStrides: (number | [number, number])[] = [2, 3, [2, 3], [3, 1]];
  for (const strides of perAxisStrides) {
    for (const padding of ['valid', 'same'] as const) {
      cases.push({ op: 'depthwiseConv2d', xShape: [1, 13, 13, 8], filterShape: [3, 3, 8, 1], strides, padding });
    }
  }
  const perAxisDilations: (number | [number, number])[] = [2, [1, 2], [2, 1]];
  for (const dilations of perAxisDilations) {
    for (const padding of ['valid', 'same'] as const) {
      cases.push({ op: 'depthwiseConv2d', xShape: [1, 13, 13, 4], filterShape: [3, 3, 4, 1], dilations, padding, bias: true });
    }
  }
  cases.push({ op: 'depthwiseConv2d', xShape: [1, 13, 13, 17], filterShape: [3, 3, 17, 1], strides: 2, dilations: 2, padding: 'same' });
  cases.push({ op: 'depthwiseConv2d', xShape: [1, 13, 13, 32], filterShape: [5, 5, 32, 1], dilations: 2, padding: 'valid', activation: 'relu' });
  // Depthwise: asymmetric explicit padding.
  cases.push({ op: 'depthwiseConv2d', xShape: [1, 7, 9, 3], filterShape: [3, 3, 3, 1], padding: ASYMMETRIC });
  cases.push({ op: 'depthwiseConv2d', xShape: [1, 13, 13, 8], filterShape: [5, 5, 8, 1], padding: ASYMMETRIC_WIDE, strides: 2 });
  cases.push({ op: 'depthwiseConv2d', xShape: [1, 7, 9, 64], filterShape: [3, 3, 64, 1], padding: ASYMMETRIC, strides: 2, bias: true });
  // Depthwise: channel multiplier 2 (and 3).
  for (const c of [1, 3, 4, 8, 17]) {
    cases.push({ op: 'depthwiseConv2d', xShape: [1, 7, 9, c], filterShape: [3, 3, c, 2], padding: 'same', bias: c % 2 === 1 });
  }
  cases.push({
    op: 'depthwiseConv2d',
    xShape: [1, 13, 13, 4],
    filterShape: [3, 3, 4, 2],
    strides: 2,
    padding: 'valid',
    activation: 'relu6',
    scale: 8,
  });
  cases.push({ op: 'depthwiseConv2d', xShape: [1, 7, 9, 5], filterShape: [5, 5, 5, 3], padding: 'same' });
  // Depthwise: 1×1 spatial, batch 3, MobileNet-like channel counts.
  cases.push({
    op: 'depthwiseConv2d',
    xShape: [1, 1, 1, 32],
    filterShape: [3, 3, 32, 1],
    padding: 'same',
    bias: true,
    activation: 'relu6',
    scale: 8,
  });
  cases.push({ op: 'depthwiseConv2d', xShape: [1, 1, 1, 5], filterShape: [1, 1, 5, 2], padding: 'valid' });
  cases.push({ op: 'depthwiseConv2d', xShape: [3, 7, 9, 17], filterShape: [3, 3, 17, 1], padding: 'same', bias: true, activation: 'relu' });
  cases.push({
    op: 'depthwiseConv2d',
    xShape: [3, 13, 13, 64],
    filterShape: [3, 3, 64, 1],
    strides: 2,
    padding: 'same',
    bias: true,
    activation: 'relu6',
    scale: 8,
  });
  cases.push({
    op: 'depthwiseConv2d',
    xShape: [1, 16, 16, 32],
    filterShape: [3, 3, 32, 1],
    padding: 'same',
    bias: true,
    activation: 'relu6',
    scale: 8,
  });

  // Pointwise: channel pairs below/at/above SIMD widths and tiles.
  const pointwisePairs = [
    [1, 1],
    [3, 5],
    [4, 8],
    [5, 17],
    [8, 4],
    [17, 32],
    [32, 64],
    [64, 17],
    [64, 64],
    [8, 1],
  ] as const;
  pointwisePairs.forEach(([cin, cout], i) => {
    cases.push({
      op: 'pointwiseConv2d',
      xShape: [1, 7, 9, cin],
      filterShape: [cin, cout],
      bias: i % 2 === 1,
      activation: ACTIVATION_CYCLE[i % 3],
      scale: 8,
    });
  });
  cases.push({ op: 'pointwiseConv2d', xShape: [1, 13, 13, 32], filterShape: [32, 32], bias: true, activation: 'relu6', scale: 8 });
  cases.push({ op: 'pointwiseConv2d', xShape: [1, 1, 1, 64], filterShape: [64, 17], bias: true });
  cases.push({ op: 'pointwiseConv2d', xShape: [3, 7, 9, 17], filterShape: [17, 8], bias: true, activation: 'relu' });
  cases.push({ op: 'pointwiseConv2d', xShape: [3, 5, 5, 4], filterShape: [1, 1, 4, 8] });
  cases.push({ op: 'pointwiseConv2d', xShape: [1, 13, 13, 8], filterShape: [8, 16], strides: 2 });
  cases.push({ op: 'pointwiseConv2d', xShape: [1, 7, 9, 5], filterShape: [5, 3], padding: ASYMMETRIC });
  // More output channels than pixels (a GEMM may split threads over channels, as for 7×7×1024),
  // pixel counts one or two past a multiple of 4 (a 1- or 2-row remainder tile), input channels
  // not a multiple of 4, ragged output panels; the last one spans two L2 blocks of weights.
  cases.push({ op: 'pointwiseConv2d', xShape: [1, 5, 5, 17], filterShape: [17, 45], bias: true, activation: 'relu6', scale: 8 });
  cases.push({ op: 'pointwiseConv2d', xShape: [2, 3, 3, 6], filterShape: [6, 30], bias: true, activation: 'relu' });
  cases.push({ op: 'pointwiseConv2d', xShape: [1, 3, 3, 512], filterShape: [512, 164], bias: true, scale: 16 });

  // Standard convolution.
  const convPairs = [
    [1, 1],
    [3, 8],
    [4, 4],
    [5, 17],
    [8, 32],
    [17, 5],
    [32, 64],
    [64, 8],
  ] as const;
  convPairs.forEach(([cin, cout], i) => {
    cases.push({
      op: 'conv2d',
      xShape: [1, 7, 9, cin],
      filterShape: [3, 3, cin, cout],
      strides: i % 3 === 2 ? 2 : 1,
      padding: 'same',
      bias: i % 2 === 0,
      activation: ACTIVATION_CYCLE[i % 3],
      scale: 8,
    });
  });
  for (const [kh, kw] of [
    [1, 1],
    [5, 5],
    [7, 7],
    [3, 5],
    [2, 3],
  ] as const) {
    cases.push({ op: 'conv2d', xShape: [1, 13, 13, 3], filterShape: [kh, kw, 3, 5], padding: 'valid', bias: true });
  }
  cases.push({ op: 'conv2d', xShape: [1, 13, 13, 4], filterShape: [3, 3, 4, 8], strides: 3, padding: 'same' });
  cases.push({ op: 'conv2d', xShape: [1, 13, 13, 4], filterShape: [3, 3, 4, 8], strides: [1, 2], padding: 'valid' });
  cases.push({ op: 'conv2d', xShape: [1, 13, 13, 5], filterShape: [3, 3, 5, 4], dilations: 2, padding: 'same' });
  cases.push({ op: 'conv2d', xShape: [1, 13, 13, 5], filterShape: [3, 3, 5, 4], dilations: [2, 1], padding: 'valid', activation: 'relu' });
  cases.push({ op: 'conv2d', xShape: [1, 7, 9, 3], filterShape: [3, 3, 3, 8], padding: ASYMMETRIC, bias: true });
  cases.push({ op: 'conv2d', xShape: [1, 13, 13, 3], filterShape: [5, 5, 3, 4], padding: ASYMMETRIC_WIDE, strides: 2 });
  cases.push({ op: 'conv2d', xShape: [1, 1, 1, 8], filterShape: [3, 3, 8, 16], padding: 'same', bias: true, activation: 'relu6', scale: 8 });
  // Few input channels (the stem's class, a direct kernel on the CPU): output channels below
  // and above a 4-wide vector and an 8-wide tile, rows of many tiles with a ragged tail, a
  // width-dilated kernel, 1×1 spatial, and more output channels than one block of weight panels.
  cases.push({
    op: 'conv2d',
    xShape: [1, 5, 37, 3],
    filterShape: [3, 3, 3, 3],
    strides: 2,
    padding: 'same',
    bias: true,
    activation: 'relu6',
    scale: 8,
  });
  cases.push({ op: 'conv2d', xShape: [2, 6, 11, 3], filterShape: [3, 2, 3, 9], strides: [3, 2], padding: ASYMMETRIC, bias: true });
  cases.push({ op: 'conv2d', xShape: [1, 9, 14, 2], filterShape: [3, 3, 2, 12], dilations: [1, 3], strides: [1, 2], padding: 'same' });
  cases.push({ op: 'conv2d', xShape: [1, 1, 1, 3], filterShape: [3, 3, 3, 5], padding: 'same', bias: true });
  cases.push({ op: 'conv2d', xShape: [1, 3, 5, 32], filterShape: [3, 3, 32, 236], padding: 'same', bias: true, activation: 'relu', scale: 8 });
  cases.push({
    op: 'conv2d',
    xShape: [3, 7, 9, 3],
    filterShape: [3, 3, 3, 32],
    strides: 2,
    padding: 'same',
    bias: true,
    activation: 'relu6',
    scale: 8,
  });

  // Separable: the MobileNet block and its variations.
  for (const [c, cout] of [
    [3, 8],
    [8, 16],
    [17, 5],
    [32, 64],
    [64, 32],
  ] as const) {
    cases.push({
      op: 'separableConv2d',
      xShape: [1, 7, 9, c],
      filterShape: [3, 3, c, 1],
      pointwiseFilterShape: [c, cout],
      padding: 'same',
      depthwiseBias: true,
      depthwiseActivation: 'relu6',
      bias: true,
      activation: 'relu6',
      scale: 8,
    });
  }
  cases.push({
    op: 'separableConv2d',
    xShape: [1, 13, 13, 8],
    filterShape: [3, 3, 8, 1],
    pointwiseFilterShape: [8, 16],
    strides: 2,
    padding: 'same',
    depthwiseBias: true,
    depthwiseActivation: 'relu',
    bias: true,
    activation: 'relu',
  });
  cases.push({ op: 'separableConv2d', xShape: [1, 13, 13, 5], filterShape: [3, 3, 5, 1], pointwiseFilterShape: [5, 4], padding: 'valid' });
  cases.push({
    op: 'separableConv2d',
    xShape: [1, 13, 13, 4],
    filterShape: [3, 3, 4, 2],
    pointwiseFilterShape: [8, 8],
    dilations: 2,
    padding: 'same',
    bias: true,
  });
  cases.push({
    op: 'separableConv2d',
    xShape: [1, 13, 13, 3],
    filterShape: [5, 5, 3, 1],
    pointwiseFilterShape: [3, 17],
    strides: 3,
    padding: ASYMMETRIC,
  });
  // Few row groups (14 wide: 2-row groups, 7 of them): threads also split output channels, 5 panels.
  cases.push({
    op: 'separableConv2d',
    xShape: [1, 14, 14, 16],
    filterShape: [3, 3, 16, 1],
    pointwiseFilterShape: [16, 40],
    padding: 'same',
    bias: true,
    activation: 'relu6',
  });
  cases.push({
    op: 'separableConv2d',
    xShape: [3, 7, 9, 17],
    filterShape: [3, 3, 17, 1],
    pointwiseFilterShape: [17, 32],
    padding: 'same',
    depthwiseBias: true,
    bias: true,
    activation: 'relu6',
    scale: 8,
  });
  cases.push({
    op: 'separableConv2d',
    xShape: [1, 1, 1, 32],
    filterShape: [3, 3, 32, 1],
    pointwiseFilterShape: [32, 8],
    padding: 'same',
    depthwiseActivation: 'relu6',
    scale: 8,
  });
  cases.push({
    op: 'separableConv2d',
    xShape: [1, 16, 16, 32],
    filterShape: [3, 3, 32, 1],
    pointwiseFilterShape: [32, 64],
    padding: 'same',
    depthwiseBias: true,
    depthwiseActivation: 'relu6',
    bias: true,
    activation: 'relu6',
    scale: 8,
  });
  cases.push({
    op: 'separableConv2d',
    xShape: [1, 12, 12, 16],
    filterShape: [3, 3, 16, 1],
    pointwiseFilterShape: [16, 24],
    strides: 2,
    padding: 'same',
    depthwiseBias: true,
    depthwiseActivation: 'relu6',
    bias: true,
  });

  // MobileNetV3's epilogues (hard-swish, hard-sigmoid), appended so the cases above keep their
  // seeds: every kernel path that applies an epilogue (depthwise 3×3 stride 1 and 2 and generic,
  // the GEMM direct and indirect, the fused separable kernel's two steps), channel counts
  // below, at and above the 4-wide vector and the 8-wide GEMM panel. Scale 4: sums reach past
  // both knees (−3 and 3).
  const EPILOGUE_CYCLE: readonly Activation[] = ['hardSwish', 'hardSigmoid'];
  [3, 4, 5, 8, 17].forEach((c, i) => {
    for (const strides of [1, 2] as const) {
      const activation = EPILOGUE_CYCLE[(i + strides) % 2];
      cases.push({
        op: 'depthwiseConv2d',
        xShape: [1, 7, 9, c],
        filterShape: [3, 3, c, 1],
        strides,
        padding: 'same',
        bias: true,
        activation,
        scale: 4,
      });
    }
  });
  cases.push({
    op: 'depthwiseConv2d',
    xShape: [1, 13, 13, 5],
    filterShape: [5, 5, 5, 1],
    padding: 'same',
    bias: true,
    activation: 'hardSwish',
    scale: 4,
  });
  cases.push({
    op: 'depthwiseConv2d',
    xShape: [2, 7, 9, 3],
    filterShape: [3, 3, 3, 2],
    strides: 2,
    padding: 'valid',
    activation: 'hardSigmoid',
    scale: 4,
  });
  (
    [
      [3, 5],
      [4, 8],
      [5, 17],
      [8, 4],
      [17, 32],
      [32, 7],
    ] as const
  ).forEach(([cin, cout], i) => {
    cases.push({
      op: 'pointwiseConv2d',
      xShape: [1, 7, 9, cin],
      filterShape: [cin, cout],
      bias: i % 2 === 0,
      activation: EPILOGUE_CYCLE[i % 2],
      scale: 4,
    });
  });
  cases.push({ op: 'pointwiseConv2d', xShape: [1, 13, 13, 16], filterShape: [16, 24], strides: 2, activation: 'hardSwish', scale: 4 });
  cases.push({
    op: 'conv2d',
    xShape: [1, 13, 13, 3],
    filterShape: [3, 3, 3, 16],
    strides: 2,
    padding: 'same',
    bias: true,
    activation: 'hardSwish',
    scale: 4,
  });
  cases.push({ op: 'conv2d', xShape: [1, 7, 9, 5], filterShape: [3, 3, 5, 17], padding: 'same', activation: 'hardSigmoid', scale: 4 });
  cases.push({ op: 'conv2d', xShape: [2, 5, 5, 4], filterShape: [1, 1, 4, 9], activation: 'hardSwish', scale: 4 });
  for (const [c, cout, depthwiseActivation, activation] of [
    [3, 8, 'hardSwish', 'linear'],
    [8, 5, 'relu', 'hardSwish'],
    [17, 16, 'hardSwish', 'hardSigmoid'],
    [4, 17, 'hardSigmoid', 'relu6'],
  ] as const) {
    cases.push({
      op: 'separableConv2d',
      xShape: [1, 7, 9, c],
      filterShape: [3, 3, c, 1],
      pointwiseFilterShape: [c, cout],
      padding: 'same',
      depthwiseBias: true,
      depthwiseActivation,
      bias: true,
      activation,
      scale: 4,
    });
  }

  // Depthwise: the 5×5 row kernels (MobileNetV3's 5×5 layers, stride 1 and 2, 'same'): channels
  // below, at and above the 4-lane block, widths with 4-pixel interior runs and remainders, the
  // hard-swish epilogue; batch 3; a 1×1 input where every tap but the centre is padding.
  // Last in the list: a case's seed is its index, so cases added here leave every earlier seed.
  [1, 3, 4, 5, 8, 17].forEach((c, i) => {
    for (const strides of [1, 2] as const) {
      const activation = i % 2 === 0 ? 'hardSwish' : ACTIVATION_CYCLE[(i + strides) % 3];
      cases.push({
        op: 'depthwiseConv2d',
        xShape: [1, 11, 13, c],
        filterShape: [5, 5, c, 1],
        strides,
        padding: 'same',
        bias: i % 2 === 1,
        activation,
      });
    }
  });
  cases.push({
    op: 'depthwiseConv2d',
    xShape: [3, 9, 11, 17],
    filterShape: [5, 5, 17, 1],
    strides: 2,
    padding: 'same',
    bias: true,
    activation: 'relu',
  });
  cases.push({ op: 'depthwiseConv2d', xShape: [2, 1, 1, 24], filterShape: [5, 5, 24, 1], padding: 'same', bias: true });

  // Pointwise, the narrow-K class (MobileNetV2/V3 expansions: few input channels, many output
  // channels, which the CPU backend runs on its own kernel from 40 output channels and up to 48
  // input channels): input channels below, at and just past 48, fewer than 4 and not a multiple
  // of 4; output channels not a multiple of 8 or of 4; pixel counts 1–3 past a multiple of 4
  // (remainder tiles); batch > 1; a 1×1 image and a 4×4 one, which have fewer pixels than
  // output channels (a GEMM may split threads over channels there); every epilogue.
  (
    [
      [[1, 7, 9, 16], 64, 'hardSwish', true],
      [[2, 5, 7, 48], 40, 'relu6', true],
      [[1, 6, 6, 49], 72, 'relu', true],
      [[1, 1, 1, 24], 67, 'hardSigmoid', true],
      [[3, 3, 5, 33], 100, 'linear', false],
      [[1, 4, 4, 40], 240, 'hardSwish', true],
      [[1, 9, 9, 3], 44, 'relu6', false],
    ] as const
  ).forEach(([xShape, cout, activation, bias]) => {
    cases.push({ op: 'pointwiseConv2d', xShape, filterShape: [xShape[3], cout], bias, activation, scale: 4 });
  });

  const seen = new Map<string, number>();
  return cases.map((c, i) => {
    const base = describeCase(c);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return { ...c, name: count === 0 ? base : `${base} #${count + 1}`, seed: 1000 + i };
  });
}

/** The fixed cases, in a stable order with stable names and seeds. */
export const conformanceCases: readonly ConformanceCase[] = Object.freeze(buildCases());
