import { addGeometry, conv2dGeometry, depthwiseConv2dGeometry, pointwiseConv2dGeometry, separableConv2dGeometry, softmaxGeometry, zeros, type Conv2dGeometry } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import type { GpuProgram } from '../src/gpu-program.js';
import { addProgram } from '../src/programs/add.js';
import { copyProgram } from '../src/programs/copy.js';
import { softmaxProgram } from '../src/programs/softmax.js';
import { webGpuVariants, type WebGpuConvVariant, type WebGpuSeparableVariant } from '../src/variants.js';

// These tests need no GPU: they check programs as data — WGSL snapshots, cache keys free of
// sizes, uniforms matching the WGSL struct, dispatch sizes.

const dw = (shape: number[], filter: number[], options = {}) => depthwiseConv2dGeometry(zeros(shape), zeros(filter), options);
const pw = (shape: number[], filter: number[], options = {}) => pointwiseConv2dGeometry(zeros(shape), zeros(filter), options);
const conv = (shape: number[], filter: number[], options = {}) => conv2dGeometry(zeros(shape), zeros(filter), options);
const add = (shape: number[], options = {}) => addGeometry(zeros(shape), zeros(shape), options);

const convVariant = (name: string) => webGpuVariants.find((v): v is WebGpuConvVariant => v.name === name && v.op !== 'separableConv2d')!;
const fused = webGpuVariants.find((v): v is WebGpuSeparableVariant => v.op === 'separableConv2d' && v.program !== undefined)!;

/** Two geometries per program that differ in every size but share compile-time facts. */
const programPairs: [string, GpuProgram, GpuProgram][] = [
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
    'pwconv2d-nhwc-gemm-vec4-4x4-f32',
    convVariant('pwconv2d-nhwc-gemm-vec4-4x4-f32').program(pw([1, 56, 56, 128], [128, 128], { activation: 'relu' })),
    convVariant('pwconv2d-nhwc-gemm-vec4-4x4-f32').program(pw([2, 7, 9, 16], [16, 4])),
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
  ['add-elementwise-f32 (vector)', addProgram(add([1, 28, 28, 32], { activation: 'relu6' })), addProgram(add([3, 7, 7, 4]))],
  ['add-elementwise-f32 (scalar)', addProgram(add([1, 5, 5, 17])), addProgram(add([2, 3], { activation: 'relu' }))],
  ['softmax-lastaxis-row-f32', softmaxProgram(softmaxGeometry(zeros([1, 1000]))), softmaxProgram(softmaxGeometry(zeros([3, 1, 1, 7])))],
  ['copy-f32', copyProgram(1000), copyProgram(24)],
  [
    'sepconv2d-nhwc-fused-gemm-f32',
    fused.program!(separableConv2dGeometry(zeros([1, 28, 28, 64]), zeros([3, 3, 64, 1]), zeros([64, 128]), { padding: 'same', depthwiseActivation: 'relu6' })),
    fused.program!(separableConv2dGeometry(zeros([2, 9, 7, 5]), zeros([5, 5, 5, 2]), zeros([10, 3]), { strides: 2 })),
  ],
];

function structFields(wgsl: string): string[] {
  const body = /struct Params \{([^}]*)\}/.exec(wgsl)![1]!;
  return [...body.matchAll(/(\w+): i32/g)].map((m) => m[1]!);
}

describe('WGSL programs as data (no GPU needed)', () => {
  for (const [label, a, b] of programPairs) {
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

  it('folds a dispatch past 65535 workgroups into a second dimension', () => {
    const big = convVariant('dwconv2d-nhwc-generic-f32').program(dw([64, 112, 112, 32], [3, 3, 32, 1], { padding: 'same' }));
    const total = 64 * 112 * 112 * 32;
    const [x, y] = big.dispatch();
    expect(x).toBe(65535);
    expect(x * y * 64).toBeGreaterThanOrEqual(total);
    expect((x * (y - 1)) * 64).toBeLessThan(total);
  });

  it('add reads vec4 exactly when the element count is a multiple of 4', () => {
    expect(addProgram(add([1, 5, 5, 4])).cacheKey).toBe('add-elementwise-f32:vector');
    expect(addProgram(add([1, 5, 5, 3])).cacheKey).toBe('add-elementwise-f32:scalar');
    expect(addProgram(add([1, 28, 28, 32])).uniforms()).toEqual([
      { name: 'total', value: (28 * 28 * 32) / 4 },
      { name: 'activation', value: 0 },
    ]);
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
