import { describe, expect, it } from 'vitest';
import {
  defineBackend,
  isTunable,
  ShapeError,
  UnsupportedError,
  ValueError,
  zeros,
  type Conv2dGeometry,
  type HostTensor,
  type KernelCall,
  type KernelTable,
  type KernelVariant,
  type Tensor,
} from '../src/index.js';

const is3x3 = (g: Conv2dGeometry): boolean => g.kernelHeight === 3 && g.kernelWidth === 3;

const variants: readonly KernelVariant[] = [
  { name: 'dw-3x3', op: 'depthwiseConv2d', supports: is3x3 },
  { name: 'dw-generic', op: 'depthwiseConv2d', supports: () => true },
  { name: 'pw-gemm', op: 'pointwiseConv2d', supports: () => true },
  { name: 'sep-fused', op: 'separableConv2d', supports: () => true },
  { name: 'sep-twopass', op: 'separableConv2d', supports: () => true },
];

/** Kernels that record the variant each call was given. */
function recordingKernels(seen: (string | undefined)[]) {
  const out = (g: Conv2dGeometry): HostTensor => zeros([g.batch, g.outHeight, g.outWidth, g.outChannels]);
  return {
    conv2d: (_ctx, { geometry, variant }) => (seen.push(variant), out(geometry)),
    depthwiseConv2d: (_ctx, { geometry, variant }) => (seen.push(variant), out(geometry)),
    pointwiseConv2d: (_ctx, { geometry, variant }) => (seen.push(variant), out(geometry)),
    separableConv2d: (_ctx, { geometry, variant }) => (seen.push(variant), out(geometry.pointwise)),
  } satisfies KernelTable<number, Tensor, HostTensor>;
}

function tunableBackend(seen: (string | undefined)[] = []) {
  return defineBackend({
    name: 'tunable',
    context: 7,
    kernels: recordingKernels(seen),
    read: async () => new Float32Array(),
    variants: () => variants,
    fingerprint: (ctx) => `tunable context ${ctx}`,
  });
}

const x = zeros([1, 6, 6, 4]);
const dw3 = zeros([3, 3, 4, 1]);
const dw5 = zeros([5, 5, 4, 1]);
const pw = zeros([4, 8]);

describe('tunable backends (kernelVariants, fingerprint, options.variant)', () => {
  it('lists the variants that run a call, in dispatch order, and the fingerprint', () => {
    const backend = tunableBackend();
    expect(isTunable(backend)).toBe(true);
    expect(backend.fingerprint!()).toBe('tunable context 7');
    expect(backend.kernelVariants!({ op: 'depthwiseConv2d', x, filter: dw3 })).toEqual(['dw-3x3', 'dw-generic']);
    expect(backend.kernelVariants!({ op: 'depthwiseConv2d', x, filter: dw5 })).toEqual(['dw-generic']);
    expect(backend.kernelVariants!({ op: 'conv2d', x, filter: zeros([3, 3, 4, 2]) })).toEqual([]);
    expect(backend.kernelVariants!({ op: 'separableConv2d', x, depthwiseFilter: dw3, pointwiseFilter: pw })).toEqual(['sep-fused', 'sep-twopass']);
  });

  it('hands options.variant to the kernel, and undefined without it', () => {
    const seen: (string | undefined)[] = [];
    const backend = tunableBackend(seen);
    backend.depthwiseConv2d(x, dw3, { variant: 'dw-generic' });
    backend.depthwiseConv2d(x, dw3);
    backend.separableConv2d(x, dw3, pw, { variant: 'sep-twopass' });
    expect(seen).toEqual(['dw-generic', undefined, 'sep-twopass']);
  });

  it('refuses a bad options.variant with a typed error naming the op and the argument, before the kernel runs', () => {
    const seen: (string | undefined)[] = [];
    const backend = tunableBackend(seen);
    expect(() => backend.depthwiseConv2d(x, dw3, { variant: 'nope' })).toThrow(ValueError);
    expect(() => backend.depthwiseConv2d(x, dw3, { variant: 'nope' })).toThrow(/depthwiseConv2d.*options\.variant.*dw-3x3, dw-generic.*'nope'/);
    expect(() => backend.depthwiseConv2d(x, dw3, { variant: 3 as unknown as string })).toThrow(ValueError);
    expect(() => backend.depthwiseConv2d(x, dw5, { variant: 'dw-3x3' })).toThrow(UnsupportedError);
    expect(() => backend.depthwiseConv2d(x, dw5, { variant: 'dw-3x3' })).toThrow(/cannot run this geometry.*dw-generic/);
    expect(() => backend.pointwiseConv2d(x, pw, { variant: 'dw-generic' })).toThrow(/'dw-generic' is a depthwiseConv2d variant/);
    expect(seen).toEqual([]);
  });

  it('checks the call given to kernelVariants as the op would', () => {
    const backend = tunableBackend();
    expect(() => backend.kernelVariants!({ op: 'depthwiseConv2d', x, filter: zeros([3, 3, 5, 1]) })).toThrow(ShapeError);
    expect(() => backend.kernelVariants!({ op: 'softmax', x, filter: pw } as unknown as KernelCall)).toThrow(/kernelVariants.*call\.op/);
    expect(() => backend.kernelVariants!(null as unknown as KernelCall)).toThrow(ValueError);
    expect(() => backend.kernelVariants!({ op: 'depthwiseConv2d', x, filter: dw5, options: { variant: 'dw-3x3' } })).toThrow(UnsupportedError);
  });

  it('a backend without variants has no tuning capabilities and refuses options.variant', () => {
    const plain = defineBackend({ name: 'plain', context: 0, kernels: recordingKernels([]), read: async () => new Float32Array() });
    expect(isTunable(plain)).toBe(false);
    expect('kernelVariants' in plain || 'fingerprint' in plain).toBe(false);
    expect(() => plain.pointwiseConv2d(x, pw, { variant: 'pw-gemm' })).toThrow(UnsupportedError);
    expect(() => plain.pointwiseConv2d(x, pw, { variant: 'pw-gemm' })).toThrow(
      /pointwiseConv2d.*options\.variant.*backend 'plain' has no kernel variants/,
    );
  });
});
