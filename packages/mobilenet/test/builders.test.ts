import { modelCost } from '@sepconv/cost';
import { modelOutputShape, modelInput, modelSpec, type LayerSpec } from '@sepconv/graph';
import { ShapeError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { depthwiseSeparableBlock, invertedResidualBlock, makeDivisible, mobilenetV1, mobilenetV2 } from '../src/index.js';

const names = (layers: readonly LayerSpec[]): string[] => layers.map((layer) => layer.name);

describe('mobilenetV1', () => {
  it("builds Keras's layer list with Keras's names and shapes", () => {
    const spec = mobilenetV1();
    expect(spec.name).toBe('mobilenet_1.00_224');
    expect(modelInput(spec).shape).toEqual([1, 224, 224, 3]);
    expect(modelOutputShape(spec)).toEqual([1, 1000]);
    expect(names(spec.layers).slice(0, 9)).toEqual([
      'conv1',
      'conv1_bn',
      'conv1_relu',
      'conv_dw_1',
      'conv_dw_1_bn',
      'conv_dw_1_relu',
      'conv_pw_1',
      'conv_pw_1_bn',
      'conv_pw_1_relu',
    ]);
    expect(names(spec.layers).slice(-5)).toEqual(['global_average_pooling2d', 'dropout', 'conv_preds', 'reshape_2', 'predictions']);
    expect(spec.layers).toHaveLength(3 + 13 * 6 + 5);
    expect(spec.layers.filter((layer) => layer.type === 'depthwiseConv2d')).toHaveLength(13);
    expect(spec.layers.find((layer) => layer.name === 'conv_pw_13')!.outputShape).toEqual([1, 7, 7, 1024]);
    // Keras pads strided depthwise layers bottom/right only.
    expect(spec.layers.find((layer) => layer.name === 'conv_dw_2')).toMatchObject({
      strides: [2, 2],
      padding: { top: 0, bottom: 1, left: 0, right: 1 },
      outputShape: [1, 56, 56, 64],
    });
  });

  it('applies alpha (floor of the scaled width), resolution, classes, batch and the depth multiplier', () => {
    const spec = mobilenetV1({ alpha: 0.75, resolution: 160, classes: 10, batch: 2, depthMultiplier: 2 });
    expect(spec.name).toBe('mobilenet_0.75_160');
    expect(spec.layers[0]!.outputShape).toEqual([2, 80, 80, 24]);
    expect(spec.layers.find((layer) => layer.name === 'conv_dw_1')!.outputShape).toEqual([2, 80, 80, 48]);
    expect(modelOutputShape(spec)).toEqual([2, 10]);
  });

  it('without the top ends at the 7x7 map, or pooled', () => {
    expect(modelOutputShape(mobilenetV1({ includeTop: false }))).toEqual([1, 7, 7, 1024]);
    expect(mobilenetV1({ includeTop: false, pooling: 'max' }).layers.at(-1)).toMatchObject({ name: 'global_max_pooling2d', outputShape: [1, 1024] });
  });

  it("an odd resolution follows Keras's bottom/right padding", () => {
    expect(mobilenetV1({ resolution: 225 }).layers.find((layer) => layer.name === 'conv_dw_2')!.outputShape).toEqual([1, 56, 56, 64]);
  });

  it('specs are plain data: a JSON round trip counts the same', () => {
    const spec = mobilenetV1({ alpha: 0.5, resolution: 128 });
    expect(modelCost(JSON.parse(JSON.stringify(spec)))).toEqual(modelCost(spec));
  });

  it.each([
    [{ alpha: 0 }, ValueError, /mobilenetV1: options.alpha must be a positive number, got 0/],
    [{ alpha: 0.01 }, ValueError, /options.alpha 0.01 leaves 32 channels with none/],
    [{ resolution: 22.5 }, ValueError, /mobilenetV1: options.resolution must be an integer >= 1, got 22.5/],
    [{ classes: 0 }, ValueError, /options.classes/],
    [{ batch: -1 }, ValueError, /options.batch must be an integer >= 0/],
    [{ convolutions: 'grouped' }, ValueError, /options.convolutions must be one of 'separable', 'standard', got 'grouped'/],
    [{ includeTop: 'yes' }, ValueError, /options.includeTop must be true or false/],
    [{ resolution: 2 }, ShapeError, /mobilenetV1: options.resolution 2 is too small for the network/],
  ])('rejects %j', (options, type, message) => {
    const given: unknown = options;
    expect(() => mobilenetV1(given as Parameters<typeof mobilenetV1>[0])).toThrow(type);
    expect(() => mobilenetV1(given as Parameters<typeof mobilenetV1>[0])).toThrow(message);
  });
});

describe('mobilenetV2', () => {
  it("builds Keras's layer list: 17 blocks, 10 residual adds, 1280-channel head", () => {
    const spec = mobilenetV2();
    expect(spec.name).toBe('mobilenetv2_1.00_224');
    expect(modelOutputShape(spec)).toEqual([1, 1000]);
    expect(names(spec.layers).slice(0, 8)).toEqual([
      'Conv1',
      'bn_Conv1',
      'Conv1_relu',
      'expanded_conv_depthwise',
      'expanded_conv_depthwise_BN',
      'expanded_conv_depthwise_relu',
      'expanded_conv_project',
      'expanded_conv_project_BN',
    ]);
    expect(names(spec.layers).slice(-5)).toEqual(['Conv_1', 'Conv_1_bn', 'out_relu', 'global_average_pooling2d', 'predictions']);
    const adds = spec.layers.filter((layer) => layer.type === 'add');
    expect(names(adds)).toEqual([2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map((id) => `block_${id}_add`));
    expect(adds[0]).toMatchObject({ inputs: ['block_1_project_BN', 'block_2_project_BN'], outputShape: [1, 56, 56, 24] });
    expect(spec.layers.find((layer) => layer.name === 'block_16_project')!.outputShape).toEqual([1, 7, 7, 320]);
    expect(spec.layers.find((layer) => layer.name === 'predictions')).toMatchObject({
      type: 'dense',
      units: 1000,
      useBias: true,
      activation: 'softmax',
    });
  });

  it('rounds widths to multiples of 8 as Keras; the head widens only for alpha > 1', () => {
    const narrow = mobilenetV2({ alpha: 0.35 });
    expect(narrow.layers[0]!.outputShape[3]).toBe(16);
    expect(narrow.layers.find((layer) => layer.name === 'expanded_conv_project')!.outputShape[3]).toBe(8);
    expect(narrow.layers.find((layer) => layer.name === 'Conv_1')!.outputShape[3]).toBe(1280);
    expect(mobilenetV2({ alpha: 1.4 }).layers.find((layer) => layer.name === 'Conv_1')!.outputShape[3]).toBe(1792);
  });

  it('rejects bad options naming mobilenetV2', () => {
    expect(() => mobilenetV2({ alpha: -1 })).toThrow(/mobilenetV2: options.alpha must be a positive number/);
    const pooling: unknown = { includeTop: false, pooling: 'sum' };
    expect(() => mobilenetV2(pooling as Parameters<typeof mobilenetV2>[0])).toThrow(/options.pooling must be one of 'avg', 'max'/);
  });
});

describe('makeDivisible', () => {
  it.each([
    [32, 32],
    [11.2, 16],
    [12, 16],
    [16 * 0.35, 8],
    [24 * 0.75, 24],
    [1280 * 1.4, 1792],
    [3, 8],
    [36, 40],
  ])('%s -> %s', (value, expected) => {
    expect(makeDivisible(value)).toBe(expected);
  });

  it('never goes more than 10% below the value', () => {
    // 19 rounds to 16, 16% below: bumped to 24.
    expect(makeDivisible(19)).toBe(24);
  });
});

describe('block builders', () => {
  it('depthwiseSeparableBlock: dw, bn, relu6, pw, bn, relu6 with Keras names; composes into a model', () => {
    const layers = depthwiseSeparableBlock({ blockId: 4, inputShape: [1, 8, 8, 16], outChannels: 32, strides: 2 });
    expect(names(layers)).toEqual(['conv_dw_4', 'conv_dw_4_bn', 'conv_dw_4_relu', 'conv_pw_4', 'conv_pw_4_bn', 'conv_pw_4_relu']);
    expect(layers.at(-1)!.outputShape).toEqual([1, 4, 4, 32]);
    const model = modelSpec({ name: 'tiny', inputShape: [1, 8, 8, 16], layers });
    expect(modelCost(model).multAdds).toBe(4 * 4 * 16 * 9 + 4 * 4 * 16 * 32);
  });

  it('invertedResidualBlock: expand, depthwise, linear projection, and an add when shapes allow', () => {
    const withAdd = invertedResidualBlock({ blockId: 3, inputName: 'stem', inputShape: [1, 8, 8, 16], outChannels: 16, expansion: 6 });
    expect(names(withAdd)).toEqual([
      'block_3_expand',
      'block_3_expand_BN',
      'block_3_expand_relu',
      'block_3_depthwise',
      'block_3_depthwise_BN',
      'block_3_depthwise_relu',
      'block_3_project',
      'block_3_project_BN',
      'block_3_add',
    ]);
    expect(withAdd[0]!.outputShape).toEqual([1, 8, 8, 96]);
    expect(withAdd.at(-1)).toMatchObject({ type: 'add', inputs: ['stem', 'block_3_project_BN'] });
    expect(withAdd.some((layer) => layer.type === 'activation' && layer.name === 'block_3_project_relu')).toBe(false);
    const strided = invertedResidualBlock({ blockId: 3, inputName: 'stem', inputShape: [1, 8, 8, 16], outChannels: 16, strides: 2 });
    expect(strided.some((layer) => layer.type === 'add')).toBe(false);
    const noExpansion = invertedResidualBlock({ blockId: 0, inputName: 'stem', inputShape: [1, 8, 8, 16], outChannels: 8, expansion: 1 });
    expect(names(noExpansion)[0]).toBe('expanded_conv_depthwise');
  });

  it('rejects bad block options naming the builder', () => {
    expect(() => invertedResidualBlock({ inputName: '', inputShape: [1, 8, 8, 16], outChannels: 8 })).toThrow(
      /invertedResidualBlock: options.inputName/,
    );
    expect(() => invertedResidualBlock({ inputName: 'x', inputShape: [8, 8, 16], outChannels: 8 })).toThrow(ShapeError);
    expect(() => depthwiseSeparableBlock({ inputShape: [1, 8, 8, 16], outChannels: 0 })).toThrow(
      /pointwiseConv2dLayer: options.outChannels must be a positive integer/,
    );
  });
});

describe('small resolutions', () => {
  it("mobilenetV2 pads 'same' everywhere, so any resolution gives a (tiny) network", () => {
    expect(mobilenetV2({ resolution: 1 }).layers.find((layer) => layer.name === 'out_relu')!.outputShape).toEqual([1, 1, 1, 1280]);
  });
});
