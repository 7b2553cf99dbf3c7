import { describe, expect, it } from 'vitest';
import { makeCaseInputs, onnxConvModel, onnxSchema, type LayerCase } from '../src/index.js';

interface DecodedAttribute {
  name: string;
  ints?: number[];
  i?: number;
}

function decode(layerCase: LayerCase) {
  const bytes = onnxConvModel(layerCase, makeCaseInputs(layerCase));
  const ModelProto = onnxSchema().lookupType('onnx.ModelProto');
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as {
    irVersion: number;
    opsetImport: Array<{ version: number }>;
    graph: {
      node: Array<{ opType: string; input: string[]; output: string[]; attribute?: DecodedAttribute[] }>;
      initializer: Array<{ name: string; dims?: number[]; rawData: number[] }>;
      input: Array<{ type: { tensorType: { shape: { dim: Array<{ dimValue: number }> } } } }>;
      output: Array<{ type: { tensorType: { shape: { dim: Array<{ dimValue: number }> } } } }>;
    };
  };
}

const attribute = (node: { attribute?: DecodedAttribute[] }, name: string) => node.attribute?.find((a) => a.name === name);

describe('onnxConvModel', () => {
  it("writes a depthwise conv as a grouped Conv with TensorFlow's 'same' padding, then Clip(0, 6)", () => {
    const model = decode({
      id: 'dw',
      title: 'dw',
      op: 'depthwiseConv2d',
      inputShape: [1, 12, 12, 6],
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      outChannels: 6,
      activation: 'relu6',
    });
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport[0]!.version).toBe(13);
    const [conv, clip] = model.graph.node;
    expect(conv!.opType).toBe('Conv');
    expect(attribute(conv!, 'group')!.i).toBe(6);
    // 12 in, stride 2, 3 taps: 6 out, one padding row/column in total, after (bottom/right).
    expect(attribute(conv!, 'pads')!.ints).toEqual([0, 0, 1, 1]);
    expect(attribute(conv!, 'strides')!.ints).toEqual([2, 2]);
    expect(clip!.opType).toBe('Clip');
    expect(clip!.output).toEqual(['y']);
    const weight = model.graph.initializer.find((t) => t.name === conv!.input[1]);
    expect(weight!.dims).toEqual([6, 1, 3, 3]);
    expect(weight!.rawData).toHaveLength(6 * 9 * 4);
    expect(model.graph.input[0]!.type.tensorType.shape.dim.map((d) => d.dimValue)).toEqual([1, 6, 12, 12]);
    expect(model.graph.output[0]!.type.tensorType.shape.dim.map((d) => d.dimValue)).toEqual([1, 6, 6, 6]);
  });

  it('writes a separable pair as two Convs, the pointwise one 1×1 in OIHW', () => {
    const model = decode({
      id: 'sep',
      title: 'sep',
      op: 'separableConv2d',
      inputShape: [1, 5, 5, 4],
      kernelSize: 3,
      strides: 1,
      padding: 'valid',
      outChannels: 7,
      activation: 'relu',
    });
    expect(model.graph.node.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'Conv', 'Relu']);
    const pointwise = model.graph.node[2]!;
    expect(pointwise.input[0]).toBe(model.graph.node[1]!.output[0]);
    expect(model.graph.initializer.find((t) => t.name === pointwise.input[1])!.dims).toEqual([7, 4, 1, 1]);
    expect(model.graph.output[0]!.type.tensorType.shape.dim.map((d) => d.dimValue)).toEqual([1, 7, 3, 3]);
  });
});
