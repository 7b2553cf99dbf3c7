import {
  binaryGeometry,
  conv2dGeometry,
  globalPool2dGeometry,
  padGeometry,
  pool2dGeometry,
  resizeBilinearGeometry,
  unaryGeometry,
  UnsupportedError,
  type Activation,
  type BinaryOp,
  type PoolType,
  depthwiseConv2dGeometry,
  pointwiseConv2dGeometry,
  separableConv2dGeometry,
  softmaxGeometry,
  zeros,
  type Conv2dGeometry,
} from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import type { GpuProgram } from '../src/gpu-program.js';
import { BINARY_MAX_RANK, assertBinaryBroadcastFits, binaryBroadcastProgram } from '../src/programs/binary-broadcast.js';
import { concatSliceProgram } from '../src/programs/concat-slice.js';
import { globalPool2dReduceProgram } from '../src/programs/global-pool2d-reduce.js';
import { padConstantProgram } from '../src/programs/pad-constant.js';
import { pool2dWindowProgram } from '../src/programs/pool2d-window.js';
import { resizeBilinearProgram } from '../src/programs/resize-bilinear.js';
import { unaryActivationProgram } from '../src/programs/unary-activation.js';
import { copyProgram } from '../src/programs/copy.js';
import { softmaxProgram } from '../src/programs/softmax.js';
import { webGpuVariants, type WebGpuConvVariant, type WebGpuSeparableVariant } from '../src/variants.js';
import { quantizedProgramPairs } from './support/quantized-program-pairs.js';

// These tests need no GPU: they check programs as data — WGSL snapshots, cache keys free of
// sizes, uniforms matching the WGSL struct, dispatch sizes.

const dw = (shape: number[], filter: number[], options = {}) => depthwiseConv2dGeometry(zeros(shape), zeros(filter), options);
const pw = (shape: number[], filter: number[], options = {}) => pointwiseConv2dGeometry(zeros(shape), zeros(filter), options);
const conv = (shape: number[], filter: number[], options = {}) => conv2dGeometry(zeros(shape), zeros(filter), options);
const binary = (op: BinaryOp, aShape: number[], bShape: number[], activation: Activation = 'linear') =>
  binaryBroadcastProgram(binaryGeometry(op, zeros(aShape), zeros(bShape), { activation }));
const unary = (shape: number[], activation: Activation) => unaryActivationProgram(unaryGeometry(zeros(shape), activation));
const pool = (type: PoolType, shape: number[], kernelSize: number, strides: number, pad: number) =>
  pool2dWindowProgram(pool2dGeometry(zeros(shape), { type, kernelSize, strides, padding: { top: pad, bottom: pad, left: pad, right: pad } }));
const global = (type: PoolType, shape: number[]) => globalPool2dReduceProgram(globalPool2dGeometry(zeros(shape), { type }));
const padding = (shape: number[], top: number, left: number, value: number) =>
  padConstantProgram(padGeometry(zeros(shape), { top, bottom: top, left, right: left }, { value }));
const resize = (shape: number[], size: [number, number], alignCorners: boolean, halfPixelCenters = !alignCorners) =>
  resizeBilinearProgram(resizeBilinearGeometry(zeros(shape), size, { alignCorners, halfPixelCenters }));

const convVariant = (name: string) => webGpuVariants.find((v): v is WebGpuConvVariant => v.name === name && v.op !== 'separableConv2d')!;
const fused = webGpuVariants.find((v): v is WebGpuSeparableVariant => v.op === 'separableConv2d' && v.program !== undefined)!;

/** Two geometries per program that differ in every size but share compile-time facts. */
const programPairs: [string, GpuProgram, GpuProgram][] = [
  [
    'conv2d-nhwc-direct-c1x4-f32',
    convVariant('conv2d-nhwc-direct-c1x4-f32').program(conv([1, 224, 224, 3], [3, 3, 3, 32], { strides: 2, padding: 'same', activation: 'relu6' })),
    convVariant('conv2d-nhwc-direct-c1x4-f32').program(conv([2, 9, 9, 5], [5, 3, 5, 4], { dilations: 2, strides: 2 })),
  ],
  [
    'conv2d-nhwc-direct-vec4-4x4-f32',
    convVariant('conv2d-nhwc-direct-vec4-4x4-f32').program(conv([1, 56, 56, 128], [3, 3, 128, 128], { padding: 'same' })),
    convVariant('conv2d-nhwc-direct-vec4-4x4-f32').program(conv([2, 9, 9, 8], [5, 3, 8, 4], { dilations: 2, strides: 2 })),
  ],
  [
    'dwconv2d-nhwc-3x3s1-vec4-f32',
    convVariant('dwconv2d-nhwc-3x3s1-vec4-f32').program(dw([1, 56, 56, 128], [3, 3, 128, 1], { padding: 'same', activation: 'relu6' })),
    convVariant('dwconv2d-nhwc-3x3s1-vec4-f32').program(dw([2, 13, 11, 8], [3, 3, 8, 1])),
  ],
  [
    'dwconv2d-nhwc-3x3s2-vec4-f32',
    convVariant('dwconv2d-nhwc-3x3s2-vec4-f32').program(dw([1, 112, 112, 64], [3, 3, 64, 1], { strides: 2, padding: 'same' })),
    convVariant('dwconv2d-nhwc-3x3s2-vec4-f32').program(dw([2, 13, 11, 8], [3, 3, 8, 1], { strides: 2 })),
  ],
  [
    'dwconv2d-nhwc-vec4-c4x4-f32',
    convVariant('dwconv2d-nhwc-vec4-c4x4-f32').program(dw([1, 56, 56, 128], [3, 3, 128, 1], { padding: 'same', activation: 'relu6' })),
    convVariant('dwconv2d-nhwc-vec4-c4x4-f32').program(dw([2, 13, 11, 8], [5, 5, 8, 1], { strides: 2, dilations: 2 })),
  ],
  [
    'pwconv2d-nhwc-gemm-vec4-8x4-f32',
    convVariant('pwconv2d-nhwc-gemm-vec4-8x4-f32').program(pw([1, 56, 56, 128], [128, 128], { activation: 'relu' })),
    convVariant('pwconv2d-nhwc-gemm-vec4-8x4-f32').program(pw([2, 7, 9, 16], [16, 4])),
  ],
  [
    'pwconv2d-nhwc-gemm-vec4-4x4-f32',
    convVariant('pwconv2d-nhwc-gemm-vec4-4x4-f32').program(pw([1, 56, 56, 128], [128, 128], { activation: 'relu' })),
    convVariant('pwconv2d-nhwc-gemm-vec4-4x4-f32').program(pw([2, 7, 9, 16], [16, 4])),
  ],
  // With options.residual: one more binding, added before the activation; its own cache key.
  [
    'pwconv2d-nhwc-gemm-vec4-8x4-f32 (residual)',
    convVariant('pwconv2d-nhwc-gemm-vec4-8x4-f32').program(pw([1, 28, 28, 96], [96, 24], { residual: zeros([1, 28, 28, 24]) })),
    convVariant('pwconv2d-nhwc-gemm-vec4-8x4-f32').program(pw([2, 7, 9, 16], [16, 4], { activation: 'relu6', residual: zeros([2, 7, 9, 4]) })),
  ],
  [
    'dwconv2d-nhwc-tiled-c4-f32 (vec4)',
    convVariant('dwconv2d-nhwc-tiled-c4-f32').program(dw([1, 56, 56, 128], [3, 3, 128, 1], { padding: 'same', activation: 'relu6' })),
    convVariant('dwconv2d-nhwc-tiled-c4-f32').program(dw([2, 13, 11, 8], [5, 5, 8, 1], { strides: 2 })),
  ],
  [
    'dwconv2d-nhwc-tiled-c4-f32 (scalar)',
    convVariant('dwconv2d-nhwc-tiled-c4-f32').program(dw([1, 7, 9, 5], [3, 3, 5, 1], { padding: 'same' })),
    convVariant('dwconv2d-nhwc-tiled-c4-f32').program(dw([1, 13, 13, 17], [3, 3, 17, 1], { dilations: 2 })),
  ],
  [
    'dwconv2d-nhwc-generic-f32',
    convVariant('dwconv2d-nhwc-generic-f32').program(dw([1, 7, 9, 5], [3, 3, 5, 2], { padding: 'same' })),
    convVariant('dwconv2d-nhwc-generic-f32').program(dw([3, 13, 13, 4], [7, 7, 4, 1], { strides: 3 })),
  ],
  [
    'pwconv2d-nhwc-gemm-tiled-f32',
    convVariant('pwconv2d-nhwc-gemm-tiled-f32').program(pw([1, 56, 56, 128], [128, 128], { activation: 'relu' })),
    convVariant('pwconv2d-nhwc-gemm-tiled-f32').program(pw([2, 7, 9, 17], [17, 5])),
  ],
  [
    'pwconv2d-nhwc-implicit-gemm-f32',
    convVariant('pwconv2d-nhwc-implicit-gemm-f32').program(pw([1, 13, 13, 8], [8, 16], { strides: 2 })),
    convVariant('pwconv2d-nhwc-implicit-gemm-f32').program(pw([1, 7, 9, 3], [3, 4], { padding: { top: 1, bottom: 0, left: 0, right: 2 } })),
  ],
  [
    'conv2d-nhwc-implicit-gemm-f32',
    convVariant('conv2d-nhwc-implicit-gemm-f32').program(conv([1, 224, 224, 3], [3, 3, 3, 32], { strides: 2, padding: 'same' })),
    convVariant('conv2d-nhwc-implicit-gemm-f32').program(conv([2, 9, 9, 5], [5, 3, 5, 7], { dilations: 2 })),
  ],
  ['softmax-lastaxis-row-f32', softmaxProgram(softmaxGeometry(zeros([1, 1000]))), softmaxProgram(softmaxGeometry(zeros([3, 1, 1, 7])))],
  ['copy-f32', copyProgram(1000), copyProgram(24)],
  ['binary-broadcast-f32 (vector flat)', binary('add', [1, 28, 28, 32], [1, 28, 28, 32], 'relu6'), binary('mul', [3, 7, 7, 4], [1], 'hardSwish')],
  ['binary-broadcast-f32 (scalar flat)', binary('sub', [1, 5, 5, 17], [1, 5, 5, 17]), binary('div', [], [2, 3])],
  ['binary-broadcast-f32 (vector strided)', binary('mul', [1, 28, 28, 32], [32]), binary('mul', [2, 1, 1, 16], [2, 7, 7, 16], 'sigmoid')],
  ['binary-broadcast-f32 (scalar strided)', binary('sub', [1, 5, 5, 17], [17]), binary('div', [2, 3, 3, 1], [2, 1, 1, 5], 'relu')],
  ['activation-elementwise-f32 (vector)', unary([1, 28, 28, 32], 'hardSwish'), unary([8], 'sigmoid')],
  ['activation-elementwise-f32 (scalar)', unary([1, 5, 5, 17], 'hardSigmoid'), unary([3], 'relu')],
  [
    'concat-slice-f32 (vector)',
    concatSliceProgram({ outer: 28 * 28, inner: 32, outInner: 64, offset: 32 }),
    concatSliceProgram({ outer: 3, inner: 8, outInner: 12, offset: 4 }),
  ],
  [
    'concat-slice-f32 (scalar)',
    concatSliceProgram({ outer: 25, inner: 17, outInner: 20, offset: 3 }),
    concatSliceProgram({ outer: 2, inner: 4, outInner: 6, offset: 2 }),
  ],
  ['pad-nhwc-constant-f32 (vector)', padding([1, 28, 28, 32], 1, 1, 0), padding([2, 5, 7, 4], 2, 0, -1.5)],
  ['pad-nhwc-constant-f32 (scalar)', padding([1, 224, 224, 3], 1, 1, 0), padding([2, 5, 7, 5], 0, 3, 2.5)],
  ['pool2d-nhwc-window-f32 (avg vector)', pool('avg', [1, 14, 14, 32], 3, 2, 1), pool('avg', [2, 9, 7, 8], 2, 3, 0)],
  ['pool2d-nhwc-window-f32 (avg scalar)', pool('avg', [1, 14, 14, 17], 3, 2, 1), pool('avg', [2, 9, 7, 5], 2, 3, 0)],
  ['pool2d-nhwc-window-f32 (max vector)', pool('max', [1, 14, 14, 32], 3, 2, 1), pool('max', [2, 9, 7, 8], 2, 3, 0)],
  ['pool2d-nhwc-window-f32 (max scalar)', pool('max', [1, 14, 14, 17], 3, 2, 1), pool('max', [2, 9, 7, 5], 2, 3, 0)],
  ['global-pool2d-nhwc-reduce-f32 (avg vector)', global('avg', [1, 7, 7, 1280]), global('avg', [3, 5, 9, 8])],
  ['global-pool2d-nhwc-reduce-f32 (avg scalar)', global('avg', [1, 7, 7, 17]), global('avg', [3, 5, 9, 3])],
  ['global-pool2d-nhwc-reduce-f32 (max vector)', global('max', [1, 7, 7, 1280]), global('max', [3, 5, 9, 8])],
  ['global-pool2d-nhwc-reduce-f32 (max scalar)', global('max', [1, 7, 7, 17]), global('max', [3, 5, 9, 3])],
  ['resize-bilinear-nhwc-f32 (vector)', resize([1, 33, 33, 32], [129, 129], false), resize([2, 5, 7, 4], [9, 3], true)],
  ['resize-bilinear-nhwc-f32 (scalar)', resize([1, 33, 33, 21], [129, 129], false), resize([2, 5, 7, 3], [9, 3], true)],
  [
    'sepconv2d-nhwc-fused-gemm-f32',
    fused.program!(
      separableConv2dGeometry(zeros([1, 28, 28, 64]), zeros([3, 3, 64, 1]), zeros([64, 128]), { padding: 'same', depthwiseActivation: 'relu6' }),
    ),
    fused.program!(separableConv2dGeometry(zeros([2, 9, 7, 5]), zeros([5, 5, 5, 2]), zeros([10, 3]), { strides: 2 })),
  ],
];

function structFields(wgsl: string): string[] {
  const body = /struct Params \{([^}]*)\}/.exec(wgsl)![1]!;
  return [...body.matchAll(/(\w+): i32/g)].map((m) => m[1]!);
}

describe('WGSL programs as data (no GPU needed)', () => {
  for (const [label, a, b] of [...programPairs, ...quantizedProgramPairs]) {
    describe(label, () => {
      it('matches its WGSL snapshot', async () => {
        await expect(a.wgsl()).toMatchFileSnapshot(`./__snapshots__/${label.replace(/[ ()]+/g, '-').replace(/-$/, '')}.wgsl`);
      });
      it('has a cache key free of sizes: other shapes share key and WGSL', () => {
        expect(a.cacheKey).toBe(b.cacheKey);
        expect(a.wgsl()).toBe(b.wgsl());
        expect(a.cacheKey.startsWith(a.name)).toBe(true);
        expect(a.cacheKey.slice(a.name.length), 'no sizes after the variant name').not.toMatch(/\d/);
      });
      it('declares exactly the uniforms it sends, in order, and takes sizes from them', () => {
        expect(structFields(a.wgsl())).toEqual(a.uniforms().map((u) => u.name));
        expect(a.uniforms().map((u) => u.value)).not.toEqual(b.uniforms().map((u) => u.value));
        for (const field of a.uniforms()) expect(Number.isInteger(field.value)).toBe(true);
      });
      it('binds its inputs, the output and the uniforms in order', () => {
        const wgsl = a.wgsl();
        a.inputs.forEach((name, binding) => expect(wgsl).toContain(`@binding(${binding}) var<storage, read> ${name}:`));
        expect(wgsl).toContain(`@binding(${a.inputs.length}) var<storage, read_write> y:`);
        expect(wgsl).toContain(`@binding(${a.inputs.length + 1}) var<uniform> params: Params;`);
        expect(wgsl).toContain(`@workgroup_size(${a.workgroupSize[0]})`);
      });
      it('dispatches within the per-dimension limit', () => {
        const [x, y, z] = a.dispatch();
        expect(x).toBeGreaterThan(0);
        expect(x).toBeLessThanOrEqual(65535);
        expect(y).toBeLessThanOrEqual(65535);
        expect(z).toBe(1);
      });
    });
  }

  it('a residual is a compile-time fact of the vec4 pointwise program: its own cache key, one more binding', () => {
    const plain = convVariant('pwconv2d-nhwc-gemm-vec4-8x4-f32').program(pw([1, 28, 28, 96], [96, 24]));
    const added = convVariant('pwconv2d-nhwc-gemm-vec4-8x4-f32').program(pw([1, 28, 28, 96], [96, 24], { residual: zeros([1, 28, 28, 24]) }));
    expect(added.cacheKey).not.toBe(plain.cacheKey);
    expect(added.inputs).toEqual([...plain.inputs, 'residual']);
    expect(added.wgsl()).toContain('activate(acc[r] + bias4 + residual[(row0 + r) * params.N4 + n4], params.activation)');
  });

  it('folds a dispatch past 65535 workgroups into a second dimension', () => {
    const big = convVariant('dwconv2d-nhwc-generic-f32').program(dw([64, 112, 112, 32], [3, 3, 32, 1], { padding: 'same' }));
    const total = 64 * 112 * 112 * 32;
    const [x, y] = big.dispatch();
    expect(x).toBe(65535);
    expect(x * y * 64).toBeGreaterThanOrEqual(total);
    expect(x * (y - 1) * 64).toBeLessThan(total);
  });

  it('binary ops pick their code shape from the collapsed broadcast, never from sizes', () => {
    const key = (a: number[], b: number[]) => binary('add', a, b).cacheKey;
    expect(key([1, 5, 5, 8], [1, 5, 5, 8]), 'same shape').toBe('binary-broadcast-f32:vector:flat');
    expect(key([1, 5, 5, 8], []), 'scalar').toBe('binary-broadcast-f32:vector:flat');
    expect(key([1], [1, 5, 5, 7]), 'scalar, odd size').toBe('binary-broadcast-f32:scalar:flat');
    expect(key([1, 5, 5, 8], [1, 1, 1, 8]), 'per channel').toBe('binary-broadcast-f32:vector:strided');
    expect(key([2, 1, 1, 6], [2, 5, 5, 6]), 'squeeze-and-excitation, 6 channels').toBe('binary-broadcast-f32:scalar:strided');
    expect(key([2, 5, 5, 1], [2, 5, 5, 8]), 'broadcast along channels: b contiguous, a splatted').toBe('binary-broadcast-f32:vector:strided');
  });

  it('binary ops send the collapsed broadcast as uniforms: SE is [N, H·W, C/4] with a skipping H·W', () => {
    const values = Object.fromEntries(
      binary('mul', [2, 1, 1, 16], [2, 7, 7, 16], 'hardSigmoid')
        .uniforms()
        .map((u) => [u.name, u.value]),
    );
    expect(values).toEqual({
      total: (2 * 7 * 7 * 16) / 4,
      op: 2,
      activation: 4,
      size1: 2,
      size2: 49,
      size3: 4,
      aStride0: 0,
      aStride1: 16,
      aStride2: 0,
      aStride3: 1,
      bStride0: 0,
      bStride1: 49 * 16,
      bStride2: 16,
      bStride3: 1,
    });
  });

  it(`binary ops refuse, with a typed error, a broadcast that keeps more than ${BINARY_MAX_RANK} axes after merging`, () => {
    const geometry = binaryGeometry('mul', zeros([2, 1, 2, 1, 2]), zeros([1, 3, 1, 3, 1]));
    expect(() => assertBinaryBroadcastFits(geometry)).toThrow(UnsupportedError);
    expect(() => assertBinaryBroadcastFits(geometry)).toThrow(/^mul: .*at most 4 axes.*keeps 5/);
    expect(() => binaryBroadcastProgram(geometry), 'the program refuses it too').toThrow(UnsupportedError);
    const merged = binaryGeometry('mul', zeros([2, 3, 2, 3, 2]), zeros([1, 1, 2, 3, 2]));
    expect(() => assertBinaryBroadcastFits(merged), 'rank 5 that merges to [6, 12]').not.toThrow();
  });

  it('concat slices move vec4s only when the row, the output row and the offset are all multiples of 4', () => {
    expect(concatSliceProgram({ outer: 4, inner: 8, outInner: 12, offset: 4 }).cacheKey).toBe('concat-slice-f32:vector');
    expect(concatSliceProgram({ outer: 4, inner: 8, outInner: 10, offset: 2 }).cacheKey).toBe('concat-slice-f32:scalar');
    expect(concatSliceProgram({ outer: 4, inner: 8, outInner: 12, offset: 4 }).uniforms()).toEqual([
      { name: 'total', value: 8 },
      { name: 'inner', value: 2 },
      { name: 'outInner', value: 3 },
      { name: 'offset', value: 1 },
    ]);
  });

  it('pad sends its constant as float32 bits, so NaN, −0 and ±Infinity pad exactly', () => {
    const bits = (value: number) =>
      padding([1, 2, 2, 4], 1, 1, value)
        .uniforms()
        .find((u) => u.name === 'valueBits')!.value;
    expect(bits(0)).toBe(0);
    expect(bits(-0)).toBe(-0x80000000);
    expect(bits(1)).toBe(0x3f800000);
    expect(bits(-Infinity)).toBe(0xff800000 | 0);
    expect(bits(Number.NaN) & 0x7fffffff).toBeGreaterThan(0x7f800000);
  });

  it('global pooling dispatches one workgroup per (image, channel group)', () => {
    expect(global('avg', [3, 7, 7, 1280]).dispatch()).toEqual([3 * 320, 1, 1]);
    expect(global('max', [3, 7, 7, 17]).dispatch()).toEqual([3 * 17, 1, 1]);
  });

  it('resize picks its coordinate mapping by uniform: asymmetric, half-pixel, align-corners', () => {
    const code = (alignCorners: boolean, halfPixelCenters: boolean) =>
      resize([1, 4, 4, 4], [8, 8], alignCorners, halfPixelCenters)
        .uniforms()
        .find((u) => u.name === 'coordinates')!.value;
    expect([code(false, false), code(false, true), code(true, false)]).toEqual([0, 1, 2]);
  });

  it('the tiled depthwise variant takes multiplier 1 with a patch that fits, and nothing else', () => {
    const tiled = convVariant('dwconv2d-nhwc-tiled-c4-f32');
    const fits = (g: Conv2dGeometry) => tiled.supports(g);
    expect(fits(dw([1, 13, 13, 8], [3, 3, 8, 1], { strides: 3 }))).toBe(true);
    expect(fits(dw([1, 30, 30, 8], [7, 7, 8, 1], { strides: 2 }))).toBe(true);
    expect(fits(dw([1, 13, 13, 8], [3, 3, 8, 2]))).toBe(false);
    expect(fits(dw([1, 40, 40, 8], [11, 11, 8, 1], { strides: 2 }))).toBe(false);
    expect(fits(dw([1, 40, 40, 8], [3, 3, 8, 1], { strides: 4 }))).toBe(false);
  });
});
