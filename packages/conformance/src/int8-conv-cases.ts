import {
  convGeometry,
  HostQuantizedTensor,
  QuantizedConvWeights,
  Random,
  type Conv2dGeometry,
  type ConvActivation,
  type ConvKind,
  type SeparableConv2dGeometry,
  type Padding,
  type QuantParams,
  type QuantizedConvWeightsSpec,
} from '@sepconv/tensor';
import { conformanceCases } from './conformance-cases.js';

/**
 * One int8 convolution case as plain data: the float suite's shape classes plus what int8
 * adds — the zero points of input and output, the size of the requantization multipliers
 * (`multiplierScale` · the multiplier that maps a typical accumulator onto the int8 range:
 * large values saturate, tiny ones round everything to the zero point) or explicit
 * per-channel multipliers, and the activation clamp.
 */
export interface Int8ConvCase {
  readonly name: string;
  readonly op: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d' | 'separableConv2d';
  readonly xShape: readonly [number, number, number, number];
  /** conv2d `[KH, KW, Cin, Cout]`, depthwise `[KH, KW, C, M]`, pointwise `[Cin, Cout]`; for separable the depthwise filter. */
  readonly filterShape: readonly number[];
  /** Separable only: `[C·M, Cout]`. */
  readonly pointwiseFilterShape?: readonly number[] | undefined;
  readonly strides?: number | [number, number] | undefined;
  readonly dilations?: number | [number, number] | undefined;
  readonly padding?: Padding | undefined;
  readonly bias: boolean;
  readonly activation: ConvActivation;
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  /** Multiplies every channel's requantization multiplier; default 1 (outputs spread over the int8 range). */
  readonly multiplierScale?: number | undefined;
  /** Explicit real multipliers, one per output channel (cycled), instead of the typical ones. */
  readonly multipliers?: readonly number[] | undefined;
  readonly seed: number;
}

/** The zero points int8 kernels get wrong: both ends of the range, 0, and an arbitrary one. */
export const ZERO_POINTS = [-128, 0, 127, 37, -5] as const;
const CLAMPS: readonly ConvActivation[] = ['linear', 'relu', 'relu6'];

/**
 * Real multipliers at the ends of what `quantizeMultiplier` represents: 0 (below 2^-32), the
 * smallest shifts (−31), values just below, at and above 0.5 and 1 (shift 0 → 1), and large ones
 * whose left shift wraps the accumulator in int32 (as TensorFlow Lite's C++ does).
 */
export const EXTREME_MULTIPLIERS = [
  2 ** -33,
  2 ** -31,
  3 * 2 ** -31,
  1e-6,
  0.25,
  0.4999999,
  0.5,
  0.9999999,
  1,
  1.0000001,
  2,
  127.5,
  4096,
  2 ** 20,
] as const;

function kindOf(op: Int8ConvCase['op']): ConvKind {
  return op === 'separableConv2d' ? 'depthwiseConv2d' : op;
}

function int8Name(c: Omit<Int8ConvCase, 'name'>, base: string): string {
  const clamp = c.activation === 'linear' ? '' : ` ${c.activation}`;
  const scale = c.multiplierScale && c.multiplierScale !== 1 ? ` M×${c.multiplierScale}` : '';
  const explicit = c.multipliers ? ' extreme multipliers' : '';
  return `int8 ${base} zp${c.inputZeroPoint}->${c.outputZeroPoint}${clamp}${scale}${explicit}`;
}

/** The float suite's case names without their float-only suffixes (activation, scale), which int8 states itself. */
function floatShapeLabel(name: string): string {
  return name.replace(/ (scale\d+|relu6|relu)\b/g, '').replace(/\+relu6?/g, '');
}

/** Channel counts around int8 SIMD widths (16 lanes of i8x16, 4 of i32x4) that the float suite's list lacks. */
const INT8_CHANNELS = [7, 15, 16, 24, 31, 33] as const;

function buildCases(): Int8ConvCase[] {
  const cases: Omit<Int8ConvCase, 'name'>[] = [];
  conformanceCases.forEach((f, i) => {
    cases.push({
      op: f.op,
      xShape: f.xShape,
      filterShape: f.filterShape,
      pointwiseFilterShape: f.pointwiseFilterShape,
      strides: f.strides,
      dilations: f.dilations,
      padding: f.padding,
      bias: f.bias ?? f.depthwiseBias ?? false,
      activation: CLAMPS[i % 3]!,
      inputZeroPoint: ZERO_POINTS[i % ZERO_POINTS.length]!,
      outputZeroPoint: ZERO_POINTS[(i * 3 + 1) % ZERO_POINTS.length]!,
      // Every seventh case saturates (most outputs at -128 / 127), every eleventh rounds almost all to the zero point.
      multiplierScale: i % 7 === 3 ? 16 : i % 11 === 5 ? 1 / 512 : 1,
      seed: 20000 + i * 10,
    });
  });
  INT8_CHANNELS.forEach((c, i) => {
    for (const strides of [1, 2] as const) {
      cases.push({
        op: 'depthwiseConv2d',
        xShape: [1, 7, 9, c],
        filterShape: [3, 3, c, 1],
        strides,
        padding: 'same',
        bias: true,
        activation: CLAMPS[(i + strides) % 3]!,
        inputZeroPoint: ZERO_POINTS[(i + strides) % ZERO_POINTS.length]!,
        outputZeroPoint: ZERO_POINTS[i % ZERO_POINTS.length]!,
        seed: 21000 + i * 10 + strides,
      });
    }
    const cout = INT8_CHANNELS[(i + 2) % INT8_CHANNELS.length]!;
    cases.push({
      op: 'pointwiseConv2d',
      xShape: [2, 5, 3, c],
      filterShape: [c, cout],
      bias: i % 2 === 0,
      activation: CLAMPS[i % 3]!,
      inputZeroPoint: ZERO_POINTS[(i + 2) % ZERO_POINTS.length]!,
      outputZeroPoint: ZERO_POINTS[(i + 4) % ZERO_POINTS.length]!,
      seed: 21500 + i * 10,
    });
    cases.push({
      op: 'conv2d',
      xShape: [1, 6, 5, c],
      filterShape: [3, 3, c, 16],
      strides: 2,
      padding: 'same',
      bias: true,
      activation: CLAMPS[(i + 1) % 3]!,
      inputZeroPoint: ZERO_POINTS[(i + 3) % ZERO_POINTS.length]!,
      outputZeroPoint: ZERO_POINTS[(i + 1) % ZERO_POINTS.length]!,
      seed: 21700 + i * 10,
    });
  });
  // Shifts at both ends and multipliers around 0.5 and 1, one per output channel.
  const extremes: Omit<Int8ConvCase, 'name' | 'seed' | 'inputZeroPoint' | 'outputZeroPoint' | 'activation' | 'bias'>[] = [
    { op: 'depthwiseConv2d', xShape: [1, 5, 5, EXTREME_MULTIPLIERS.length], filterShape: [3, 3, EXTREME_MULTIPLIERS.length, 1], padding: 'same' },
    { op: 'pointwiseConv2d', xShape: [1, 3, 3, 16], filterShape: [16, EXTREME_MULTIPLIERS.length] },
    { op: 'conv2d', xShape: [2, 4, 4, 3], filterShape: [3, 3, 3, EXTREME_MULTIPLIERS.length], padding: 'valid' },
  ];
  extremes.forEach((c, i) => {
    for (const [z, zeroPoint] of [-128, 0, 127].entries()) {
      cases.push({
        ...c,
        bias: true,
        activation: CLAMPS[z]!,
        inputZeroPoint: zeroPoint,
        outputZeroPoint: -zeroPoint === 128 ? 127 : -zeroPoint,
        multipliers: EXTREME_MULTIPLIERS,
        seed: 22000 + i * 10 + z,
      });
    }
  });
  const seen = new Map<string, number>();
  return cases.map((c, i) => {
    const float = conformanceCases[i];
    const base = float ? floatShapeLabel(float.name) : shapeLabel(c);
    const name = int8Name(c, base);
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return { ...c, name: count === 0 ? name : `${name} #${count + 1}` };
  });
}

function shapeLabel(c: Omit<Int8ConvCase, 'name'>): string {
  const strides = c.strides === undefined ? '' : ` s${JSON.stringify(c.strides)}`;
  const padding = typeof c.padding === 'object' ? ' explicit' : c.padding ? ` ${c.padding}` : '';
  return `${c.op} [${c.filterShape.join('x')}] ${c.xShape.join('x')}${strides}${padding}${c.bias ? ' bias' : ''}`;
}

/** The fixed int8 convolution cases. */
export const int8ConvCases: readonly Int8ConvCase[] = buildCases();

/** The host inputs of an int8 case, filled deterministically from its seed. */
export interface Int8ConvInputs {
  readonly x: HostQuantizedTensor;
  readonly weights: QuantizedConvWeights;
  /** Separable only. */
  readonly pointwiseWeights?: QuantizedConvWeights | undefined;
}

const INPUT_SCALE = 0.02;
const OUTPUT_SCALE = 0.05;

function int8Array(random: Random, length: number, low: number, high: number): Int8Array {
  return Int8Array.from({ length }, () => random.int(low, high));
}

/**
 * Weights for one step: int8 filter in [-127, 127], int32 bias of about an accumulator's size,
 * weight scales making the real multiplier `input.scale · weightScale / output.scale` the typical
 * one (`≈ 1 / (√taps · 85)`, spreading outputs over the range) times `multiplierScale`, varied
 * ×[0.5, 2] per channel, or the case's explicit multipliers.
 */
function stepWeights(
  c: Int8ConvCase,
  random: Random,
  kind: ConvKind,
  filterShape: readonly number[],
  input: QuantParams,
  output: QuantParams,
  activation: ConvActivation,
): QuantizedConvWeights {
  const size = filterShape.reduce((a, b) => a * b, 1);
  const outChannels = kind === 'depthwiseConv2d' ? filterShape[2]! * filterShape[3]! : filterShape.at(-1)!;
  const taps = size / outChannels;
  const typical = (c.multiplierScale ?? 1) / (Math.sqrt(taps) * 85);
  const multiplierOf = (o: number): number => (c.multipliers ? c.multipliers[o % c.multipliers.length]! : typical * 2 ** random.uniform(-1, 1));
  const spec: QuantizedConvWeightsSpec = {
    kind,
    filter: int8Array(random, size, -127, 127),
    filterShape,
    bias: c.bias ? Int32Array.from({ length: outChannels }, () => random.int(-20000 * Math.sqrt(taps), 20000 * Math.sqrt(taps))) : undefined,
    weightScales: Float32Array.from({ length: outChannels }, (_, o) => (multiplierOf(o) * output.scale) / input.scale),
    input,
    output,
    activation,
  };
  return new QuantizedConvWeights(spec);
}

/** Builds a case's inputs: x uniform over all of int8, weights as {@link stepWeights}. */
export function int8ConvInputs(c: Int8ConvCase): Int8ConvInputs {
  const random = new Random(c.seed);
  const input = { scale: INPUT_SCALE, zeroPoint: c.inputZeroPoint };
  const output = { scale: OUTPUT_SCALE, zeroPoint: c.outputZeroPoint };
  const size = c.xShape.reduce((a, b) => a * b, 1);
  const x = new HostQuantizedTensor(int8Array(random, size, -128, 127), c.xShape, input);
  if (c.op !== 'separableConv2d') return { x, weights: stepWeights(c, random, kindOf(c.op), c.filterShape, input, output, c.activation) };
  // The separable intermediate gets its own parameters, with the depthwise step clamped as MobileNet's (relu6).
  const middle = { scale: 0.03, zeroPoint: ZERO_POINTS[Math.floor(c.seed / 10) % ZERO_POINTS.length]! };
  const weights = stepWeights(c, random, 'depthwiseConv2d', c.filterShape, input, middle, 'relu6');
  const pointwiseWeights = stepWeights(c, random, 'pointwiseConv2d', c.pointwiseFilterShape!, middle, output, c.activation);
  return { x, weights, pointwiseWeights };
}

/** The geometry the backend's kernel sees for an int8 case (what a variant's `supports()` is asked about). */
export function int8CaseGeometry(c: Int8ConvCase, inputs: Int8ConvInputs): Conv2dGeometry | SeparableConv2dGeometry {
  const step = (weights: QuantizedConvWeights, inputShape: readonly number[], window: boolean): Conv2dGeometry =>
    convGeometry({
      kind: weights.kind,
      inputShape,
      kernelHeight: weights.kernelHeight,
      kernelWidth: weights.kernelWidth,
      outChannels: weights.outChannels,
      channelMultiplier: weights.channelMultiplier,
      strides: window ? c.strides : undefined,
      dilations: window ? c.dilations : undefined,
      padding: window ? c.padding : undefined,
      hasBias: weights.bias !== undefined,
      activation: weights.activation,
    });
  const first = step(inputs.weights, c.xShape, true);
  if (c.op !== 'separableConv2d') return first;
  return { depthwise: first, pointwise: step(inputs.pointwiseWeights!, [first.batch, first.outHeight, first.outWidth, first.outChannels], false) };
}
