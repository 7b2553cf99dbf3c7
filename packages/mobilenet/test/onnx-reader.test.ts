// loadOnnxModel on small graphs written in code (test/support/onnx-writer.ts): what each
// lowering computes, checked against onnxruntime-web on the same bytes through a plain
// evaluator of the spec (test/support/evaluate-graph.ts, reference ops, nothing fused), and
// the typed errors for what does not run or does not fit.
import {
  DTypeError,
  nchwToNhwc,
  nhwcToNchw,
  randomUniform,
  SepconvError,
  ShapeError,
  UnsupportedError,
  ValueError,
  type HostTensor,
} from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { loadOnnxModel, type LoadOnnxModelOptions } from '../src/onnx/load-onnx-model.js';
import { UnsupportedOnnxOperatorsError } from '../src/onnx/unsupported-onnx-operators-error.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { evaluateGraph } from './support/evaluate-graph.js';
import { onnxMobileNetV2, onnxMobileNetV3, TorchLayers } from './support/onnx-mobilenets.js';
import { onnxRuntimeOutput, relativeError } from './support/onnx-runtime.js';
import { DATA_TYPE, OnnxWriter } from './support/onnx-writer.js';

/** sepconv's output (NCHW for rank 4, as ONNX) through the plain evaluator, for an NCHW input. */
function sepconvOutput(bytes: Uint8Array, x: HostTensor, options: LoadOnnxModelOptions = {}): Float32Array {
  const { spec, weights } = loadOnnxModel(bytes, options);
  const y = [...evaluateGraph(spec, weights, nchwToNhwc(x)).values()][0]!;
  return (y.shape.length === 4 ? nhwcToNchw(y) : y).data;
}

async function expectAgreement(bytes: Uint8Array, x: HostTensor, options: LoadOnnxModelOptions = {}): Promise<void> {
  const expected = await onnxRuntimeOutput(bytes, x);
  expect(relativeError(sepconvOutput(bytes, x, options), expected)).toBeLessThan(1e-4);
}

/** A writer with input `x` [batch, channels, size, size] and the torchvision layer helpers. */
function graph(opset: number, channels = 4, size = 6, seed = 1): { w: OnnxWriter; t: TorchLayers; x: string; input: HostTensor } {
  const w = new OnnxWriter(opset, seed);
  return {
    w,
    t: new TorchLayers(w),
    x: w.input('x', ['N', channels, size, size]),
    input: randomUniform([2, channels, size, size], seed + 10, -2, 2),
  };
}

function thrown(run: () => unknown): SepconvError {
  try {
    run();
  } catch (error) {
    if (error instanceof SepconvError) return error;
    throw error;
  }
  throw new Error('expected a SepconvError');
}

describe('MobileNetV3 in torchvision layout agrees with onnxruntime-web (spec through the plain evaluator)', () => {
  const x = randomUniform([1, 3, 96, 96], 21, -1, 1);
  it('Small at opset 11 (hard-swish as x · HardSigmoid(x), SE with Mul)', async () => {
    await expectAgreement(onnxMobileNetV3('small', { opset: 11, seed: 11 }), x);
  });
  it('Large at opset 17 (HardSwish)', async () => {
    const bytes = onnxMobileNetV3('large', { opset: 17, seed: 12 });
    await expectAgreement(bytes, x);
    const { spec } = loadOnnxModel(bytes);
    expect(spec.layers.filter((l) => l.type === 'mul')).toHaveLength(8);
    expect(spec.layers.some((l) => l.type === 'activation' && l.activation === 'hardSwish')).toBe(true);
  });
});

describe('lowerings agree with onnxruntime-web', () => {
  it('Sub/Div by [1, C, 1, 1] constants (input normalisation), Constant nodes, a folded constant expression', async () => {
    const { w, t, x, input } = graph(13, 3);
    const mean = w.node('Constant', [], { value: { tensor: { dims: [1, 3, 1, 1], values: [0.485, 0.456, 0.406] } } });
    const two = w.node('Constant', [], { value_float: { float: 2 } });
    const std = w.node('Mul', [w.floats('std', [1, 3, 1, 1], [0.229, 0.224, 0.225]), two]);
    const y = w.node('Div', [w.node('Sub', [x, mean]), std]);
    const z = w.node('Sub', [w.floats('one', [], [1]), t.conv(y, 3, 5, 3, 1)]);
    await expectAgreement(w.bytes([z]), input);
    const { spec } = loadOnnxModel(w.bytes([z]));
    expect(spec.layers.map((l) => l.type)).toEqual(['sub', 'div', 'conv2d', 'sub']);
  });

  it('Mul by a [1, C, H, W] constant, Add of two activations broadcasting [N, C, 1, 1]', async () => {
    const { w, x, input } = graph(17, 4, 5);
    const scaled = w.node('Mul', [x, w.random('scale', [1, 4, 5, 5])]);
    const y = w.node('Add', [scaled, w.node('GlobalAveragePool', [x])]);
    await expectAgreement(w.bytes([y]), input);
  });

  it('HardSigmoid with ONNX default alpha 0.2, Sigmoid, Concat on channels, GlobalMaxPool', async () => {
    const { w, t, x, input } = graph(13);
    const a = w.node('HardSigmoid', [t.conv(x, 4, 3, 1)]);
    const b = w.node('Sigmoid', [t.conv(x, 4, 2, 3)]);
    const y = w.node('GlobalMaxPool', [w.node('Concat', [a, b, x], { axis: 1 })]);
    await expectAgreement(w.bytes([y]), input);
  });

  it('AveragePool with count_include_pad 1 and 0, MaxPool with pads, ceil_mode 1 where it changes nothing', async () => {
    const { w, x, input } = graph(11, 3, 7);
    const a = w.node('AveragePool', [x], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2], count_include_pad: 1, ceil_mode: 1 });
    const b = w.node('AveragePool', [x], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] });
    const c = w.node('MaxPool', [x], { kernel_shape: [2, 2], pads: [0, 0, 1, 1], strides: [2, 2], auto_pad: 'NOTSET' });
    const y = w.node('Concat', [a, b, w.node('AveragePool', [c], { kernel_shape: [1, 1] })], { axis: 1 });
    await expectAgreement(w.bytes([y]), input);
  });

  it('Conv with SAME_LOWER, SAME_UPPER, dilations, a bias, and a depthwise multiplier of 2', async () => {
    const { w, x, input } = graph(11, 3, 7);
    const a = w.node('Conv', [x, w.random('wa', [4, 3, 3, 3]), w.random('ba', [4])], { auto_pad: 'SAME_LOWER', strides: [2, 2] });
    const b = w.node('Conv', [x, w.random('wb', [6, 1, 3, 3])], { group: 3, auto_pad: 'SAME_UPPER', strides: [2, 2] });
    const c = w.node('Conv', [x, w.random('wc', [2, 3, 3, 3])], { dilations: [2, 2], pads: [2, 2, 2, 2], strides: [2, 2] });
    await expectAgreement(w.bytes([w.node('Concat', [a, b, c], { axis: 1 })]), input);
  });

  it('Flatten of a 3×3 image into Gemm (weights permuted to sepconv order), then Softmax at opset 11', async () => {
    const { w, t, x, input } = graph(11, 4, 6);
    const y = t.linear(w.node('Flatten', [t.conv(x, 4, 5, 3, 2)]), 5 * 3 * 3, 7, 'fc');
    const bytes = w.bytes([w.node('Softmax', [y], { axis: 1 })]);
    await expectAgreement(bytes, input);
    // And through the runtime, which runs a dense layer after a flatten as a full-window convolution.
    const { spec, weights } = loadOnnxModel(bytes, { inputLayout: 'nchw' });
    const model = await instantiate(spec, createReferenceBackend(), { weights });
    expect(relativeError(onlyOutput(await model.predictAsync(input)).data, await onnxRuntimeOutput(bytes, input))).toBeLessThan(1e-4);
  });

  it('Reshape [0, -1] as a flatten, MatMul, an Add of a [1, M] bias, Reshape back to [N, M, 1, 1]', async () => {
    const { w, t, x, input } = graph(14, 4, 4);
    const flat = w.node('Reshape', [t.conv(x, 4, 3, 3, 2), w.ints('shape', [0, -1])]);
    const y = w.node('Add', [w.node('MatMul', [flat, w.random('m', [12, 5])]), w.random('bias', [1, 5])]);
    const z = w.node('Reshape', [y, w.ints('shape4', [-1, 5, 1, 1])]);
    await expectAgreement(w.bytes([z]), input);
  });

  it('ReduceMean over height and width: keepdims 1 in a squeeze-and-excitation gate (axes attribute, opset 13), keepdims 0 into Gemm (axes input [-1, -2], opset 18; and no axes with noop_with_empty_axes)', async () => {
    for (const opset of [13, 18]) {
      const { w, t, x, input } = graph(opset, 4, 5);
      const axes = (values: number[]): [Record<string, number[]>, string[]] =>
        opset < 18 ? [{ axes: values }, []] : [{}, [w.ints(`axes_${values.join('_')}`, values)]];
      // From opset 18, no axes with noop_with_empty_axes is the identity.
      const y = opset < 18 ? x : w.node('ReduceMean', [x], { noop_with_empty_axes: 1 });
      const [keepAttributes, keepInputs] = axes([2, 3]);
      const squeezed = w.node('ReduceMean', [y, ...keepInputs], { ...keepAttributes, keepdims: 1 });
      const gated = w.node('Mul', [y, w.node('Sigmoid', [t.conv(squeezed, 4, 4, 1, 1, 1, true)])]);
      const [flatAttributes, flatInputs] = axes([-1, -2]);
      const pooled = w.node('ReduceMean', [gated, ...flatInputs], { ...flatAttributes, keepdims: 0 });
      const bytes = w.bytes([t.linear(pooled, 4, 3, 'fc')]);
      await expectAgreement(bytes, input);
      const { spec } = loadOnnxModel(bytes);
      expect(spec.layers.filter((l) => l.type === 'pool').length, `opset ${opset}`).toBe(2);
    }
  });

  it('Min(Relu(x), 6) as ReLU6 and Max(x, 0) as ReLU (the dynamo exporter), either operand order, each fused into its convolution', async () => {
    const { w, t, x, input } = graph(18, 4, 5);
    const six = w.floats('six', [], [6]);
    const a = w.node('Min', [w.node('Relu', [t.conv(x, 4, 3, 3)]), six]);
    const b = w.node('Min', [six, w.node('Max', [w.floats('zero', [1], [0]), t.conv(x, 4, 3, 1)])]);
    const bytes = w.bytes([w.node('Concat', [a, b, w.node('Max', [t.conv(x, 4, 2, 1), w.floats('zero2', [], [0])])], { axis: 1 })]);
    await expectAgreement(bytes, input);
    const { spec, weights } = loadOnnxModel(bytes);
    expect(spec.layers.filter((l) => l.type === 'activation').map((l) => (l as { activation: string }).activation)).toEqual([
      'relu6',
      'relu6',
      'relu',
    ]);
    const steps = (await instantiate(spec, createReferenceBackend(), { weights })).plan.steps;
    expect(steps.map((step) => ('activation' in step ? `${step.kind} ${step.activation}` : step.kind))).toEqual([
      'conv relu6',
      'conv relu6',
      'conv relu',
      'concat',
    ]);
  });

  it('initializers as raw_data and as float_data / int64_data read the same', () => {
    const write = (encoding: 'raw' | 'typed') => {
      const w = new OnnxWriter(13, 3, encoding);
      const x = w.input('x', [1, 2, 3, 3]);
      return w.bytes([w.node('Reshape', [w.node('Conv', [x, w.random('w', [3, 2, 3, 3])]), w.ints('s', [1, -1])])]);
    };
    const [raw, typed] = [loadOnnxModel(write('raw')), loadOnnxModel(write('typed'))];
    expect(raw.spec).toEqual(typed.spec);
    expect([...typed.weights.values()][0]!.data).toEqual([...raw.weights.values()][0]!.data);
  });
});

describe('symbolic dimensions', () => {
  const bytes = onnxMobileNetV2({ opset: 13, inputDims: ['batch', 3, 'height', 'width'], alpha: 0.35 });
  it('a symbolic spatial size needs options.resolution, and then runs at that size', async () => {
    const error = thrown(() => loadOnnxModel(bytes));
    expect(error).toBeInstanceOf(ValueError);
    expect(error.argument).toBe('options.resolution');
    expect(error.message).toMatch(/symbolic height 'height'.*options\.resolution/);
    const { spec, weights } = loadOnnxModel(bytes, { resolution: 64, batch: 3 });
    expect(spec.inputs[0]!.shape).toEqual([3, 64, 64, 3]);
    // Built at batch 3, run at batch 2.
    const x = randomUniform([2, 3, 64, 64], 5, -1, 1);
    const model = await instantiate({ ...spec, layout: 'nchw' }, createReferenceBackend(), { weights });
    expect(relativeError(onlyOutput(await model.predictAsync(x)).data, await onnxRuntimeOutput(bytes, x))).toBeLessThan(1e-4);
  });
  it('a resolution that contradicts a fixed size is refused', () => {
    const fixed = onnxMobileNetV2({ opset: 13, resolution: 96 });
    expect(thrown(() => loadOnnxModel(fixed, { resolution: 64 })).message).toMatch(/fixed height of 96, but options\.resolution asks for 64/);
  });
  it('a Reshape that fixes the batch of a symbolic-batch model is refused, naming the node', () => {
    const { w, x } = graph(13);
    w.node('Reshape', [x, w.ints('s', [1, -1])], {}, { name: 'fix_batch' });
    const error = thrown(() => loadOnnxModel(w.bytes(['/Reshape_0_output_0'])));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.argument).toBe('fix_batch');
  });
});

describe('what does not run or does not fit: typed errors naming the node', () => {
  it('every unsupported operator in one error, with node names', () => {
    const { w, x } = graph(13);
    const shape = w.node('Shape', [x], {}, { name: 'shape_of_x' });
    const gathered = w.node('Gather', [shape, w.ints('i', [0])], { axis: 0 }, { name: 'gather_batch' });
    w.node('MyOp', [gathered], {}, { name: 'custom', domain: 'com.example' });
    const error = thrown(() => loadOnnxModel(w.bytes(['/MyOp_2_output_0'])));
    expect(error).toBeInstanceOf(UnsupportedOnnxOperatorsError);
    expect((error as UnsupportedOnnxOperatorsError).nodes.map((n) => n.node)).toEqual(['shape_of_x', 'gather_batch', 'custom']);
    expect(error.message).toMatch(/'shape_of_x' \(Shape\), 'gather_batch' \(Gather\), 'custom' \(com\.example\.MyOp\)/);
  });

  it('external-data initializers: not supported, and why', () => {
    const w = new OnnxWriter(13);
    const x = w.input('x', [1, 2, 4, 4]);
    w.initializer('w', { dims: [3, 2, 1, 1], values: [], extra: { dataLocation: 1, externalData: [{ key: 'location', value: 'model.onnx.data' }] } });
    const error = thrown(() => loadOnnxModel(w.bytes([w.node('Conv', [x, 'w'])])));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(/initializer 'w' keeps its data in an external file \('model\.onnx\.data'\).*no way to reach that file/);
  });

  it('truncated and corrupt files are ValueErrors naming bytes, at every truncation point of a small model', () => {
    const { w, t, x } = graph(13, 2, 4);
    const bytes = w.bytes([t.relu6(t.bn(t.conv(x, 2, 3, 3), 3))]);
    for (let length = 0; length < bytes.length; length++) {
      let error: unknown;
      try {
        loadOnnxModel(bytes.subarray(0, length));
      } catch (e) {
        error = e;
      }
      // A prefix that ends on a field boundary is a valid, smaller model: it may load, or fail for what it lacks; never another kind of error.
      if (error !== undefined) expect(error, `prefix of ${length} bytes`).toBeInstanceOf(SepconvError);
    }
    const corrupt = thrown(() => loadOnnxModel(new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])));
    expect(corrupt).toBeInstanceOf(ValueError);
    expect(corrupt.argument).toBe('bytes');
  });

  it('a weight of the wrong data type, raw_data of the wrong length, a bias of the wrong shape', () => {
    const conv = (weight: Parameters<OnnxWriter['initializer']>[1], bias?: number) => {
      const w = new OnnxWriter(13);
      const x = w.input('x', [1, 2, 4, 4]);
      w.initializer('w', weight);
      const inputs = bias === undefined ? [x, 'w'] : [x, 'w', w.floats('b', [bias], Array(bias).fill(0))];
      return w.bytes([w.node('Conv', inputs, {}, { name: 'the_conv' })]);
    };
    const int64 = thrown(() => loadOnnxModel(conv({ dims: [3, 2, 1, 1], dataType: DATA_TYPE.INT64, values: [1, 2, 3, 4, 5, 6] })));
    expect(int64).toBeInstanceOf(DTypeError);
    expect(int64.message).toMatch(/node 'the_conv' \(Conv\): W must be a floating-point tensor/);
    const short = thrown(() => loadOnnxModel(conv({ dims: [3, 2, 1, 1], values: [1, 2, 3], encoding: 'raw' })));
    expect(short).toBeInstanceOf(ShapeError);
    expect(short.message).toMatch(/initializer 'w': raw_data holds 12 bytes, but \[3, 2, 1, 1\] FLOAT needs 24/);
    const bias = thrown(() => loadOnnxModel(conv({ dims: [3, 2, 1, 1], values: [1, 2, 3, 4, 5, 6] }, 4)));
    expect(bias).toBeInstanceOf(ShapeError);
    expect(bias.argument).toBe('the_conv');
  });

  it('Clip bounds other than ReLU / ReLU6, a grouped convolution, softmax over the width, ceil_mode that changes the size, ReduceMean not over height and width, Min / Max that are not ReLU6 / ReLU', () => {
    const cases: [string, (w: OnnxWriter, x: string) => string, RegExp][] = [
      [
        'clip',
        (w, x) => w.node('Clip', [x, w.floats('lo', [], [-1]), w.floats('hi', [], [1])], {}, { name: 'n' }),
        /Clip\(min -1, max 1\) runs only as ReLU/,
      ],
      ['group', (w, x) => w.node('Conv', [x, w.random('g', [4, 2, 3, 3])], { group: 2 }, { name: 'n' }), /group 2 .* only group 1 and depthwise/],
      ['softmax', (w, x) => w.node('Softmax', [x], { axis: 3 }, { name: 'n' }), /softmax over axis 3/],
      [
        'ceil',
        (w, x) => w.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, { name: 'n' }),
        /ceil_mode 1 gives a larger output/,
      ],
      [
        'min by 5',
        (w, x) => w.node('Min', [w.node('Relu', [x]), w.floats('five', [], [5])], {}, { name: 'n' }),
        /Min\(x, 5\) runs only as ReLU6's upper bound/,
      ],
      ['min of no relu', (w, x) => w.node('Min', [x, w.floats('six', [], [6])], {}, { name: 'n' }), /Min\(x, 6\) runs only as ReLU6's upper bound/],
      ['max by 1', (w, x) => w.node('Max', [x, w.floats('one', [], [1])], {}, { name: 'n' }), /Max\(x, 1\) runs only as ReLU/],
      ['max of two', (w, x) => w.node('Max', [x, x], {}, { name: 'n' }), /only an activation and a one-value constant/],
      [
        'mean over channels',
        (w, x) => w.node('ReduceMean', [x], { axes: [1] }, { name: 'n' }),
        /axes \[1\] of \[1, 4, 5, 5\] do not run; only the spatial axes/,
      ],
      [
        'mean over all',
        (w, x) => w.node('ReduceMean', [x], {}, { name: 'n' }),
        /without axes it averages every axis of \[1, 4, 5, 5\], batch included/,
      ],
    ];
    for (const [, build, message] of cases) {
      const w = new OnnxWriter(13);
      const x = w.input('x', [1, 4, 5, 5]);
      const error = thrown(() => loadOnnxModel(w.bytes([build(w, x)])));
      expect(error).toBeInstanceOf(UnsupportedError);
      expect(error.argument).toBe('n');
      expect(error.message).toMatch(message);
    }
  });

  it('an opset outside 9–21, a non-float input, bad options', () => {
    const w = new OnnxWriter(22);
    const y = w.node('Relu', [w.input('x', [1, 2, 2, 2])]);
    expect(thrown(() => loadOnnxModel(w.bytes([y]))).message).toMatch(/opset 22; the reader follows opsets 9 to 21/);
    const bytes = onnxMobileNetV2({ opset: 13 });
    expect(thrown(() => loadOnnxModel(bytes, { inputLayout: 'NCHW' as 'nchw' })).argument).toBe('options.inputLayout');
    expect(thrown(() => loadOnnxModel(bytes, { batch: 0 })).argument).toBe('options.batch');
    expect(thrown(() => loadOnnxModel('model.onnx' as unknown as Uint8Array)).argument).toBe('bytes');
  });
});

describe("inputLayout 'nchw'", () => {
  it('takes NCHW and returns rank-4 outputs NCHW; the default takes NHWC', async () => {
    const { w, t, x, input } = graph(13, 3, 5);
    const bytes = w.bytes([t.relu(t.conv(x, 3, 4, 3, 1))]);
    const expected = await onnxRuntimeOutput(bytes, input);
    const nchw = loadOnnxModel(bytes, { inputLayout: 'nchw' });
    const model = await instantiate(nchw.spec, createReferenceBackend(), { weights: nchw.weights });
    const y = onlyOutput(await model.predictAsync(input));
    expect(y.shape).toEqual([2, 4, 5, 5]);
    expect(relativeError(y.data, expected)).toBeLessThan(1e-4);
    expect(() => model.predict(nchwToNhwc(input))).toThrow(/x must be NCHW \[batch, 3, 5, 5\]/);
    const nhwc = loadOnnxModel(bytes);
    const y2 = onlyOutput(await (await instantiate(nhwc.spec, createReferenceBackend(), { weights: nhwc.weights })).predictAsync(nchwToNhwc(input)));
    expect(y2.shape).toEqual([2, 5, 5, 4]);
    expect(relativeError(nhwcToNchw(y2).data, expected)).toBeLessThan(1e-4);
  });
});
