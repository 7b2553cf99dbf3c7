import { depthwiseHwcmToOihw, HostTensor, hwioToOihw, type Activation, type Conv2dGeometry } from '@sepconv/tensor';
import type { CaseInputs } from '../cases/case-inputs.js';
import { caseSteps, type LayerCase } from '../cases/layer-case.js';
import { onnxConvAttributes, OnnxGraphWriter } from './onnx-graph-writer.js';

export { onnxSchema } from './onnx-graph-writer.js';

/** Opset 13: Conv with `group`, and Clip taking min/max as inputs (ReLU6). */
const OPSET = 13;
/** IR version 8 goes with opset 13 (ONNX 1.10+); every ONNX Runtime since 1.10 reads it. */
const IR_VERSION = 8;

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
  const w = new OnnxGraphWriter(OPSET, IR_VERSION);
  const weights = onnxWeights(inputs, steps[0]!);
  let current = ONNX_INPUT;
  steps.forEach((geometry, index) => {
    const last = index === steps.length - 1;
    const weight = weights[index]!;
    const prefix = `step${index}`;
    const convInputs = [current, w.initializer(`${prefix}_w`, weight.filter), w.initializer(`${prefix}_b`, weight.bias)];
    current = w.node('Conv', convInputs, onnxConvAttributes(geometry), geometry.activation === 'linear' && last ? ONNX_OUTPUT : undefined);
    if (geometry.activation !== 'linear') current = activationNode(w, geometry.activation, current, last ? ONNX_OUTPUT : undefined);
  });
  const first = steps[0]!;
  const final = steps[steps.length - 1]!;
  return w.encode(
    layerCase.id,
    [{ name: ONNX_INPUT, dims: [first.batch, first.inChannels, first.inHeight, first.inWidth] }],
    [{ name: ONNX_OUTPUT, dims: [final.batch, final.outChannels, final.outHeight, final.outWidth] }],
  );
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

function activationNode(w: OnnxGraphWriter, activation: Exclude<Activation, 'linear'>, input: string, output: string | undefined): string {
  if (activation === 'relu') return w.node('Relu', [input], {}, output);
  if (activation === 'relu6') return w.node('Clip', [input, w.constant('relu6_min', [0]), w.constant('relu6_max', [6])], {}, output);
  throw new Error(`onnxConvModel: a layer case with a '${activation}' activation is not written`);
}
