import { fileURLToPath } from 'node:url';
import { depthwiseHwcmToOihw, HostTensor, hwioToOihw, type Activation, type Conv2dGeometry } from '@sepconv/tensor';
import protobuf from 'protobufjs';
import type { CaseInputs } from '../cases/case-inputs.js';
import { caseSteps, type LayerCase } from '../cases/layer-case.js';

/** Opset 13: Conv with `group`, and Clip taking min/max as inputs (ReLU6). */
const OPSET = 13;
/** IR version 8 goes with opset 13 (ONNX 1.10+); every ONNX Runtime since 1.10 reads it. */
const IR_VERSION = 8;
const FLOAT = 1;
const ATTRIBUTE_INTS = 7;
const ATTRIBUTE_INT = 2;

let schema: protobuf.Root | undefined;

/** The ONNX schema subset in `onnx.proto`, parsed once. */
export function onnxSchema(): protobuf.Root {
  schema ??= protobuf.loadSync(fileURLToPath(new URL('./onnx.proto', import.meta.url)));
  return schema;
}

interface Initializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

interface NodeSpec {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: Array<{ name: string; ints?: number[]; i?: number }>;
}

/** The input and output names of every model this file writes. */
export const ONNX_INPUT = 'x';
export const ONNX_OUTPUT = 'y';

/**
 * Writes a case as an ONNX model (NCHW, weights as initializers in OIHW): one `Conv` per
 * step, padding taken from the geometry sepconv resolved (so `'same'` means exactly what it
 * means for the other engines), then `Relu` or `Clip(0, 6)`, which ONNX Runtime fuses into
 * the convolution as it would for an exported MobileNet.
 * @returns the serialised `ModelProto`.
 */
export function onnxConvModel(layerCase: LayerCase, inputs: CaseInputs): Uint8Array {
  const steps = caseSteps(layerCase);
  const initializers: Initializer[] = [];
  const nodes: NodeSpec[] = [];
  const weights = onnxWeights(inputs, steps[0]!);
  let current = ONNX_INPUT;
  steps.forEach((geometry, index) => {
    const last = index === steps.length - 1;
    const weight = weights[index]!;
    const prefix = `step${index}`;
    initializers.push({ name: `${prefix}_w`, dims: [...weight.filter.shape], data: weight.filter.data });
    initializers.push({ name: `${prefix}_b`, dims: [...weight.bias.shape], data: weight.bias.data });
    const convOut = geometry.activation === 'linear' && last ? ONNX_OUTPUT : `${prefix}_conv`;
    nodes.push(convNode(`${prefix}_conv`, geometry, [current, `${prefix}_w`, `${prefix}_b`], convOut));
    current = convOut;
    if (geometry.activation !== 'linear') {
      const out = last ? ONNX_OUTPUT : `${prefix}_act`;
      nodes.push(activationNode(`${prefix}_act`, geometry.activation, current, out, initializers));
      current = out;
    }
  });
  const first = steps[0]!;
  const final = steps[steps.length - 1]!;
  const root = onnxSchema();
  const ModelProto = root.lookupType('onnx.ModelProto');
  const model = {
    irVersion: IR_VERSION,
    producerName: 'sepconv-bench',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: layerCase.id,
      node: nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        input: n.inputs,
        output: n.outputs,
        attribute: (n.attributes ?? []).map((a) =>
          a.ints ? { name: a.name, type: ATTRIBUTE_INTS, ints: a.ints } : { name: a.name, type: ATTRIBUTE_INT, i: a.i },
        ),
      })),
      initializer: initializers.map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: FLOAT,
        rawData: littleEndianBytes(t.data),
      })),
      input: [valueInfo(ONNX_INPUT, [first.batch, first.inChannels, first.inHeight, first.inWidth])],
      output: [valueInfo(ONNX_OUTPUT, [final.batch, final.outChannels, final.outHeight, final.outWidth])],
    },
  };
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(`onnxConvModel: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** Each step's filter in ONNX's OIHW layout (depthwise as a grouped conv) and its bias. */
function onnxWeights(inputs: CaseInputs, first: Conv2dGeometry): Array<{ filter: HostTensor; bias: HostTensor }> {
  const toOihw = (filter: HostTensor): HostTensor => {
    if (filter.shape.length === 2) {
      // Pointwise [Cin, Cout] has the memory layout of [1, 1, Cin, Cout].
      return hwioToOihw(new HostTensor(filter.data, [1, 1, filter.shape[0]!, filter.shape[1]!]));
    }
    return hwioToOihw(filter);
  };
  if (inputs.kind === 'separable') {
    return [
      { filter: depthwiseHwcmToOihw(inputs.depthwiseFilter), bias: inputs.depthwiseBias },
      { filter: toOihw(inputs.pointwiseFilter), bias: inputs.bias },
    ];
  }
  const filter = first.kind === 'depthwiseConv2d' ? depthwiseHwcmToOihw(inputs.filter) : toOihw(inputs.filter);
  return [{ filter, bias: inputs.bias }];
}

function convNode(name: string, g: Conv2dGeometry, inputs: string[], output: string): NodeSpec {
  return {
    opType: 'Conv',
    name,
    inputs,
    outputs: [output],
    attributes: [
      { name: 'kernel_shape', ints: [g.kernelHeight, g.kernelWidth] },
      { name: 'strides', ints: [g.strideHeight, g.strideWidth] },
      { name: 'dilations', ints: [g.dilationHeight, g.dilationWidth] },
      // ONNX orders pads as [begin of each axis…, end of each axis…].
      { name: 'pads', ints: [g.padTop, g.padLeft, g.padBottom, g.padRight] },
      { name: 'group', i: g.kind === 'depthwiseConv2d' ? g.inChannels : 1 },
    ],
  };
}

function activationNode(name: string, activation: Exclude<Activation, 'linear'>, input: string, output: string, initializers: Initializer[]): NodeSpec {
  if (activation === 'relu') return { opType: 'Relu', name, inputs: [input], outputs: [output] };
  if (!initializers.some((t) => t.name === 'relu6_min')) {
    initializers.push({ name: 'relu6_min', dims: [], data: Float32Array.of(0) });
    initializers.push({ name: 'relu6_max', dims: [], data: Float32Array.of(6) });
  }
  return { opType: 'Clip', name, inputs: [input, 'relu6_min', 'relu6_max'], outputs: [output] };
}

function valueInfo(name: string, dims: number[]) {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

/** ONNX raw_data is little-endian; copy through a DataView so big-endian hosts write it right too. */
function littleEndianBytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return bytes;
}
