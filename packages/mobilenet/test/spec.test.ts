// The spec half as users reach it through @sepconv/mobilenet.
import { modelCost } from '@sepconv/cost';
import { modelOutputShape, modelSpec } from '@sepconv/graph';
import { describe, expect, it } from 'vitest';
import { depthwiseSeparableBlock, invertedResidualBlock, mobilenetV1, mobilenetV2, summary } from '../src/index.js';

describe('@sepconv/mobilenet specs', () => {
  it('mobilenetV1 1.0-224: 568,740,352 mult-adds, Keras params 4,253,864 (4,209,088 weights)', () => {
    const cost = modelCost(mobilenetV1());
    expect(cost.multAdds).toBe(568_740_352);
    expect(cost.params).toEqual({ total: 4_253_864, trainable: 4_231_976, weights: 4_209_088 });
  });

  it('mobilenetV2 1.0-224: 300,774,272 mult-adds, Keras params 3,538,984', () => {
    const cost = modelCost(mobilenetV2());
    expect(cost.multAdds).toBe(300_774_272);
    expect(cost.params.total).toBe(3_538_984);
  });

  it('summary prints a Keras-style table with totals', () => {
    const text = summary(mobilenetV2({ alpha: 0.35, resolution: 96, classes: 10 }));
    expect(text).toMatch(/^Model: "mobilenetv2_0\.35_96"\n/);
    expect(text).toMatch(/\nblock_2_add \(add\)\s+\[1, 24, 24, 8\]\s+0\s+0\n/);
    expect(text).toMatch(/\npredictions \(dense\)\s+\[1, 10\]\s+12,810\s+12,800\n/);
    expect(text).toMatch(/\nTotal params: [\d,]+\nTrainable params: [\d,]+\n/);
  });

  it("block builders compose into a user's own model", () => {
    const stem = depthwiseSeparableBlock({ blockId: 1, inputShape: [1, 32, 32, 16], outChannels: 24 });
    const stemOut = stem.at(-1)!;
    const block = invertedResidualBlock({ blockId: 2, inputName: stemOut.name, inputShape: stemOut.outputShape, outChannels: 24 });
    const spec = modelSpec({ name: 'custom', inputShape: [1, 32, 32, 16], layers: [...stem, ...block] });
    expect(modelOutputShape(spec)).toEqual([1, 32, 32, 24]);
    expect(spec.layers.at(-1)).toMatchObject({ type: 'add', inputs: ['conv_pw_1_relu', 'block_2_project_BN'] });
    const layers = modelCost(spec).layers;
    expect(layers.find((layer) => layer.name === 'block_2_expand')!.multAdds).toBe(32 * 32 * 24 * 144);
  });
});
