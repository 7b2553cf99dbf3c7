import {
  activationLookupTable,
  chooseQuantParams,
  type HostQuantizedTensor,
  HostTensor,
  quantize,
  QuantizedConvWeights,
  type QuantizedLookupTable,
  symmetricPerChannel,
  ValueError,
  type ConvActivation,
  type QuantizedConv2dOptions,
  type QuantParams,
} from '@sepconv/tensor';
import type { GraphLayer } from '@sepconv/graph';
import { compileModel } from '../runtime/compile-model.js';
import { planFrees, type BinaryStep, type ConvStep, type ModelPlan, type PlanStep, type SeparableStep, type Slot } from '../runtime/model-plan.js';
import type { WeightMap } from '../weights/weight-map.js';
import { INT8_EPILOGUES, int8Unsupported } from './int8-steps.js';
import { kernelName, kernelOutChannels } from './quantize-model.js';
import { isInt32Weight, isInt8Weight, type QuantizedModelSpec, type QuantizedWeightMap } from './quantized-model-spec.js';

const OP = 'instantiate';

/** An int8 convolution's prepared operands: its weights (requantization computed once) and window. */
export interface Int8Conv {
  readonly weights: QuantizedConvWeights;
  readonly options: QuantizedConv2dOptions;
}

/** A step of a quantized model: how it runs (int8 or float) and the int8 operands it needs. */
export type QuantizedStep =
  | { readonly mode: 'float'; readonly step: PlanStep }
  | {
      readonly mode: 'int8';
      readonly step: PlanStep;
      readonly conv?: Int8Conv | undefined;
      /** A depthwise and the pointwise that alone reads it, run as one fused int8 kernel. */
      readonly separable?: { readonly depthwise: Int8Conv; readonly pointwise: Int8Conv } | undefined;
      /** An activation step's table, from its input's to its output's quantization (`quantizedLookup`). */
      readonly lookup?: QuantizedLookupTable | undefined;
      /** A binary step's constant operand in int8 (its own parameters, covering its values and 0). */
      readonly constant?: HostQuantizedTensor | undefined;
    };

/** A quantized model compiled: the float plan's steps, each marked int8 or float, and each value's parameters. */
export interface QuantizedPlan {
  readonly plan: ModelPlan;
  readonly steps: readonly QuantizedStep[];
  /** Each slot's quantization parameters (by the tensor it holds). */
  readonly params: readonly QuantParams[];
  /** After step `i`, the slots no later step reads (`planFrees` of these steps). */
  readonly frees: readonly (readonly Slot[])[];
}

function paramsOf(spec: QuantizedModelSpec, name: string): QuantParams {
  const params = spec.quantization.activations[name];
  if (params === undefined) throw new ValueError(OP, 'spec.quantization.activations', `tensor '${name}' has no quantization parameters`);
  return params;
}

/**
 * The float weights the int8 ones stand for (`scale · q`), so the spec compiles into the same
 * plan a float model would: the steps, their shapes, their fused activations.
 */
/**
 * `scales[i % scales.length] · data[i]` (the output channel is the last axis): a plain loop, as
 * `Float32Array.from` with a mapping function took ~0.1 µs an element — 400 ms of a quantized
 * MobileNetV1 1.0-224's instantiate, against ~170 ms for packing all its int8 weights.
 */
function dequantizedKernel(data: ArrayLike<number>, scales: ArrayLike<number>): Float32Array {
  const out = scales.length;
  const values = new Float32Array(data.length);
  for (let i = 0, o = 0; i < values.length; i++, o = o + 1 === out ? 0 : o + 1) values[i] = data[i]! * scales[o]!;
  return values;
}

function dequantizedWeights(spec: QuantizedModelSpec, weights: QuantizedWeightMap): WeightMap {
  const layers = new Map(spec.layers.map((layer) => [layer.name, layer]));
  const float = new Map<string, HostTensor>();
  for (const [key, weight] of weights) {
    if (weight instanceof HostTensor) {
      float.set(key, weight);
    } else if (isInt8Weight(weight)) {
      float.set(key, new HostTensor(dequantizedKernel(weight.data, weight.scales), weight.shape));
    } else if (isInt32Weight(weight)) {
      const layerName = key.slice(0, key.lastIndexOf('/'));
      const layer = layers.get(layerName);
      const kernel = layer && weights.get(`${layerName}/${kernelName(layer)}`);
      if (layer === undefined || !isInt8Weight(kernel)) {
        throw new ValueError(OP, key, `weight '${key}' is int32, but its layer has no int8 kernel to give it a scale`);
      }
      const inputScale = paramsOf(spec, layer.inputs[0]!).scale;
      float.set(
        key,
        new HostTensor(
          Float32Array.from(weight.data, (q, o) => q * inputScale * kernel.scales[o]!),
          weight.shape,
        ),
      );
    } else {
      throw new ValueError(OP, key, `weight '${key}' must be a host tensor, an int8 kernel or an int32 bias`);
    }
  }
  return float;
}

/** The tensor each slot holds: model inputs by name, a step's output by the last layer it runs. */
function slotNames(plan: ModelPlan): string[] {
  const names: string[] = [];
  for (const port of plan.inputs) names[port.slot] = port.name;
  for (const step of plan.steps) names[step.output] = step.layers[step.layers.length - 1]!;
  return names;
}

function int8Conv(step: ConvStep, head: GraphLayer, weights: QuantizedWeightMap, input: QuantParams, output: QuantParams): Int8Conv {
  const kernelKey = `${head.name}/${kernelName(head)}`;
  const stored = weights.get(kernelKey);
  const bias = weights.get(`${head.name}/bias`);
  // A float kernel or bias on a layer that runs in int8 would be dropped or misread: refuse it.
  if (stored !== undefined && !isInt8Weight(stored)) {
    throw new ValueError(
      OP,
      kernelKey,
      `layer '${head.name}' runs in int8, so its kernel '${kernelKey}' must be int8 (or the layer listed in floatLayers)`,
    );
  }
  if (bias !== undefined && !isInt32Weight(bias)) {
    throw new ValueError(
      OP,
      `${head.name}/bias`,
      `layer '${head.name}' runs in int8, so its bias must be int32 (or the layer listed in floatLayers)`,
    );
  }
  const outChannels = kernelOutChannels(step.op, step.filter.shape);
  // An average pool runs as a depthwise convolution with a constant filter that has no stored
  // weight: quantized here, exactly (every tap holds the same value).
  const kernel = isInt8Weight(stored) ? stored : symmetricPerChannel(new HostTensor(step.filter.data, [step.filter.size / outChannels, outChannels]));
  return {
    weights: new QuantizedConvWeights({
      kind: step.op,
      filter: kernel.data,
      filterShape: step.filter.shape,
      ...(isInt32Weight(bias) ? { bias: bias.data } : {}),
      weightScales: kernel.scales,
      input,
      output,
      activation: step.activation as ConvActivation,
    }),
    options: { strides: [step.strides[0], step.strides[1]], dilations: [step.dilations[0], step.dilations[1]], padding: step.padding },
  };
}

/**
 * A binary step's float constant in int8, with parameters chosen from its own values (and 0):
 * a scalar lands exactly on 127 or −128, so a rescaling's factor or offset keeps its precision.
 * Chosen here, from the weights, so a saved model needs no parameters for it.
 */
function int8Constant(step: BinaryStep): HostQuantizedTensor {
  const values = step.constant!.data;
  let [min, max] = [0, 0];
  for (const value of values) [min, max] = [Math.min(min, value), Math.max(max, value)];
  return quantize(step.constant!, chooseQuantParams(min, max));
}

/**
 * Compiles a quantized spec: the float plan of its (folded) layers, each step marked int8 —
 * when no layer of it is in `spec.quantization.floatLayers` — or float, with the int8 operands
 * of each int8 convolution prepared once.
 * @throws ValueError naming the layer when the spec claims int8 for a step that has no int8 form,
 * or a weight is missing or of the wrong kind.
 */
export function compileQuantized(spec: QuantizedModelSpec, weights: QuantizedWeightMap): QuantizedPlan {
  const plan = compileModel(spec, dequantizedWeights(spec, weights), { fuseSeparable: false, epilogues: INT8_EPILOGUES });
  const names = slotNames(plan);
  const params = names.map((name) => paramsOf(spec, name));
  const layers = new Map(spec.layers.map((layer) => [layer.name, layer]));
  const floatLayers = spec.quantization.floatLayers;
  const steps = plan.steps.map((step): QuantizedStep => {
    if (step.layers.some((name) => Object.hasOwn(floatLayers, name))) return { mode: 'float', step };
    const reason = int8Unsupported(step);
    if (reason !== undefined) {
      throw new ValueError(
        OP,
        'spec.quantization.floatLayers',
        `layer '${step.layers[0]}' cannot run in int8 (${reason}), but floatLayers does not list it`,
      );
    }
    const input = params[step.inputs[0]!]!;
    const output = params[step.output]!;
    if (step.kind === 'conv') return { mode: 'int8', step, conv: int8Conv(step, layers.get(step.layers[0]!)!, weights, input, output) };
    if (step.kind === 'activation') return { mode: 'int8', step, lookup: activationLookupTable(step.activation, input, output) };
    if (step.kind === 'binary' && step.constant !== undefined) return { mode: 'int8', step, constant: int8Constant(step) };
    return { mode: 'int8', step };
  });
  return {
    plan,
    steps,
    params,
    frees: planFrees(
      steps.map((entry) => entry.step),
      plan.inputs,
      plan.outputs,
    ),
  };
}

type Int8ConvStep = QuantizedStep & { readonly mode: 'int8'; readonly step: ConvStep; readonly conv: Int8Conv };

function isInt8Conv(entry: QuantizedStep | undefined, op: ConvStep['op']): entry is Int8ConvStep {
  return entry?.mode === 'int8' && entry.step.kind === 'conv' && entry.step.op === op && entry.conv !== undefined;
}

/**
 * Merges each int8 depthwise step and the int8 pointwise step that alone reads its result into
 * one step for the backend's fused `quantizedSeparableConv2d` (bit-identical to the two in turn),
 * so the intermediate stays out of memory; the same rule as the float plan's fusion.
 */
export function fuseInt8Separable(compiled: QuantizedPlan): QuantizedPlan {
  const { plan } = compiled;
  const uses = new Map<Slot, number>();
  for (const { step } of compiled.steps) for (const slot of step.inputs) uses.set(slot, (uses.get(slot) ?? 0) + 1);
  const outputs = new Set(plan.outputs.map((port) => port.slot));
  const steps: QuantizedStep[] = [];
  for (let i = 0; i < compiled.steps.length; i++) {
    const depthwise = compiled.steps[i]!;
    const pointwise = compiled.steps[i + 1];
    if (
      isInt8Conv(depthwise, 'depthwiseConv2d') &&
      isInt8Conv(pointwise, 'pointwiseConv2d') &&
      pointwise.step.inputs[0] === depthwise.step.output &&
      uses.get(depthwise.step.output) === 1 &&
      !outputs.has(depthwise.step.output)
    ) {
      const [dw, pw] = [depthwise.step, pointwise.step];
      const step: SeparableStep = {
        kind: 'separable',
        inputs: dw.inputs,
        output: pw.output,
        layers: [...dw.layers, ...pw.layers],
        depthwiseFilter: dw.filter,
        pointwiseFilter: pw.filter,
        strides: dw.strides,
        dilations: dw.dilations,
        padding: dw.padding,
        depthwiseActivation: dw.activation,
        activation: pw.activation,
      };
      steps.push({ mode: 'int8', step, separable: { depthwise: depthwise.conv, pointwise: pointwise.conv } });
      i++;
      continue;
    }
    steps.push(depthwise);
  }
  return {
    ...compiled,
    steps,
    frees: planFrees(
      steps.map((entry) => entry.step),
      plan.inputs,
      plan.outputs,
    ),
  };
}
