import { depthwiseConv2dGeometry, randomUniform, type Padding } from '@sepconv/tensor';
import { referenceDepthwiseConv2d } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { createCpuBackend, cpuVariants, isaSupport } from '../src/index.js';
import { WasmKernel } from '../src/wasm/job-layout.js';

// The 3×3 row kernels split a row into edge columns (taps in the padding read the zero
// buffer) and an interior run four pixels at a time (stride 1) then one at a time; probe every
// split: widths 1 to 11 (interiors of 0 to 11 columns, every remainder after the 4-pixel run), padding
// wider than the kernel, asymmetric padding, channel counts around the 4-lane block.
const variants = cpuVariants
  .filter((v) => v.wasmKernel === WasmKernel.dwconv3x3s1 || v.wasmKernel === WasmKernel.dwconv3x3s2)
  .filter((v) => isaSupport().get(v.isa) === undefined);
const paddings: Padding[] = ['same', 'valid', { top: 2, bottom: 0, left: 3, right: 1 }, { top: 0, bottom: 3, left: 0, right: 4 }];

describe.each(variants)('$name on edge geometries', (variant) => {
  const stride = variant.wasmKernel === WasmKernel.dwconv3x3s2 ? 2 : 1;
  it('matches the reference for widths 1–11, channels 1–9 and every padding kind', async () => {
    const backend = await createCpuBackend({ threads: 1, variant: variant.name });
    let checked = 0;
    for (const width of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) {
      for (const channels of [1, 3, 4, 5, 8, 9]) {
        for (const padding of paddings) {
          const x = randomUniform([2, 4, width, channels], width * 100 + channels);
          const filter = randomUniform([3, 3, channels, 1], channels);
          const bias = randomUniform([channels], 7);
          const options = { strides: stride, padding, bias, activation: 'relu6' as const };
          let geometry;
          try {
            geometry = depthwiseConv2dGeometry(x, filter, options);
          } catch {
            continue; // the padded input is smaller than the kernel: rejected before any kernel runs
          }
          if (variant.op !== 'separableConv2d') expect(variant.supports(geometry)).toBe(true);
          const expected = referenceDepthwiseConv2d(x.data, filter.data, bias.data, geometry);
          const actual = await backend.read(backend.depthwiseConv2d(x, filter, options));
          expect(actual.length).toBe(expected.length);
          for (let i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i]! - expected[i]!) > 1e-5) {
              throw new Error(`width ${width} channels ${channels} padding ${JSON.stringify(padding)}: [${i}] ${actual[i]} vs ${expected[i]}`);
            }
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    backend.dispose();
  });

  it('matches the reference when a row splits into column strips (520 channels: 8-column strips)', async () => {
    const backend = await createCpuBackend({ threads: 1, variant: variant.name });
    for (const [width, padding] of [
      [30, 'same'],
      [29, 'valid'],
      [27, { top: 1, bottom: 0, left: 2, right: 1 }],
    ] as const) {
      const x = randomUniform([1, 3, width, 520], width);
      const filter = randomUniform([3, 3, 520, 1], 2);
      const bias = randomUniform([520], 3);
      const options = { strides: stride, padding, bias, activation: 'relu6' as const };
      const geometry = depthwiseConv2dGeometry(x, filter, options);
      const expected = referenceDepthwiseConv2d(x.data, filter.data, bias.data, geometry);
      const actual = await backend.read(backend.depthwiseConv2d(x, filter, options));
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (Math.abs(actual[i]! - expected[i]!) > 1e-5)
          throw new Error(`width ${width} ${JSON.stringify(padding)}: [${i}] ${actual[i]} vs ${expected[i]}`);
      }
    }
    backend.dispose();
  });
});
