import type { ModelPlan } from '@sepconv/mobilenet';
import { convGeometry, depthwiseHwcmToOihw, HostTensor, hwioToOihw, outputShape, type Activation, type Conv2dGeometry } from '@sepconv/tensor';
import { onnxSchema } from '../onnx/onnx-conv-model.js';
import { stepGeometry } from './plan-geometry.js';

const OPSET = 13;
const IR_VERSION = 8;
const FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** Input and output names of the network models. */
export const NETWORK_INPUT = 'x';
export const NETWORK_OUTPUT = 'y';

interface Node {
  opType: string;
  name: string;
  input: string[];
  output: string[];
  attribute: { name: string; type: number; i?: number; ints?: number[] }[];
}

/**
 * Writes a compiled sepconv network (batch norm already folded) as an ONNX model, NCHW:
 * `Conv` (grouped for depthwise) + `Clip(0, 6)` per step, `Add` for residuals, `Softmax` over
 * the channels at the end — what an exported, BN-folded MobileNet looks like to ONNX Runtime,
 * which fuses the activations into its convolutions. Same weights as the sepconv run.
 */
export function onnxNetworkModel(plan: ModelPlan, batch: number, name: string): Uint8Array {
  const nodes: Node[] = [];
  const initializers: { name: string; dims: number[]; rawData: Uint8Array }[] = [];
  const names = new Map<number, string>([[0, NETWORK_INPUT]]);
  const weight = (id: string, t: HostTensor): string => {
    initializers.push({ name: id, dims: [...t.shape], rawData: new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength)) });
    return id;
  };
  let relu6Bounds = false;
  const activation = (id: string, act: Activation, input: string): string => {
    if (act === 'linear') return input;
    if (act === 'relu') {
      nodes.push({ opType: 'Relu', name: `${id}_relu`, input: [input], output: [`${id}_relu`], attribute: [] });
      return `${id}_relu`;
    }
    if (!relu6Bounds) {
      weight('relu6_min', new HostTensor(Float32Array.of(0), []));
      weight('relu6_max', new HostTensor(Float32Array.of(6), []));
      relu6Bounds = true;
    }
    nodes.push({ opType: 'Clip', name: `${id}_relu6`, input: [input, 'relu6_min', 'relu6_max'], output: [`${id}_relu6`], attribute: [] });
    return `${id}_relu6`;
  };
  const conv = (id: string, g: Conv2dGeometry, filter: HostTensor, bias: HostTensor | undefined, input: string): string => {
    const oihw =
      g.kind === 'depthwiseConv2d'
        ? depthwiseHwcmToOihw(filter)
        : hwioToOihw(filter.shape.length === 2 ? new HostTensor(filter.data, [1, 1, filter.shape[0]!, filter.shape[1]!]) : filter);
    const inputs = [input, weight(`${id}_w`, oihw)];
    if (bias) inputs.push(weight(`${id}_b`, bias));
    nodes.push({
      opType: 'Conv',
      name: id,
      input: inputs,
      output: [id],
      attribute: [
        { name: 'kernel_shape', type: ATTRIBUTE_INTS, ints: [g.kernelHeight, g.kernelWidth] },
        { name: 'strides', type: ATTRIBUTE_INTS, ints: [g.strideHeight, g.strideWidth] },
        { name: 'dilations', type: ATTRIBUTE_INTS, ints: [g.dilationHeight, g.dilationWidth] },
        { name: 'pads', type: ATTRIBUTE_INTS, ints: [g.padTop, g.padLeft, g.padBottom, g.padRight] },
        { name: 'group', type: ATTRIBUTE_INT, i: g.kind === 'depthwiseConv2d' ? g.inChannels : 1 },
      ],
    });
    return activation(id, g.activation, id);
  };
  plan.steps.forEach((step, index) => {
    const id = `s${index}`;
    switch (step.kind) {
      case 'conv':
        names.set(step.output, conv(id, stepGeometry(plan, step, batch), step.filter, step.bias, names.get(step.inputs[0]!)!));
        break;
      case 'separable': {
        const depthwise = stepGeometry(plan, step, batch);
        const mid = conv(`${id}_dw`, depthwise, step.depthwiseFilter, step.depthwiseBias, names.get(step.inputs[0]!)!);
        const pointwise = convGeometry({
          kind: 'pointwiseConv2d',
          inputShape: outputShape(depthwise),
          kernelHeight: 1,
          kernelWidth: 1,
          outChannels: step.pointwiseFilter.shape[1]!,
          hasBias: true,
          activation: step.activation,
        });
        names.set(step.output, conv(`${id}_pw`, pointwise, step.pointwiseFilter, step.bias, mid));
        break;
      }
      case 'binary':
        if (step.op !== 'add' || step.constant !== undefined) throw new Error(`onnxNetworkModel: step ${index} (${step.op}) is not translated`);
        nodes.push({ opType: 'Add', name: id, input: step.inputs.map((s) => names.get(s)!), output: [id], attribute: [] });
        names.set(step.output, activation(id, step.activation, id));
        break;
      case 'relabel':
        names.set(step.output, names.get(step.inputs[0]!)!);
        break;
      case 'softmax':
        // The classifier's output is [batch, classes, 1, 1] in NCHW: softmax over axis 1.
        nodes.push({ opType: 'Softmax', name: id, input: [names.get(step.inputs[0]!)!], output: [id], attribute: [{ name: 'axis', type: ATTRIBUTE_INT, i: 1 }] });
        names.set(step.output, id);
        break;
      default:
        // The networks benchmarked so far (MobileNet V1/V2) need no other step.
        throw new Error(`onnxNetworkModel: step ${index} (${step.kind}) is not translated`);
    }
  });
  const last = names.get(plan.outputs[0]!.slot)!;
  nodes.push({ opType: 'Identity', name: 'output', input: [last], output: [NETWORK_OUTPUT], attribute: [] });
  const [, height, width, channels] = plan.slots[0]!.physical as readonly [number, number, number, number];
  const [, outHeight, outWidth, outChannels] = plan.slots[plan.outputs[0]!.slot]!.physical as readonly [number, number, number, number];
  const valueInfo = (id: string, dims: number[]) => ({ name: id, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const ModelProto = onnxSchema().lookupType('onnx.ModelProto');
  const model = {
    irVersion: IR_VERSION,
    producerName: 'sepconv-bench',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name,
      node: nodes,
      initializer: initializers.map((t) => ({ name: t.name, dims: t.dims, dataType: FLOAT, rawData: t.rawData })),
      input: [valueInfo(NETWORK_INPUT, [batch, channels, height, width])],
      output: [valueInfo(NETWORK_OUTPUT, [batch, outChannels, outHeight, outWidth])],
    },
  };
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(`onnxNetworkModel: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
