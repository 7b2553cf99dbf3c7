import { depthwiseConv2dGeometry, randomUniform, type Padding } from '@sepconv/tensor';
import { referenceDepthwiseConv2d } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { createCpuBackend, cpuVariants, isaSupport } from '../src/index.js';
import { WasmKernel } from '../src/wasm/job-layout.js';

// The 3×3 and 5×5 row kernels split a row into edge columns (taps in the padding skipped or
// read from the zero buffer) and an interior run four pixels at a time then one at a time;
// probe every split: widths 1 to 13 (interiors of 0 to 13 columns, every remainder after the
// 4-pixel run), padding wider than the kernel, asymmetric padding, channel counts around the
// 4-lane block.
const windows = new Map<number, { size: number; stride: number }>([
  [WasmKernel.dwconv3x3s1, { size: 3, stride: 1 }],
  [WasmKernel.dwconv3x3s2, { size: 3, stride: 2 }],
  [WasmKernel.dwconv5x5s1, { size: 5, stride: 1 }],
  [WasmKernel.dwconv5x5s2, { size: 5, stride: 2 }],
]);
const variants = cpuVariants
  .filter((v) => v.wasmKernel !== undefined && windows.has(v.wasmKernel))
  .filter((v) => isaSupport().get(v.isa) === undefined);
const paddings: Padding[] = ['same', 'valid', { top: 2, bottom: 0, left: 3, right: 1 }, { top: 0, bottom: 3, left: 0, right: 4 }];

describe.each(variants)('$name on edge geometries', (variant) => {
  const { size, stride } = windows.get(variant.wasmKernel!)!;
  it('matches the reference for widths 1–13, channels 1–9 and every padding kind', async () => {
    const backend = await createCpuBackend({ threads: 1, variant: variant.name });
    let checked = 0;
    for (const width of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) {
      for (const channels of [1, 3, 4, 5, 8, 9]) {
        for (const padding of paddings) {
          const x = randomUniform([2, size + 1, width, channels], width * 100 + channels);
          const filter = randomUniform([size, size, channels, 1], channels);
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

  it('matches the reference when a row splits into column strips (520 channels)', async () => {
    const backend = await createCpuBackend({ threads: 1, variant: variant.name });
    for (const [width, padding] of [
      [30, 'same'],
      [29, 'valid'],
      [27, { top: 1, bottom: 0, left: 2, right: 1 }],
    ] as const) {
      const x = randomUniform([1, size, width, 520], width);
      const filter = randomUniform([size, size, 520, 1], 2);
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
