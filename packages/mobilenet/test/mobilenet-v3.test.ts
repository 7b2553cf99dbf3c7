// MobileNetV3 as Keras builds it: layer names and shapes, Keras's parameter counts (checked
// against the same recipe rebuilt in tfjs-layers, whose countParams is independent of
// @sepconv/cost), and multiply-adds against the paper's Table 3.
import { modelCost } from '@sepconv/cost';
import { modelWeights, type LayerSpec } from '@sepconv/graph';
import { ShapeError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { mobilenetV3, squeezeExciteBlock, type MobileNetV3Options } from '../src/spec/index.js';
import { kerasMobileNetV3 } from './support/keras-applications.js';

const byName = (layers: readonly LayerSpec[], name: string): LayerSpec => {
  const layer = layers.find((l) => l.name === name);
  if (layer === undefined) throw new Error(`no layer '${name}'`);
  return layer;
};

function tfjsModel(options: MobileNetV3Options) {
  return kerasMobileNetV3({
    variant: options.variant,
    alpha: options.alpha ?? 1,
    minimalistic: options.minimalistic ?? false,
    resolution: options.resolution ?? 224,
    classes: options.classes ?? 1000,
    includeTop: options.includeTop ?? true,
    includePreprocessing: options.includePreprocessing ?? true,
  });
}

describe('mobilenetV3: parameters as Keras counts them', () => {
  // Keras's model.summary() totals for MobileNetV3Large / MobileNetV3Small 1.0-224 with the top.
  it.each([
    [{ variant: 'large' } as const, 5_507_432],
    [{ variant: 'small' } as const, 2_554_968],
  ])('%j: %i parameters, as the tfjs-layers rebuild of the Keras recipe counts them too', (options, keras) => {
    const spec = mobilenetV3(options);
    expect(modelCost(spec).params.total).toBe(keras);
    const model = tfjsModel(options);
    expect(model.countParams()).toBe(keras);
    model.dispose();
  });

  it.each([
    { variant: 'large', alpha: 0.75 },
    { variant: 'small', alpha: 0.75 },
    { variant: 'large', minimalistic: true },
    { variant: 'small', minimalistic: true },
    { variant: 'large', alpha: 1.25, classes: 10 },
    { variant: 'small', includeTop: false },
  ] as const)('%j matches the tfjs-layers rebuild, weight for weight', (options) => {
    const spec = mobilenetV3({ ...options, resolution: 96 });
    const model = tfjsModel({ ...options, resolution: 96 });
    expect(modelCost(spec).params.total).toBe(model.countParams());
    // Same weight names and sizes: the names a Keras/TF.js MobileNetV3 file uses.
    const ours = new Map(modelWeights(spec).map((w) => [w.key, w.shape.reduce((a, b) => a * b, 1)]));
    const theirs = new Map(model.weights.map((w) => [w.originalName, w.shape.reduce((a: number, b) => a * (b ?? 0), 1)]));
    expect(ours).toEqual(theirs);
    model.dispose();
  });
});

describe('mobilenetV3: multiply-adds against the paper (Howard et al. 2019, Table 3)', () => {
  // The cost model counts the multiply-adds of every convolution and dense product, the
  // squeeze-and-excitation 1×1 convs included (on a 1×1 map: 2·C·C/4 per block), and nothing
  // for batch norm, activations (hard-swish, hard-sigmoid), pooling, SE's channel-wise
  // multiply or the residual adds, as the papers count. The paper's figures are rounded to
  // the million and come from TF-slim's counter; Keras's docstring lists 217M (Large) and 66M
  // (Small, which does not match its own architecture's 56.5M).
  it.each([
    ['Large 1.0', { variant: 'large' } as const, 216_589_760, 219e6],
    ['Large 0.75', { variant: 'large', alpha: 0.75 } as const, 154_560_624, 155e6],
    ['Small 1.0', { variant: 'small' } as const, 56_510_400, 56e6],
    ['Small 0.75', { variant: 'small', alpha: 0.75 } as const, 43_399_344, 44e6],
    ['Large minimalistic 1.0', { variant: 'large', minimalistic: true } as const, 209_136_704, 209e6],
  ])('%s: %s multiply-adds, within 1.5%% of the published %s', (_, options, exact, paper) => {
    const multAdds = modelCost(mobilenetV3(options)).multAdds;
    expect(multAdds).toBe(exact);
    expect(Math.abs(multAdds - paper) / paper).toBeLessThan(0.015);
  });

  it('SE costs its two 1×1 convs only: expanded_conv_3 (72 channels, squeeze 24) adds 2·72·24', () => {
    const cost = modelCost(mobilenetV3({ variant: 'large' }));
    const se = cost.layers.filter((l) => l.name.startsWith('expanded_conv_3/squeeze_excite/'));
    expect(se.map((l) => [l.name, l.multAdds])).toEqual([
      ['expanded_conv_3/squeeze_excite/AvgPool', 0],
      ['expanded_conv_3/squeeze_excite/Conv', 72 * 24],
      ['expanded_conv_3/squeeze_excite/Relu', 0],
      ['expanded_conv_3/squeeze_excite/Conv_1', 24 * 72],
      ['expanded_conv_3/squeeze_excite/hard_sigmoid', 0],
      ['expanded_conv_3/squeeze_excite/Mul', 0],
    ]);
  });
});

describe('mobilenetV3: layers as Keras names and shapes them', () => {
  it('Large: Rescaling, Conv + hard-swish, block 0 without expansion, SE in block 3, the head', () => {
    const spec = mobilenetV3({ variant: 'large' });
    expect(spec.name).toBe('mobilenetv3large_1.00_224');
    expect(spec.inputs).toEqual([{ name: 'input_1', shape: [1, 224, 224, 3] }]);
    expect(spec.layers.slice(0, 10).map((l) => `${l.name} ${l.type}`)).toEqual([
      'rescaling rescaling',
      'Conv conv2d',
      'Conv/BatchNorm batchNorm',
      'Conv/hard_swish activation',
      'expanded_conv/depthwise depthwiseConv2d',
      'expanded_conv/depthwise/BatchNorm batchNorm',
      'expanded_conv/depthwise/relu activation',
      'expanded_conv/project pointwiseConv2d',
      'expanded_conv/project/BatchNorm batchNorm',
      'expanded_conv/Add add',
    ]);
    expect(byName(spec.layers, 'rescaling')).toMatchObject({ scale: 1 / 127.5, offset: -1 });
    expect(byName(spec.layers, 'Conv/hard_swish')).toMatchObject({ activation: 'hardSwish' });
    expect(byName(spec.layers, 'expanded_conv/Add').inputs).toEqual(['Conv/hard_swish', 'expanded_conv/project/BatchNorm']);
    // Block 3: 24 -> 72 channels (×3), 5×5 stride-2 depthwise, SE with ReLU, project to 40.
    expect(byName(spec.layers, 'expanded_conv_3/expand').outputShape).toEqual([1, 56, 56, 72]);
    expect(byName(spec.layers, 'expanded_conv_3/depthwise')).toMatchObject({
      kernelSize: [5, 5],
      strides: [2, 2],
      padding: 'same',
      outputShape: [1, 28, 28, 72],
    });
    expect(byName(spec.layers, 'expanded_conv_3/squeeze_excite/AvgPool')).toMatchObject({
      outputShape: [1, 1, 1, 72],
      keepDims: true,
      inputs: ['expanded_conv_3/depthwise/relu'],
    });
    expect(byName(spec.layers, 'expanded_conv_3/squeeze_excite/Conv')).toMatchObject({ outChannels: 24, useBias: true });
    expect(byName(spec.layers, 'expanded_conv_3/squeeze_excite/hard_sigmoid')).toMatchObject({ activation: 'hardSigmoid' });
    expect(byName(spec.layers, 'expanded_conv_3/squeeze_excite/Mul')).toMatchObject({
      type: 'mul',
      inputs: ['expanded_conv_3/depthwise/relu', 'expanded_conv_3/squeeze_excite/hard_sigmoid'],
      outputShape: [1, 28, 28, 72],
    });
    expect(byName(spec.layers, 'expanded_conv_3/project').inputs).toEqual(['expanded_conv_3/squeeze_excite/Mul']);
    // Hard-swish from block 6 on; 2.5 × 80 = 200 and 2.3 × 80 = 184 channels.
    expect(byName(spec.layers, 'expanded_conv_6/expand/hard_swish')).toMatchObject({ activation: 'hardSwish' });
    expect(byName(spec.layers, 'expanded_conv_7/expand').outputShape[3]).toBe(200);
    expect(byName(spec.layers, 'expanded_conv_8/expand').outputShape[3]).toBe(184);
    expect(spec.layers.filter((l) => l.type === 'add').map((l) => l.name)).toEqual(
      [0, 2, 4, 5, 7, 8, 9, 11, 13, 14].map((id) => (id === 0 ? 'expanded_conv/Add' : `expanded_conv_${id}/Add`)),
    );
    expect(spec.layers.slice(-10, -1).map((l) => `${l.name} ${l.type} ${JSON.stringify(l.outputShape)}`)).toEqual([
      'Conv_1 pointwiseConv2d [1,7,7,960]',
      'Conv_1/BatchNorm batchNorm [1,7,7,960]',
      'Conv_1/hard_swish activation [1,7,7,960]',
      'global_average_pooling2d pool [1,1,1,960]',
      'Conv_2 pointwiseConv2d [1,1,1,1280]',
      'Conv_2/hard_swish activation [1,1,1,1280]',
      'dropout dropout [1,1,1,1280]',
      'Logits pointwiseConv2d [1,1,1,1000]',
      'flatten reshape [1,1000]',
    ]);
    expect(byName(spec.layers, 'Conv_2')).toMatchObject({ useBias: true });
    expect(byName(spec.layers, 'dropout')).toMatchObject({ rate: 0.2 });
    expect(spec.layers.at(-1)).toMatchObject({ name: 'Predictions', activation: 'softmax' });
    expect(spec.outputs).toEqual(['Predictions']);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('Small: SE already in block 0 (stride 2), 576-wide Conv_1, 1024-wide Conv_2', () => {
    const spec = mobilenetV3({ variant: 'small', resolution: 160 });
    expect(byName(spec.layers, 'expanded_conv/depthwise')).toMatchObject({ strides: [2, 2], outputShape: [1, 40, 40, 16] });
    expect(byName(spec.layers, 'expanded_conv/squeeze_excite/Conv')).toMatchObject({ outChannels: 8 });
    expect(spec.layers.some((l) => l.name === 'expanded_conv/Add')).toBe(false);
    expect(byName(spec.layers, 'expanded_conv_1/expand').outputShape).toEqual([1, 40, 40, 72]);
    expect(byName(spec.layers, 'expanded_conv_2/expand').outputShape).toEqual([1, 20, 20, 88]);
    expect(byName(spec.layers, 'Conv_1').outputShape).toEqual([1, 5, 5, 576]);
    expect(byName(spec.layers, 'Conv_2').outputShape).toEqual([1, 1, 1, 1024]);
  });

  it('minimalistic: no SE, ReLU everywhere, 3×3 depthwise kernels only', () => {
    const spec = mobilenetV3({ variant: 'large', minimalistic: true });
    expect(spec.layers.some((l) => l.name.includes('squeeze_excite'))).toBe(false);
    const activations = new Set(spec.layers.flatMap((l) => (l.type === 'activation' ? [l.activation] : [])));
    expect(activations).toEqual(new Set(['relu', 'softmax']));
    expect(new Set(spec.layers.flatMap((l) => (l.type === 'depthwiseConv2d' ? [l.kernelSize.join('x')] : [])))).toEqual(new Set(['3x3']));
    expect(spec.name).toBe('mobilenetv3large_minimalistic_1.00_224');
  });

  it('options: no preprocessing, no top with pooling, logits, no dropout, batch, odd resolution', () => {
    const bare = mobilenetV3({ variant: 'small', includePreprocessing: false, includeTop: false, pooling: 'avg', batch: 2, resolution: 75 });
    expect(bare.layers[0]!.name).toBe('Conv');
    expect(bare.layers.at(-1)).toMatchObject({ name: 'avg_pool', type: 'pool', outputShape: [2, 576] });
    expect(byName(bare.layers, 'Conv').outputShape).toEqual([2, 38, 38, 16]);
    const logits = mobilenetV3({ variant: 'large', classifierActivation: 'linear', dropout: 0, classes: 10 });
    expect(logits.layers.some((l) => l.type === 'dropout')).toBe(false);
    expect(logits.layers.at(-1)).toMatchObject({ name: 'Predictions', activation: 'linear', outputShape: [1, 10] });
    expect(mobilenetV3({ variant: 'large', includeTop: false }).layers.at(-1)!.name).toBe('Conv_1/hard_swish');
  });

  it('bad options are typed errors naming mobilenetV3 and the option', () => {
    expect(() => mobilenetV3(undefined as unknown as MobileNetV3Options)).toThrow(ValueError);
    expect(() => mobilenetV3({} as MobileNetV3Options)).toThrow(/mobilenetV3: options.variant must be 'large' or 'small'/);
    expect(() => mobilenetV3({ variant: 'medium' as 'large' })).toThrow(/mobilenetV3: options.variant must be one of 'large', 'small', got 'medium'/);
    expect(() => mobilenetV3({ variant: 'large', resolution: 31 })).toThrow(/mobilenetV3: options.resolution must be an integer >= 32/);
    expect(() => mobilenetV3({ variant: 'large', alpha: 0 })).toThrow(/options.alpha/);
    expect(() => mobilenetV3({ variant: 'large', dropout: 1 })).toThrow(/mobilenetV3: options.dropout must be a number in \[0, 1\)/);
    expect(() => mobilenetV3({ variant: 'large', classifierActivation: 'relu' as 'linear' })).toThrow(/options.classifierActivation/);
    expect(() => mobilenetV3({ variant: 'large', minimalistic: 1 as unknown as boolean })).toThrow(/options.minimalistic must be true or false/);
    expect(() => mobilenetV3({ variant: 'large', pooling: 'sum' as 'avg' })).toThrow(/options.pooling/);
  });
});

describe('squeezeExciteBlock', () => {
  it('pools, squeezes to makeDivisible(C/4), excites back to C and multiplies the named input', () => {
    const layers = squeezeExciteBlock({ inputShape: [2, 5, 5, 36], inputName: 'x', prefix: 'b/' });
    expect(layers.map((l) => [l.name, l.outputShape])).toEqual([
      ['b/squeeze_excite/AvgPool', [2, 1, 1, 36]],
      ['b/squeeze_excite/Conv', [2, 1, 1, 16]],
      ['b/squeeze_excite/Relu', [2, 1, 1, 16]],
      ['b/squeeze_excite/Conv_1', [2, 1, 1, 36]],
      ['b/squeeze_excite/hard_sigmoid', [2, 1, 1, 36]],
      ['b/squeeze_excite/Mul', [2, 5, 5, 36]],
    ]);
    expect(squeezeExciteBlock({ inputShape: [1, 4, 4, 64], inputName: 'x', ratio: 0.5 })[1]).toMatchObject({
      name: 'squeeze_excite/Conv',
      outChannels: 32,
    });
  });

  it('bad options are typed errors naming squeezeExciteBlock', () => {
    expect(() => squeezeExciteBlock({ inputShape: [1, 4, 4], inputName: 'x' })).toThrow(ShapeError);
    expect(() => squeezeExciteBlock({ inputShape: [1, 4, 4, 8], inputName: '' })).toThrow(
      /squeezeExciteBlock: options.inputName must name the tensor/,
    );
    expect(() => squeezeExciteBlock({ inputShape: [1, 4, 4, 8], inputName: 'x', ratio: -1 })).toThrow(
      /squeezeExciteBlock: options.ratio must be a positive number/,
    );
    expect(() => squeezeExciteBlock({ inputShape: [1, 4, 4, 8], inputName: 'x', prefix: 3 as unknown as string })).toThrow(
      /options.prefix must be a string/,
    );
  });
});
