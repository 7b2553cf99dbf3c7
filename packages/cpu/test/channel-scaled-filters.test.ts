import { ChannelScaledTensor, HostTensor, randomUniform, type KernelCall, type Tensor } from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend, type CpuBackend } from '../src/index.js';
import { packDepthwise, packedDepthwiseLength } from '../src/pack/pack-depthwise.js';
import { packedGemmLength, packGemm } from '../src/pack/pack-gemm.js';

const backend = await createCpuBackend({ threads: 1 });
afterAll(() => backend.dispose());

/** A folded filter over `source` (random scales, some negative, one zero) and the same elements as a plain host tensor. */
function scaled(shape: number[], channels: number, seed: number): { lazy: ChannelScaledTensor; eager: HostTensor } {
  const source = randomUniform(shape, seed).data;
  const scale = randomUniform([channels], seed + 1, -2, 2).data;
  scale[channels - 1] = 0;
  const lazy = new ChannelScaledTensor(source, scale, shape);
  const eager = new HostTensor(new ChannelScaledTensor(source, scale, shape).data, shape);
  return { lazy, eager };
}

const x = randomUniform([1, 7, 7, 6], 1);

/** One call of each convolution with folded filters, and the same call with their elements as plain host tensors. */
function calls(seed: number): [KernelCall, KernelCall][] {
  const dw = scaled([3, 3, 6, 2], 12, seed);
  const pw = scaled([12, 13], 13, seed + 2);
  const conv = scaled([3, 3, 6, 10], 10, seed + 4);
  const pair = (make: (filters: { dw: Tensor; pw: Tensor; conv: Tensor }) => KernelCall): [KernelCall, KernelCall] => [
    make({ dw: dw.lazy, pw: pw.lazy, conv: conv.lazy }),
    make({ dw: dw.eager, pw: pw.eager, conv: conv.eager }),
  ];
  const pwX = randomUniform([1, 5, 5, 12], seed + 6);
  return [
    pair((f) => ({ op: 'depthwiseConv2d', x, filter: f.dw, options: { padding: 'same' } })),
    pair((f) => ({ op: 'pointwiseConv2d', x: pwX, filter: f.pw, options: { activation: 'relu6' } })),
    pair((f) => ({ op: 'conv2d', x, filter: f.conv, options: { strides: 2, padding: 'same' } })),
    pair((f) => ({ op: 'separableConv2d', x, depthwiseFilter: f.dw, pointwiseFilter: f.pw, options: { padding: 'same' } })),
  ];
}

function run(on: CpuBackend, call: KernelCall, variant: string): Tensor {
  const options = { ...call.options, variant };
  return call.op === 'separableConv2d'
    ? on.separableConv2d(call.x, call.depthwiseFilter, call.pointwiseFilter, options)
    : on[call.op](call.x, call.filter, options);
}

const lazyFilters = (call: KernelCall): ChannelScaledTensor[] =>
  (call.op === 'separableConv2d' ? [call.depthwiseFilter, call.pointwiseFilter] : [call.filter]) as ChannelScaledTensor[];

describe('folded filters (ChannelScaledTensor) on the CPU backend', () => {
  it('every wasm variant gives the bits of the filter folded first, and packs the scale in without ever computing the folded copy', async () => {
    let seed = 10;
    for (const [index] of calls(0).entries()) {
      for (const variant of backend.kernelVariants(calls(0)[index]![0])) {
        const [lazy, eager] = calls((seed += 10))[index]!;
        const expected = await backend.read(run(backend, eager, variant));
        expect(await backend.read(run(backend, lazy, variant)), variant).toEqual(expected);
        // The JavaScript rows read the elements as they are, like any host tensor's.
        if (!variant.endsWith('-js')) for (const filter of lazyFilters(lazy)) expect(filter.isMaterialized, variant).toBe(false);
      }
    }
  });

  it('prepareWeights packs a folded filter without computing the folded copy', () => {
    for (const [lazy] of calls(500)) {
      backend.prepareWeights({ ...lazy, x: new HostTensor(new Float32Array(0), [0, ...lazy.x.shape.slice(1)]) } as KernelCall);
      for (const filter of lazyFilters(lazy)) expect(filter.isMaterialized).toBe(false);
    }
  });
});

describe('packing with a per-channel scale', () => {
  // Output channels below, equal to, above and a multiple of the GEMM panel (8) and the depthwise block (4).
  for (const [taps, inChannels, outChannels] of [
    [1, 3, 5],
    [1, 4, 8],
    [9, 3, 9],
    [9, 2, 16],
    [1, 1, 1],
  ] as const) {
    it(`packGemm with scale = packGemm of the folded filter, taps ${taps}, ${inChannels} → ${outChannels}`, () => {
      const { lazy, eager } = scaled([taps, inChannels, outChannels], outChannels, taps * 100 + outChannels);
      const bias = randomUniform([outChannels], 7).data;
      const length = packedGemmLength(taps, inChannels, outChannels);
      const [withScale, folded] = [new Float32Array(length + 2), new Float32Array(length + 2)];
      packGemm(lazy.source, bias, taps, inChannels, outChannels, withScale, 2, lazy.scale);
      packGemm(eager.data, bias, taps, inChannels, outChannels, folded, 2);
      expect(withScale).toEqual(folded);
    });

    it(`packDepthwise with scale = packDepthwise of the folded filter, ${taps} taps × ${outChannels}`, () => {
      const { lazy, eager } = scaled([taps, outChannels], outChannels, taps * 100 + outChannels);
      const length = packedDepthwiseLength(taps, outChannels);
      const [withScale, folded] = [new Float32Array(length + 1), new Float32Array(length + 1)];
      packDepthwise(lazy.source, undefined, taps, outChannels, withScale, 1, lazy.scale);
      packDepthwise(eager.data, undefined, taps, outChannels, folded, 1);
      expect(withScale).toEqual(folded);
    });
  }
});
