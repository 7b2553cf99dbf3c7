// The int8 WebAssembly kernels run directly (no backend) against @sepconv/tensor's reference
// int8 kernels: the outputs must be identical, element for element, on every ISA this runtime
// runs, on 1 and 2 threads, across the shape classes of the float suite, zero points at the
// extremes, saturating accumulators and requantization shifts at both ends of their range.
import {
  convGeometry,
  INT8_WEIGHT_MAX,
  Random,
  type Conv2dGeometry,
  type ConvActivation,
  type ConvKind,
  type ConvRequantization,
  type Padding,
} from '@sepconv/tensor';
import { referenceQuantizedConv2d, referenceQuantizedDepthwiseConv2d } from '@sepconv/tensor/reference';
import { afterAll, describe, expect, it } from 'vitest';
import { launchInt8Conv } from '../src/kernels/launch-int8-conv.js';
import { isaSupport, type Isa } from '../src/isa.js';
import { packedInt8DepthwiseBytes, packInt8Depthwise } from '../src/pack/pack-int8-depthwise.js';
import { packedInt8GemmBytes, packInt8Gemm } from '../src/pack/pack-int8-gemm.js';
import { WasmKernel } from '../src/wasm/job-layout.js';
import { WasmRuntime } from '../src/wasm/wasm-runtime.js';
import { randomInt8s, type Int8Values } from './support/int8-test-data.js';

interface Case {
  name: string;
  kind: ConvKind;
  inputShape: [number, number, number, number];
  kernel?: [number, number];
  outChannels?: number;
  channelMultiplier?: number;
  strides?: number | [number, number];
  dilations?: number | [number, number];
  padding?: Padding;
  activation?: ConvActivation;
  /** Input zero point; random when absent. */
  inputZeroPoint?: number;
  outputZeroPoint?: number;
  /** How multipliers and shifts are drawn (see `requantization`). */
  scale?: 'typical' | 'tiny' | 'huge' | 'mixed' | 'float64';
  /** Input values: uniform int8, or only the extremes (−128 and 127) to push accumulators far. */
  values?: Int8Values;
  bias?: boolean;
}

const cases: Case[] = [
  // Channels below, at and above the GEMM's 8-wide panel and 8-deep step and the depthwise 16-lane block.
  ...[1, 3, 4, 7, 8, 9, 16, 17, 33].map((c): Case => ({
    name: `pointwise ${c} → ${c + 2} channels`,
    kind: 'pointwiseConv2d',
    inputShape: [1, 5, 3, c],
    outChannels: c + 2,
  })),
  ...[1, 3, 8, 15, 16, 17, 40].map((c): Case => ({
    name: `depthwise 3×3 same, ${c} channels`,
    kind: 'depthwiseConv2d',
    inputShape: [1, 7, 6, c],
    padding: 'same',
  })),
  { name: 'pointwise 1×1 spatial, batch 3', kind: 'pointwiseConv2d', inputShape: [3, 1, 1, 24], outChannels: 40 },
  { name: 'pointwise strided (indirect)', kind: 'pointwiseConv2d', inputShape: [2, 7, 7, 12], outChannels: 10, strides: 2 },
  { name: 'depthwise stride 2 valid, batch 2', kind: 'depthwiseConv2d', inputShape: [2, 9, 8, 24], strides: 2 },
  { name: 'depthwise stride 3, 5×5, same', kind: 'depthwiseConv2d', inputShape: [1, 11, 10, 20], kernel: [5, 5], strides: 3, padding: 'same' },
  {
    name: 'depthwise dilation 2, asymmetric padding',
    kind: 'depthwiseConv2d',
    inputShape: [1, 8, 9, 18],
    dilations: 2,
    padding: { top: 2, bottom: 0, left: 1, right: 3 },
  },
  {
    name: 'depthwise 2×3 kernel, strides [1, 2]',
    kind: 'depthwiseConv2d',
    inputShape: [1, 6, 9, 5],
    kernel: [2, 3],
    strides: [1, 2],
    padding: 'same',
  },
  { name: 'depthwise multiplier 3', kind: 'depthwiseConv2d', inputShape: [1, 5, 5, 6], channelMultiplier: 3, padding: 'same' },
  { name: 'depthwise 1×1 spatial, batch 2', kind: 'depthwiseConv2d', inputShape: [2, 1, 1, 19], padding: 'same' },
  { name: 'conv2d 3×3 stride 2 same (stem-like)', kind: 'conv2d', inputShape: [1, 9, 9, 3], outChannels: 16, strides: 2, padding: 'same' },
  { name: 'conv2d 3×3 valid, 17 → 9', kind: 'conv2d', inputShape: [2, 6, 5, 17], outChannels: 9 },
  {
    name: 'conv2d dilation 2, asymmetric padding',
    kind: 'conv2d',
    inputShape: [1, 7, 8, 5],
    outChannels: 11,
    dilations: 2,
    padding: { top: 0, bottom: 2, left: 3, right: 1 },
  },
  { name: 'conv2d 1×1 plain (direct GEMM)', kind: 'conv2d', inputShape: [1, 4, 4, 10], outChannels: 12, kernel: [1, 1] },
  { name: 'conv2d 1×3 stride 3', kind: 'conv2d', inputShape: [1, 5, 10, 4], outChannels: 5, kernel: [1, 3], strides: 3, padding: 'same' },
  // Zero points at the extremes, each activation clamp.
  {
    name: 'pointwise zero points −128 → 127, relu6',
    kind: 'pointwiseConv2d',
    inputShape: [1, 4, 5, 20],
    outChannels: 12,
    inputZeroPoint: -128,
    outputZeroPoint: 127,
    activation: 'relu6',
  },
  {
    name: 'pointwise zero points 127 → −128, relu',
    kind: 'pointwiseConv2d',
    inputShape: [1, 4, 5, 20],
    outChannels: 12,
    inputZeroPoint: 127,
    outputZeroPoint: -128,
    activation: 'relu',
  },
  {
    name: 'depthwise zero points −128 → −128, relu6, same',
    kind: 'depthwiseConv2d',
    inputShape: [1, 6, 6, 20],
    padding: 'same',
    inputZeroPoint: -128,
    outputZeroPoint: -128,
    activation: 'relu6',
  },
  {
    name: 'depthwise zero points 127 → 0, relu, same',
    kind: 'depthwiseConv2d',
    inputShape: [1, 6, 6, 20],
    padding: 'same',
    inputZeroPoint: 127,
    outputZeroPoint: 0,
    activation: 'relu',
  },
  { name: 'conv2d zero point 127, same padding', kind: 'conv2d', inputShape: [1, 5, 5, 6], outChannels: 9, padding: 'same', inputZeroPoint: 127 },
  // Requantization at both ends: multipliers near 0 (right shifts up to 31) and near 1 (left shifts up to 30).
  { name: 'pointwise tiny multipliers (right shifts to 31)', kind: 'pointwiseConv2d', inputShape: [1, 3, 4, 64], outChannels: 24, scale: 'tiny' },
  {
    name: 'pointwise huge multipliers (left shifts to 30), saturating',
    kind: 'pointwiseConv2d',
    inputShape: [1, 3, 4, 16],
    outChannels: 24,
    scale: 'huge',
  },
  { name: 'depthwise mixed shifts', kind: 'depthwiseConv2d', inputShape: [1, 5, 5, 48], padding: 'same', scale: 'mixed' },
  { name: 'conv2d mixed shifts', kind: 'conv2d', inputShape: [1, 5, 5, 8], outChannels: 24, padding: 'same', scale: 'mixed' },
  // Large accumulators: extreme inputs and weights over a long reduction.
  {
    name: 'pointwise 1024 channels of extremes',
    kind: 'pointwiseConv2d',
    inputShape: [1, 2, 3, 1024],
    outChannels: 9,
    values: 'extremes',
    scale: 'mixed',
  },
  {
    name: 'conv2d 5×5 × 64 of extremes',
    kind: 'conv2d',
    inputShape: [1, 6, 6, 64],
    kernel: [5, 5],
    outChannels: 8,
    padding: 'same',
    values: 'extremes',
    scale: 'mixed',
  },
  // Right shifts 0–20 over extremes: the float64 requantization form (pack-int8-requantization.ts) near its bound.
  {
    name: 'depthwise 7×7 of extremes, float64 requantization',
    kind: 'depthwiseConv2d',
    inputShape: [1, 9, 9, 33],
    kernel: [7, 7],
    padding: 'same',
    values: 'extremes',
    scale: 'float64',
  },
  {
    name: 'pointwise 64 channels of extremes, float64 requantization',
    kind: 'pointwiseConv2d',
    inputShape: [1, 3, 5, 64],
    outChannels: 20,
    values: 'extremes',
    scale: 'float64',
  },
  {
    name: 'depthwise 7×7 of extremes, no bias',
    kind: 'depthwiseConv2d',
    inputShape: [1, 9, 9, 17],
    kernel: [7, 7],
    padding: 'same',
    values: 'extremes',
    scale: 'mixed',
    bias: false,
  },
];

/** Multipliers in [2^30, 2^31) (or 0) with shifts drawn per `scale`, as `quantizeMultiplier` gives. */
function requantization(random: Random, c: Case, g: Conv2dGeometry): ConvRequantization {
  const multipliers = new Int32Array(g.outChannels);
  const shifts = new Int32Array(g.outChannels);
  const edges = [2 ** 30, 2 ** 31 - 1, 2 ** 30 + 1, 0];
  // A typical layer's shift puts a typical accumulator (√depth products of ~±128·127) near ±64.
  const depth = g.kernelHeight * g.kernelWidth * (g.kind === 'depthwiseConv2d' ? 1 : g.inChannels);
  const typical = -Math.round(Math.log2((Math.sqrt(depth) * 128 * 127) / 64));
  for (let o = 0; o < g.outChannels; o++) {
    multipliers[o] = o < edges.length && c.scale !== undefined ? edges[o]! : random.int(2 ** 30, 2 ** 31 - 1);
    const scale = c.scale ?? 'typical';
    shifts[o] =
      scale === 'tiny'
        ? random.int(-31, -20)
        : scale === 'huge'
          ? random.int(20, 30)
          : scale === 'mixed'
            ? random.pick([-31, -30, -1, 0, 1, 29, 30, random.int(-31, 30)])
            : typical + random.int(-2, 2);
  }
  const outputZeroPoint = c.outputZeroPoint ?? random.int(-20, 20);
  const activation = g.activation;
  return {
    inputZeroPoint: c.inputZeroPoint ?? random.int(-128, 127),
    outputZeroPoint,
    multipliers,
    shifts,
    activationMin: activation === 'linear' ? -128 : Math.max(-128, outputZeroPoint),
    activationMax: activation === 'relu6' ? Math.min(127, outputZeroPoint + 40) : 127,
  };
}

const runtimes = new Map<string, Promise<WasmRuntime>>();
function runtimeFor(isa: Exclude<Isa, 'js'>, threads: number): Promise<WasmRuntime> {
  const key = `${isa}:${threads}`;
  if (!runtimes.has(key)) runtimes.set(key, WasmRuntime.create(isa, threads, 0));
  return runtimes.get(key)!;
}

afterAll(async () => {
  for (const runtime of runtimes.values()) (await runtime).dispose();
});

/** Runs the wasm kernel for `g` in `runtime`'s heap and returns a copy of its output. */
function runWasm(
  runtime: WasmRuntime,
  x: Int8Array,
  filter: Int8Array,
  bias: Int32Array | undefined,
  g: Conv2dGeometry,
  r: ConvRequantization,
): Int8Array {
  const heap = runtime.heap;
  const taps = g.kernelHeight * g.kernelWidth;
  const depthwise = g.kind === 'depthwiseConv2d';
  const plain = taps === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.padTop + g.padBottom + g.padLeft + g.padRight === 0;
  const kernel = depthwise ? WasmKernel.int8Dwconv : plain ? WasmKernel.int8Gemm : WasmKernel.int8Igemm;
  const wBytes = depthwise ? packedInt8DepthwiseBytes(taps, g.outChannels) : packedInt8GemmBytes(taps, g.inChannels, g.outChannels);
  const ySize = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const xAddress = heap.alloc(x.length, 'test');
  const wAddress = heap.alloc(wBytes, 'test');
  const yAddress = heap.alloc(ySize, 'test');
  try {
    const view = new DataView(heap.memory.buffer);
    if (depthwise) packInt8Depthwise(filter, bias, r, taps, g.outChannels, view, wAddress);
    else packInt8Gemm(filter, bias, r, taps, g.inChannels, g.outChannels, view, wAddress);
    new Int8Array(heap.memory.buffer).set(x, xAddress);
    // Poison the output so an element the kernel skips cannot pass by accident.
    new Int8Array(heap.memory.buffer, yAddress, ySize).fill(0x5a);
    launchInt8Conv(runtime, g.kind, kernel, g, r, { x: xAddress, w: wAddress, y: yAddress });
    // Kernel calls are queued (see JobQueue): run the queue before reading the output's memory directly.
    runtime.flush();
    return new Int8Array(heap.memory.buffer, yAddress, ySize).slice();
  } finally {
    heap.release(xAddress);
    heap.release(wAddress);
    heap.release(yAddress);
  }
}

const support = isaSupport();
const isas = (['wasmsimd', 'wasmrelaxedsimd'] as const).filter((isa) => support.get(isa) === undefined);

describe.each(isas)('int8 kernels (%s)', (isa) => {
  describe.each([1, 2])('%i thread(s)', (threads) => {
    it.each(cases)('$name: identical to the reference', async (c) => {
      const random = new Random(cases.indexOf(c) * 7919 + 17);
      const [kernelHeight, kernelWidth] = c.kernel ?? (c.kind === 'pointwiseConv2d' ? [1, 1] : [3, 3]);
      const g = convGeometry({
        kind: c.kind,
        inputShape: c.inputShape,
        kernelHeight,
        kernelWidth,
        outChannels: c.outChannels,
        channelMultiplier: c.channelMultiplier,
        strides: c.strides,
        dilations: c.dilations,
        padding: c.padding,
        hasBias: c.bias !== false,
        activation: c.activation,
      });
      const x = randomInt8s(
        random,
        c.inputShape.reduce((a, b) => a * b, 1),
        c.values,
      );
      const taps = kernelHeight * kernelWidth;
      const filterSize = c.kind === 'depthwiseConv2d' ? taps * g.outChannels : taps * g.inChannels * g.outChannels;
      // Symmetric int8 weights, as QuantizedConvWeights holds them: [-127, 127].
      const filter = randomInt8s(random, filterSize, c.values, -INT8_WEIGHT_MAX);
      const bias = c.bias === false ? undefined : Int32Array.from({ length: g.outChannels }, () => random.int(-(2 ** 14), 2 ** 14));
      const r = requantization(random, c, g);
      const reference = c.kind === 'depthwiseConv2d' ? referenceQuantizedDepthwiseConv2d : referenceQuantizedConv2d;
      const expected = reference(x, filter, bias, g, r);
      const actual = runWasm(await runtimeFor(isa, threads), x, filter, bias, g, r);
      expect(actual).toEqual(expected);
    });
  });
});
