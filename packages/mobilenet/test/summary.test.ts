import type { DeviceProfile } from '@sepconv/cost';
import { ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { mobilenetV1, mobilenetV2, summary } from '../src/index.js';

describe('summary', () => {
  it("lists every layer with type, output shape, params and mult-adds, then Keras's totals", () => {
    const text = summary(mobilenetV1());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "mobilenet_1.00_224"');
    expect(lines[2]).toMatch(/^Layer \(type\)\s+Output shape\s+Params\s+Mult-adds$/);
    expect(text).toMatch(/\ninput_1 \(input\)\s+\[1, 224, 224, 3\]\s+0\s+0\n/);
    expect(text).toMatch(/\nconv1 \(conv2d\)\s+\[1, 112, 112, 32\]\s+864\s+10,838,016\n/);
    expect(text).toMatch(/\nconv_dw_1_bn \(batchNorm\)\s+\[1, 112, 112, 32\]\s+128\s+0\n/);
    expect(text).toMatch(/\nconv_preds \(pointwiseConv2d\)\s+\[1, 1, 1, 1000\]\s+1,025,000\s+1,024,000\n/);
    expect(text).toContain('\nTotal params: 4,253,864\nTrainable params: 4,231,976\nNon-trainable params: 21,888\n');
    expect(text).toContain("Weights (conv and dense, the papers' count): 4,209,088 (4.21M)\n");
    expect(text).toContain('Mult-adds: 568,740,352 (568.7M)\nFLOPs: 1,137,480,704\n');
    // float32: Keras's 4,253,864 parameters × 4 B. int8: the 4,209,088 kernel weights at 1 B, and for each of the
    // 11,944 conv output channels an int32 bias (its batch norm folded, conv_preds' own) and an int32 multiplier and shift.
    expect(text).toContain('Size: float32 17,015,456 B (17.02 MB); int8 4,352,416 B (4.35 MB)\n');
    // One row per layer plus the input row.
    expect(lines.filter((line) => /\(\w+\)\s+\[/.test(line))).toHaveLength(mobilenetV1().layers.length + 1);
  });

  it('adds roofline time and bound per layer, and the predicted total, for a device profile', () => {
    const profile: DeviceProfile = { name: 'test-device', peakFlops: 1e12, memoryBandwidth: 1e11 };
    const text = summary(mobilenetV2({ resolution: 96 }), { profile });
    expect(text).toMatch(/Layer \(type\)\s+Output shape\s+Params\s+Mult-adds\s+Time\s+Bound/);
    expect(text).toMatch(/\nblock_1_depthwise \(depthwiseConv2d\)\s+\[1, 24, 24, 96\]\s+864\s+[\d,]+\s+[\d.]+ [nµm]?s\s+memory\n/);
    expect(text).toMatch(/Predicted time on test-device \(roofline, 1,000 GFLOP\/s, 100 GB\/s\): [\d.]+ [nµm]?s\n$/);
  });

  it("predicts the int8 model's times with { dtype: 'int8' } at the profile's int8 peak, which it needs", () => {
    const profile: DeviceProfile = { name: 'test-device', peakFlops: 1e12, memoryBandwidth: 1e11, peakInt8Ops: 4e12 };
    const spec = mobilenetV2({ resolution: 96 });
    const text = summary(spec, { profile, dtype: 'int8' });
    expect(text).toMatch(/Predicted time on test-device \(roofline, 4,000 int8 GOP\/s, 100 GB\/s\): [\d.]+ [nµm]?s\n$/);
    const seconds = (t: string) => Number(/: ([\d.]+) µs\n$/.exec(t)?.[1]);
    expect(seconds(text), 'int8 moves a quarter of the bytes').toBeLessThan(seconds(summary(spec, { profile })) / 2);
    // A folded batch norm costs no time of its own.
    expect(text).toMatch(/\nblock_1_depthwise_BN \(batchNorm\)\s+\[1, 24, 24, 96\]\s+384\s+0\s+0\.00 ns\s+memory\n/);
    expect(() => summary(spec, { profile: { name: 'x', peakFlops: 1, memoryBandwidth: 1 }, dtype: 'int8' })).toThrow(
      /summary: options.profile must have peakInt8Ops/,
    );
    expect(() => summary(spec, { dtype: 'int4' as never })).toThrow(/summary: options.dtype/);
  });

  it('rejects a bad profile naming summary', () => {
    const profile: unknown = { name: 'x', peakFlops: 1 };
    expect(() => summary(mobilenetV1(), { profile: profile as DeviceProfile })).toThrow(ValueError);
    expect(() => summary(mobilenetV1(), { profile: profile as DeviceProfile })).toThrow(/summary: profile.memoryBandwidth/);
  });
});
