import { ShapeError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import {
  activationLayer,
  addLayer,
  concatLayer,
  conv2dLayer,
  elementwiseLayer,
  layerInputShapes,
  layerWeights,
  modelInput,
  modelOutputShape,
  modelSpec,
  padLayer,
  pointwiseConv2dLayer,
  poolLayer,
  resizeBilinearLayer,
  tensorShapes,
  type LayerSpec,
} from '../src/index.js';

describe('the graph layer kinds', () => {
  it('element-wise layers broadcast NumPy-style; SE multiply is [N,H,W,C] × [N,1,1,C]', () => {
    const se = elementwiseLayer({
      op: 'mul',
      name: 'se_mul',
      inputShapes: [
        [2, 7, 7, 16],
        [2, 1, 1, 16],
      ],
      inputs: ['x', 'gate'],
    });
    expect(se).toMatchObject({
      type: 'mul',
      inputShape: [2, 7, 7, 16],
      inputShapes: [
        [2, 7, 7, 16],
        [2, 1, 1, 16],
      ],
      outputShape: [2, 7, 7, 16],
      inputs: ['x', 'gate'],
    });
    expect(
      elementwiseLayer({
        op: 'sub',
        inputShapes: [
          [1, 3],
          [4, 1],
        ],
      }).outputShape,
    ).toEqual([4, 3]);
    expect(elementwiseLayer({ op: 'div', inputShape: [1, 2, 2, 3] })).toMatchObject({
      name: 'divide',
      inputShapes: [
        [1, 2, 2, 3],
        [1, 2, 2, 3],
      ],
    });
    expect(() =>
      elementwiseLayer({
        op: 'add',
        inputShapes: [
          [1, 4, 4, 3],
          [1, 4, 4, 2],
        ],
      }),
    ).toThrow(/addLayer: the operands \[1, 4, 4, 3\] and \[1, 4, 4, 2\] do not broadcast/);
    const pow: unknown = 'pow';
    expect(() => elementwiseLayer({ op: pow as 'add', inputShape: [1, 2] })).toThrow(ValueError);
    expect(() =>
      elementwiseLayer({
        op: 'add',
        inputShape: [1, 2],
        inputShapes: [
          [1, 2],
          [1, 2],
        ],
      }),
    ).toThrow(/not both/);
  });

  it('a constant operand makes a one-tensor layer with a weight, on either side, never enlarging its input', () => {
    const scale = elementwiseLayer({ op: 'mul', name: 'scale', inputShape: [1, 8, 8, 3], constant: { shape: [] } });
    expect(scale).toMatchObject({ inputShapes: [[1, 8, 8, 3]], outputShape: [1, 8, 8, 3], constant: { shape: [], side: 'right' } });
    expect(elementwiseLayer({ op: 'sub', inputShape: [1, 8, 8, 3], constant: { shape: [3], side: 'left' } }).constant).toEqual({
      shape: [3],
      side: 'left',
    });
    expect(() => elementwiseLayer({ op: 'mul', inputShape: [1, 1, 1, 3], constant: { shape: [4, 1, 3] } })).toThrow(
      /a constant must not enlarge its input/,
    );
    expect(() => elementwiseLayer({ op: 'mul', inputShape: [1, 8, 8, 3], constant: { shape: [2] } })).toThrow(ShapeError);
    expect(() => elementwiseLayer({ op: 'mul', inputShape: [1, 8, 8, 3], constant: { shape: [0] } })).toThrow(
      /options.constant.shape must be positive integer dimensions/,
    );
    expect(() => elementwiseLayer({ op: 'mul', inputShape: [1, 8], constant: { shape: [], side: 'up' as 'left' } })).toThrow(
      /options.constant.side must be 'left' or 'right'/,
    );
    expect(() => elementwiseLayer({ op: 'mul', inputShape: [1, 8], constant: { shape: [] }, inputs: ['a', 'b'] })).toThrow(
      /options.inputs must be one tensor name/,
    );
  });

  it("the constant is the layer's one weight, `<layer>/constant`, not trainable; a two-tensor layer has none", () => {
    expect(layerWeights(elementwiseLayer({ op: 'sub', inputShape: [1, 4, 4, 3], constant: { shape: [3] } }))).toEqual([
      { name: 'constant', shape: [3], equivalentShapes: [], role: 'constant', trainable: false, fanIn: 0 },
    ]);
    expect(layerWeights(elementwiseLayer({ op: 'mul', inputShape: [1, 4] }))).toEqual([]);
  });

  it('activation layers take MobileNetV3 activations', () => {
    for (const activation of ['sigmoid', 'hardSigmoid', 'hardSwish'] as const) {
      expect(activationLayer({ inputShape: [1, 4, 4, 8], activation })).toMatchObject({ name: activation, activation, outputShape: [1, 4, 4, 8] });
    }
  });

  it('concat sums the axis (channels by default) and checks the other dimensions', () => {
    const layer = concatLayer({
      inputShapes: [
        [1, 4, 4, 3],
        [1, 4, 4, 5],
        [1, 4, 4, 1],
      ],
      inputs: ['a', 'b', 'c'],
    });
    expect(layer).toMatchObject({ name: 'concatenate', axis: 3, outputShape: [1, 4, 4, 9], inputShape: [1, 4, 4, 3] });
    expect(
      concatLayer({
        inputShapes: [
          [1, 2, 4, 3],
          [1, 5, 4, 3],
        ],
        axis: 1,
      }).outputShape,
    ).toEqual([1, 7, 4, 3]);
    expect(() =>
      concatLayer({
        inputShapes: [
          [1, 4, 4, 3],
          [1, 4, 5, 3],
        ],
      }),
    ).toThrow(/concatLayer: options.inputShapes\[1\] \[1, 4, 5, 3\] must equal \[1, 4, 4, 3\] except along axis 3/);
    expect(() =>
      concatLayer({
        inputShapes: [
          [1, 4],
          [1, 4],
        ],
        axis: 0,
      }),
    ).toThrow(/not be the batch axis/);
    expect(() => concatLayer({ inputShapes: [[1, 4]], axis: 2 })).toThrow(/options.axis must be an integer in \[-2, 1\]/);
    expect(() => concatLayer({ inputShapes: [] })).toThrow(/one or more shapes/);
    expect(() =>
      concatLayer({
        inputShapes: [
          [1, 4],
          [1, 4],
        ],
        inputs: ['a'],
      }),
    ).toThrow(/options.inputs must be 2 tensor names/);
  });

  it('pad adds rows and columns; negative or fractional amounts are refused', () => {
    expect(padLayer({ inputShape: [2, 5, 6, 3], padding: { top: 0, bottom: 1, left: 2, right: 1 } })).toMatchObject({
      name: 'zero_padding2d',
      outputShape: [2, 6, 9, 3],
      value: 0,
    });
    expect(padLayer({ inputShape: [1, 1, 1, 1], padding: { top: 1, bottom: 1, left: 1, right: 1 }, value: -1 }).value).toBe(-1);
    expect(() => padLayer({ inputShape: [1, 5, 5, 3], padding: { top: -1, bottom: 0, left: 0, right: 0 } })).toThrow(
      /padLayer: options.padding.top must be a non-negative integer/,
    );
    expect(() => padLayer({ inputShape: [1, 5, 3], padding: { top: 1, bottom: 0, left: 0, right: 0 } })).toThrow(
      /padLayer: options.inputShape must be rank 4/,
    );
  });

  it('resizeBilinear: TF2 half-pixel centres by default, align corners as TF1, not both', () => {
    expect(resizeBilinearLayer({ inputShape: [1, 4, 5, 2], size: [8, 10] })).toMatchObject({
      outputShape: [1, 8, 10, 2],
      alignCorners: false,
      halfPixelCenters: true,
    });
    expect(resizeBilinearLayer({ inputShape: [1, 4, 5, 2], size: 3, alignCorners: true })).toMatchObject({
      outputShape: [1, 3, 3, 2],
      halfPixelCenters: false,
    });
    expect(() => resizeBilinearLayer({ inputShape: [1, 4, 5, 2], size: 3, alignCorners: true, halfPixelCenters: true })).toThrow(
      /cannot both be true/,
    );
    expect(() => resizeBilinearLayer({ inputShape: [1, 4, 5, 2], size: [0, 3] })).toThrow(
      /resizeBilinearLayer: options.size must be a positive integer/,
    );
  });

  it('layerInputShapes lists one shape per tensor input', () => {
    expect(layerInputShapes(padLayer({ inputShape: [1, 2, 2, 1], padding: { top: 1, bottom: 1, left: 1, right: 1 } }))).toEqual([[1, 2, 2, 1]]);
    expect(layerInputShapes(addLayer({ inputShape: [1, 2], inputs: ['a', 'b'] }))).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('builders copy inputs, never alias them', () => {
    const inputs = ['x'];
    const layer = activationLayer({ inputShape: [1, 2], activation: 'relu', inputs });
    inputs[0] = 'y';
    expect(layer.inputs).toEqual(['x']);
  });
});

/** A two-headed graph with a shared backbone: the image in, a pooled head and a resized head out. */
function twoHeads(): LayerSpec[] {
  const stem = conv2dLayer({ name: 'stem', inputShape: [1, 8, 8, 3], kernelSize: 3, outChannels: 4, padding: 'same' });
  const pooled = poolLayer({ name: 'pooled', inputShape: stem.outputShape, mode: 'avg', global: true, keepDims: true });
  const gate = activationLayer({ name: 'gate', inputShape: pooled.outputShape, activation: 'hardSigmoid' });
  const scaled = elementwiseLayer({ op: 'mul', name: 'scaled', inputShapes: [stem.outputShape, gate.outputShape], inputs: ['stem', 'gate'] });
  const head = pointwiseConv2dLayer({ name: 'head', inputShape: scaled.outputShape, outChannels: 2 });
  const up = resizeBilinearLayer({ name: 'up', inputShape: stem.outputShape, size: [16, 16], inputs: ['stem'] });
  return [stem, pooled, gate, scaled, head, up];
}

describe('modelSpec graphs', () => {
  it('several outputs share a backbone; the default-previous rule fills inputs', () => {
    const spec = modelSpec({ name: 'heads', inputShape: [1, 8, 8, 3], layers: twoHeads(), outputs: ['head', 'up'] });
    expect(spec.outputs).toEqual(['head', 'up']);
    expect(Object.fromEntries(spec.layers.map((l) => [l.name, l.inputs]))).toEqual({
      stem: ['input'],
      pooled: ['stem'],
      gate: ['pooled'],
      scaled: ['stem', 'gate'],
      head: ['scaled'],
      up: ['stem'],
    });
    expect(modelOutputShape(spec, 'up')).toEqual([1, 16, 16, 4]);
    expect(() => modelOutputShape(spec)).toThrow(/has 2 outputs \('head', 'up'\); name one/);
    expect(() => modelOutputShape(spec, 'stem')).toThrow(/'stem' is not an output/);
    expect(tensorShapes(spec).get('pooled')).toEqual([1, 1, 1, 4]);
    expect(modelInput(spec)).toEqual({ name: 'input', shape: [1, 8, 8, 3] });
    expect(modelSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });

  it('several inputs, concat, and layers listed before what they consume (sorted, stably)', () => {
    const a = pointwiseConv2dLayer({ name: 'a', inputShape: [1, 4, 4, 3], outChannels: 2, inputs: ['left'] });
    const b = pointwiseConv2dLayer({ name: 'b', inputShape: [1, 4, 4, 1], outChannels: 5, inputs: ['right'] });
    const joined = concatLayer({
      name: 'joined',
      inputShapes: [
        [1, 4, 4, 2],
        [1, 4, 4, 5],
      ],
      inputs: ['a', 'b'],
    });
    const padded = padLayer({
      name: 'padded',
      inputShape: joined.outputShape,
      padding: { top: 1, bottom: 1, left: 0, right: 0 },
      inputs: ['joined'],
    });
    const spec = modelSpec({
      name: 'two-in',
      inputs: [
        { name: 'left', shape: [1, 4, 4, 3] },
        { name: 'right', shape: [1, 4, 4, 1] },
      ],
      layers: [padded, joined, a, b],
      outputs: ['padded'],
    });
    expect(spec.layers.map((l) => l.name)).toEqual(['a', 'b', 'joined', 'padded']);
    expect(() => modelInput(spec)).toThrow(/has 2 inputs \('left', 'right'\)/);
    expect(modelOutputShape(spec)).toEqual([1, 6, 4, 7]);
  });

  it('keeps a list already in order unchanged', () => {
    const layers = twoHeads();
    const spec = modelSpec({ name: 'heads', inputShape: [1, 8, 8, 3], layers, outputs: ['head', 'up'] });
    expect(spec.layers.map((l) => l.name)).toEqual(layers.map((l) => l.name));
  });

  const relu = (name: string, inputs?: string[]): LayerSpec =>
    activationLayer({ name, inputShape: [1, 4], activation: 'relu', ...(inputs === undefined ? {} : { inputs }) });
  it.each<[string, () => unknown, RegExp]>([
    [
      'a cycle, named along its path',
      () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [relu('a', ['c']), relu('b', ['a']), relu('c', ['b']), relu('d', ['input'])] }),
      /modelSpec: the layers form a cycle: 'a' → 'b' → 'c' → 'a'/,
    ],
    [
      'a layer consuming itself',
      () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [relu('a', ['a'])] }),
      /the layers form a cycle: 'a' → 'a'/,
    ],
    [
      'a dangling input',
      () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [relu('a'), relu('b', ['nope'])] }),
      /layers\[1\] \('b'\): input 'nope' is neither a model input nor a layer/,
    ],
    [
      'a two-input layer without inputs',
      () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [addLayer({ name: 'sum', inputShape: [1, 4] })] }),
      /layers\[0\] \('sum'\) takes 2 inputs: name them/,
    ],
    [
      'an unknown output',
      () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [relu('a')], outputs: ['b'] }),
      /options.outputs\[0\]: 'b' is not a layer of the model/,
    ],
    ['the input as an output', () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [relu('a')], outputs: ['input'] }), /'input' is not a layer/],
    ['an output listed twice', () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [relu('a')], outputs: ['a', 'a'] }), /'a' is listed twice/],
    [
      'a layer named as an input',
      () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [relu('input')] }),
      /layers\[0\] \('input'\): the name is already used by a model input/,
    ],
    [
      'two inputs of one name',
      () =>
        modelSpec({
          name: 'm',
          inputs: [
            { name: 'x', shape: [1, 4] },
            { name: 'x', shape: [1, 4] },
          ],
          layers: [relu('a')],
        }),
      /options.inputs\[1\]: the name 'x' is already used/,
    ],
    [
      'inputs and inputShape together',
      () => modelSpec({ name: 'm', inputs: [{ name: 'x', shape: [1, 4] }], inputShape: [1, 4], layers: [relu('a')] }),
      /not both/,
    ],
    [
      'an input without a shape',
      () => modelSpec({ name: 'm', inputs: [{ name: 'x' } as never], layers: [relu('a')] }),
      /options.inputs\[0\].shape must be/,
    ],
    [
      'inputs of the wrong count on a spec read from JSON',
      () => modelSpec({ name: 'm', inputShape: [1, 4], layers: [{ ...relu('a'), inputs: ['input', 'input'] } as LayerSpec] }),
      /layers\[0\] \('a'\): inputs must be 1 tensor name/,
    ],
  ])('rejects %s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('checks each named input against the shape the layer was built for', () => {
    const head = pointwiseConv2dLayer({ name: 'head', inputShape: [1, 8, 8, 5], outChannels: 2, inputs: ['stem'] });
    expect(() => modelSpec({ name: 'm', inputShape: [1, 8, 8, 3], layers: [...twoHeads().slice(0, 1), head] })).toThrow(
      /layers\[1\] \('head'\): input 'stem' has shape \[1, 8, 8, 4\], but the layer's inputShape is \[1, 8, 8, 5\]/,
    );
  });

  it('orders and checks a 100,000-layer graph without recursion; finds a cycle as long', () => {
    const count = 100_000;
    const chain = Array.from({ length: count }, (_, i) => relu(`r${i}`, [i === 0 ? 'input' : `r${i - 1}`])).reverse();
    const spec = modelSpec({ name: 'deep', inputShape: [1, 4], layers: chain });
    expect(spec.layers[0]!.name).toBe('r0');
    expect(spec.outputs).toEqual(['r0']); // the last listed layer, whatever the order
    const ring = Array.from({ length: count }, (_, i) => relu(`r${i}`, [`r${(i + count - 1) % count}`]));
    let message = '';
    try {
      modelSpec({ name: 'ring', inputShape: [1, 4], layers: ring });
    } catch (error) {
      expect(error).toBeInstanceOf(ValueError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/the layers form a cycle: 'r0' → 'r1' → 'r2' → .* → … \(100000 layers\)$/);
    expect(message.length).toBeLessThan(200);
  });
});

describe('modelSpec layout', () => {
  const layers = [activationLayer({ name: 'relu', inputShape: [1, 4, 4, 3], activation: 'relu' })];
  it("records 'nchw' (the caller's layout at the edges), leaves the default out, round-trips through JSON", () => {
    const spec = modelSpec({ name: 'm', inputShape: [1, 4, 4, 3], layers, layout: 'nchw' });
    expect(spec.layout).toBe('nchw');
    expect(spec.inputs[0]!.shape).toEqual([1, 4, 4, 3]);
    expect(modelSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    expect('layout' in modelSpec({ name: 'm', inputShape: [1, 4, 4, 3], layers, layout: 'nhwc' })).toBe(false);
  });
  it('refuses another layout, naming options.layout', () => {
    expect(() => modelSpec({ name: 'm', inputShape: [1, 4, 4, 3], layers, layout: 'NCHW' as 'nchw' })).toThrow(
      expect.objectContaining({ argument: 'options.layout' }),
    );
  });
});
