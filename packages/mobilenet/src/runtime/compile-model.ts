import {
  formatShape,
  HostTensor,
  ShapeError,
  UnsupportedError,
  ValueError,
  type Activation,
  type Padding,
} from '@sepconv/tensor';
import { modelInput, type BatchNormLayer, type LayerActivation, type LayerSpec, type ModelSpec } from '@sepconv/graph';
import { foldBatchNorm } from '../weights/fold-batch-norm.js';
import type { WeightMap } from '../weights/weight-map.js';
import { LayerWeights } from './layer-weights.js';
import type { ConvStep, ModelPlan, PlanStep, SeparableStep, Slot, SlotShape } from './model-plan.js';

/** Options of {@link compileModel}. */
export interface CompileOptions {
  /** Run each depthwise conv followed by a pointwise conv as one fused separable kernel. Default true. */
  fuseSeparable?: boolean | undefined;
}

type Shape4 = readonly [number, number, number, number];

/** A linear operation about to become a {@link ConvStep}; batch norm and activation may still fold into it. */
interface PendingConv {
  op: ConvStep['op'];
  filter: HostTensor;
  bias: Float32Array | undefined;
  outChannels: number;
  strides: readonly [number, number];
  dilations: readonly [number, number];
  padding: Padding;
  activation: Activation;
  physical: Shape4;
  logical: readonly number[];
  layers: string[];
  /** A dense softmax classifier: the softmax runs as its own step after the matrix product. */
  softmax: boolean;
}

const OP = 'instantiate';
const VALID: Padding = 'valid';

function shape4(layer: string, shape: readonly number[]): Shape4 {
  if (shape.length !== 4) {
    throw new UnsupportedError(OP, layer, `layer '${layer}' must produce NHWC [batch, height, width, channels], got ${formatShape(shape)}`);
  }
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}

function isZeroPadding(padding: Padding): boolean {
  return padding === 'valid' || (typeof padding === 'object' && padding.top === 0 && padding.bottom === 0 && padding.left === 0 && padding.right === 0);
}

/** A stand-alone activation as a kernel epilogue; the MobileNetV3 activations do not run yet. */
function epilogue(layer: string, activation: Exclude<LayerActivation, 'softmax'>): Activation {
  if (activation === 'linear' || activation === 'relu' || activation === 'relu6') return activation;
  throw new UnsupportedError(OP, layer, `layer '${layer}': activation '${activation}' does not run yet`);
}

/**
 * The runtime still runs chains with residual adds: one input, one output (the last layer),
 * each other layer on the output of the layer listed before it.
 */
function assertChain(spec: ModelSpec): void {
  const input = modelInput(spec, OP);
  const last = spec.layers[spec.layers.length - 1]!;
  if (spec.outputs.length !== 1 || spec.outputs[0] !== last.name) {
    throw new UnsupportedError(OP, 'spec.outputs', `model '${spec.name}': only one output, the last layer, runs yet; got ${spec.outputs.join(', ')}`);
  }
  spec.layers.forEach((layer, index) => {
    const previous = index === 0 ? input.name : spec.layers[index - 1]!.name;
    if (layer.type !== 'add' && layer.inputs[0] !== previous) {
      throw new UnsupportedError(OP, layer.name, `layer '${layer.name}' reads '${layer.inputs[0]}', not the layer before it: only chains with residual adds run yet`);
    }
  });
}

function constantFilter(shape: readonly number[], value: number): HostTensor {
  return new HostTensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape);
}

/**
 * Compiles a model spec and its weights into executable steps: every batch norm folded into
 * the linear operation before it (or run as a 1×1 depthwise scale where nothing precedes it),
 * ReLU/ReLU6 and biases fused into the kernels, depthwise→pointwise pairs fused into the
 * separable kernel, global average pooling as a depthwise convolution with a constant filter
 * and dense layers as 1×1 (or, after a flatten, full-window) convolutions — so the whole
 * network stays on the backend; a final softmax runs as a softmax step (on the backend when it
 * declares the optional `softmax` capability, else on the host).
 * @throws ValueError / ShapeError naming the layer and weight at fault;
 * UnsupportedError for a layer kind MobileNet does not use (max pooling, padded average pooling).
 */
export function compileModel(spec: ModelSpec, weights: WeightMap, options: CompileOptions = {}): ModelPlan {
  const lw = new LayerWeights(OP, weights);
  assertChain(spec);
  const input = modelInput(spec, OP);
  if (input.shape.length !== 4) {
    throw new UnsupportedError(OP, 'spec.inputs', `the model input must be NHWC [batch, height, width, channels], got ${formatShape(input.shape)}`);
  }
  const referenced = new Set(spec.layers.flatMap((layer) => (layer.type === 'add' ? layer.inputs : [])));
  const slots: SlotShape[] = [{ logical: input.shape, physical: shape4(input.name, input.shape) }];
  const byName = new Map<string, Slot>([[input.name, 0]]);
  const steps: PlanStep[] = [];
  let current: Slot = 0;

  const newSlot = (shape: SlotShape, names: readonly string[]): Slot => {
    slots.push(shape);
    const slot = slots.length - 1;
    for (const name of names) byName.set(name, slot);
    return slot;
  };
  const physicalOf = (layer: LayerSpec): Shape4 => {
    const { physical, logical } = slots[current]!;
    const channels = layer.inputShape[layer.inputShape.length - 1];
    const matches = layer.inputShape.length === 4 ? layer.inputShape.every((d, i) => i === 0 || d === physical[i]) : physical[1] === 1 && physical[2] === 1 && physical[3] === channels;
    if (!matches) {
      throw new UnsupportedError(OP, layer.name, `layer '${layer.name}' needs its input ${formatShape(layer.inputShape)} laid out as NHWC, but it is held as ${formatShape(physical)} (logical ${formatShape(logical)})`);
    }
    return physical;
  };

  const batchNormOf = (layer: BatchNormLayer, channels: number) => ({
    gamma: layer.scale ? lw.vector(layer.name, 'gamma', channels) : undefined,
    beta: layer.center ? lw.vector(layer.name, 'beta', channels) : undefined,
    movingMean: lw.vector(layer.name, 'moving_mean', channels),
    movingVariance: lw.vector(layer.name, 'moving_variance', channels),
    epsilon: layer.epsilon,
  });

  /** Turns a layer into a pending linear op, or undefined for the layers that are not one. */
  const linearOf = (layer: LayerSpec): PendingConv | undefined => {
    const common = { dilations: [1, 1] as const, layers: [layer.name], softmax: false };
    switch (layer.type) {
      case 'conv2d': {
        const [kh, kw] = layer.kernelSize;
        const physical = physicalOf(layer);
        const cout = layer.outChannels;
        return {
          ...common,
          op: 'conv2d',
          filter: lw.take(layer.name, 'kernel', [kh, kw, physical[3], cout]),
          bias: layer.useBias ? lw.vector(layer.name, 'bias', cout) : undefined,
          outChannels: cout,
          strides: layer.strides,
          dilations: layer.dilations,
          padding: layer.padding,
          activation: layer.activation,
          physical: shape4(layer.name, layer.outputShape),
          logical: layer.outputShape,
        };
      }
      case 'depthwiseConv2d': {
        const [kh, kw] = layer.kernelSize;
        const channels = physicalOf(layer)[3];
        const cout = channels * layer.channelMultiplier;
        return {
          ...common,
          op: 'depthwiseConv2d',
          filter: lw.take(layer.name, 'depthwise_kernel', [kh, kw, channels, layer.channelMultiplier]),
          bias: layer.useBias ? lw.vector(layer.name, 'bias', cout) : undefined,
          outChannels: cout,
          strides: layer.strides,
          dilations: layer.dilations,
          padding: layer.padding,
          activation: layer.activation,
          physical: shape4(layer.name, layer.outputShape),
          logical: layer.outputShape,
        };
      }
      case 'pointwiseConv2d': {
        const cin = physicalOf(layer)[3];
        const cout = layer.outChannels;
        return {
          ...common,
          op: 'pointwiseConv2d',
          filter: lw.take(layer.name, 'kernel', [cin, cout], [1, 1, cin, cout]),
          bias: layer.useBias ? lw.vector(layer.name, 'bias', cout) : undefined,
          outChannels: cout,
          strides: [1, 1],
          padding: VALID,
          activation: layer.activation,
          physical: shape4(layer.name, layer.outputShape),
          logical: layer.outputShape,
        };
      }
      case 'dense': {
        const { physical } = slots[current]!;
        const features = layer.inputShape[layer.inputShape.length - 1]!;
        const units = layer.units;
        const activation: Activation = layer.activation === 'softmax' ? 'linear' : epilogue(layer.name, layer.activation);
        const bias = layer.useBias ? lw.vector(layer.name, 'bias', units) : undefined;
        const kernel = lw.take(layer.name, 'kernel', [features, units]);
        const base = { ...common, bias, outChannels: units, strides: [1, 1] as const, padding: VALID, activation, logical: layer.outputShape, softmax: layer.activation === 'softmax' };
        if (layer.inputShape.length === 4 || (physical[1] === 1 && physical[2] === 1)) {
          const held = physicalOf(layer);
          return { ...base, op: 'pointwiseConv2d', filter: kernel, physical: [held[0], held[1], held[2], units] };
        }
        // A dense layer after flattening [h, w, c] is a 'valid' h×w convolution: the flattened
        // row-major order is exactly the kernel's [h, w, c] order, so the data never moves.
        if (layer.inputShape.length !== 2 || physical[1] * physical[2] * physical[3] !== features) {
          throw new UnsupportedError(OP, layer.name, `dense layer '${layer.name}' takes ${formatShape(layer.inputShape)}, which does not flatten ${formatShape(physical)}`);
        }
        return { ...base, op: 'conv2d', filter: new HostTensor(kernel.data, [physical[1], physical[2], physical[3], units]), physical: [physical[0], 1, 1, units] };
      }
      case 'pool': {
        const physical = physicalOf(layer);
        if (layer.mode !== 'avg') {
          throw new UnsupportedError(OP, layer.name, `pool layer '${layer.name}': only average pooling runs (MobileNet's); got '${layer.mode}'`);
        }
        if (!layer.global && !isZeroPadding(layer.padding)) {
          throw new UnsupportedError(OP, layer.name, `pool layer '${layer.name}': padded average pooling (which leaves padding out of the mean) does not run; only 'valid'`);
        }
        const [ph, pw] = layer.global ? [physical[1], physical[2]] : layer.poolSize;
        const channels = physical[3];
        // Average pooling over a 'valid' window is a depthwise convolution with the constant
        // filter 1/(ph·pw): it runs on the backend, so the tensor stays where it is.
        const outHeight = layer.global ? 1 : layer.outputShape[1]!;
        const outWidth = layer.global ? 1 : layer.outputShape[2]!;
        return {
          ...common,
          op: 'depthwiseConv2d',
          filter: constantFilter([ph, pw, channels, 1], 1 / (ph * pw)),
          bias: undefined,
          outChannels: channels,
          strides: layer.global ? [1, 1] : layer.strides,
          padding: VALID,
          activation: 'linear',
          physical: [physical[0], outHeight, outWidth, channels],
          logical: layer.outputShape,
        };
      }
      case 'batchNorm': {
        // A batch norm with no linear op before it: a per-channel affine map, i.e. a 1×1
        // depthwise convolution whose filter and bias are the folded scale and offset.
        const physical = physicalOf(layer);
        const channels = physical[3];
        const folded = foldBatchNorm(layer.name, constantFilter([1, 1, channels, 1], 1), undefined, channels, batchNormOf(layer, channels));
        return {
          ...common,
          op: 'depthwiseConv2d',
          filter: folded.filter,
          bias: folded.bias.data,
          outChannels: channels,
          strides: [1, 1],
          padding: VALID,
          activation: 'linear',
          physical,
          logical: layer.outputShape,
        };
      }
      case 'activation': {
        if (layer.activation === 'softmax') return undefined;
        const physical = physicalOf(layer);
        return {
          ...common,
          op: 'depthwiseConv2d',
          filter: constantFilter([1, 1, physical[3], 1], 1),
          bias: undefined,
          outChannels: physical[3],
          strides: [1, 1],
          padding: VALID,
          activation: epilogue(layer.name, layer.activation),
          physical,
          logical: layer.outputShape,
        };
      }
      default:
        return undefined;
    }
  };

  const layers = spec.layers;
  for (let index = 0; index < layers.length; ) {
    const layer = layers[index]!;
    const pending = linearOf(layer);
    if (pending !== undefined) {
      index++;
      const last = (): string => pending.layers[pending.layers.length - 1]!;
      const next = layers[index];
      if (next?.type === 'batchNorm' && pending.activation === 'linear' && !pending.softmax && !referenced.has(last())) {
        const folded = foldBatchNorm(next.name, pending.filter, pending.bias, pending.outChannels, batchNormOf(next, pending.outChannels));
        pending.filter = folded.filter;
        pending.bias = folded.bias.data;
        pending.layers.push(next.name);
        index++;
      }
      const after = layers[index];
      if (after?.type === 'activation' && after.activation !== 'softmax' && pending.activation === 'linear' && !pending.softmax && !referenced.has(last())) {
        pending.activation = epilogue(after.name, after.activation);
        pending.layers.push(after.name);
        index++;
      }
      const names = pending.softmax ? [] : pending.layers;
      const output = newSlot({ logical: pending.logical, physical: pending.physical }, names);
      steps.push({
        kind: 'conv',
        op: pending.op,
        input: current,
        output,
        layers: pending.layers,
        filter: pending.filter,
        bias: pending.bias === undefined ? undefined : new HostTensor(pending.bias, [pending.outChannels]),
        strides: pending.strides,
        dilations: pending.dilations,
        padding: pending.padding,
        activation: pending.activation,
      });
      current = output;
      if (pending.softmax) {
        current = newSlot({ logical: pending.logical, physical: pending.physical }, [layer.name]);
        steps.push({ kind: 'softmax', input: output, output: current, layers: [layer.name] });
      }
      continue;
    }
    index++;
    switch (layer.type) {
      case 'separableConv2d': {
        const [kh, kw] = layer.kernelSize;
        const channels = physicalOf(layer)[3];
        const mid = channels * layer.channelMultiplier;
        let pointwiseFilter = lw.take(layer.name, 'pointwise_kernel', [mid, layer.outChannels], [1, 1, mid, layer.outChannels]);
        let bias = layer.useBias ? lw.vector(layer.name, 'bias', layer.outChannels) : undefined;
        let activation = layer.activation;
        const names = [layer.name];
        const next = layers[index];
        if (next?.type === 'batchNorm' && activation === 'linear' && !referenced.has(layer.name)) {
          const folded = foldBatchNorm(next.name, pointwiseFilter, bias, layer.outChannels, batchNormOf(next, layer.outChannels));
          pointwiseFilter = folded.filter;
          bias = folded.bias.data;
          names.push(next.name);
          index++;
        }
        const after = layers[index];
        if (after?.type === 'activation' && after.activation !== 'softmax' && activation === 'linear' && !referenced.has(names[names.length - 1]!)) {
          activation = epilogue(after.name, after.activation);
          names.push(after.name);
          index++;
        }
        const output = newSlot({ logical: layer.outputShape, physical: shape4(layer.name, layer.outputShape) }, names);
        steps.push({
          kind: 'separable',
          input: current,
          output,
          layers: names,
          depthwiseFilter: lw.take(layer.name, 'depthwise_kernel', [kh, kw, channels, layer.channelMultiplier]),
          pointwiseFilter,
          depthwiseBias: layer.depthwiseUseBias ? new HostTensor(lw.vector(layer.name, 'depthwise_bias', mid), [mid]) : undefined,
          bias: bias === undefined ? undefined : new HostTensor(bias, [layer.outChannels]),
          strides: layer.strides,
          dilations: layer.dilations,
          padding: layer.padding,
          depthwiseActivation: layer.depthwiseActivation,
          activation,
        });
        current = output;
        break;
      }
      case 'add': {
        const inputs = layer.inputs.map((name) => {
          const slot = byName.get(name);
          if (slot === undefined) throw new ValueError(OP, layer.name, `add layer '${layer.name}': input '${name}' is not an earlier layer`);
          if (slots[slot]!.physical.some((d, i) => d !== slots[current]!.physical[i])) {
            throw new ShapeError(OP, layer.name, `add layer '${layer.name}': inputs are held as ${formatShape(slots[slot]!.physical)} and ${formatShape(slots[current]!.physical)}`);
          }
          return slot;
        });
        current = newSlot({ logical: layer.outputShape, physical: slots[current]!.physical }, [layer.name]);
        steps.push({ kind: 'add', inputs: [inputs[0]!, inputs[1]!], output: current, activation: 'linear', layers: [layer.name] });
        break;
      }
      case 'activation': // softmax: linearOf took the others
      {
        const input = current;
        current = newSlot({ logical: layer.outputShape, physical: slots[input]!.physical }, [layer.name]);
        steps.push({ kind: 'softmax', input, output: current, layers: [layer.name] });
        break;
      }
      case 'dropout':
      case 'reshape': {
        const input = current;
        current = newSlot({ logical: layer.outputShape, physical: slots[input]!.physical }, [layer.name]);
        steps.push({ kind: 'relabel', input, output: current, layers: [layer.name] });
        break;
      }
      default:
        throw new UnsupportedError(OP, layer.name, `layer '${layer.name}' of type '${layer.type}' does not run`);
    }
  }
  lw.assertAllUsed();
  const fused = options.fuseSeparable === false ? steps : fuseSeparable(steps, current);
  return { steps: fused, slots, output: current };
}

/** How many steps read each slot. */
function useCounts(steps: readonly PlanStep[]): Map<Slot, number> {
  const uses = new Map<Slot, number>();
  for (const step of steps) for (const slot of step.kind === 'add' ? step.inputs : [step.input]) uses.set(slot, (uses.get(slot) ?? 0) + 1);
  return uses;
}

/**
 * Merges each depthwise step and the pointwise step that alone reads its output into one
 * separable step, so a backend's fused kernel keeps the intermediate out of memory.
 */
function fuseSeparable(steps: readonly PlanStep[], output: Slot): PlanStep[] {
  const uses = useCounts(steps);
  const fused: PlanStep[] = [];
  for (let i = 0; i < steps.length; i++) {
    const depthwise = steps[i]!;
    const pointwise = steps[i + 1];
    if (
      depthwise.kind === 'conv' &&
      depthwise.op === 'depthwiseConv2d' &&
      pointwise?.kind === 'conv' &&
      pointwise.op === 'pointwiseConv2d' &&
      pointwise.input === depthwise.output &&
      uses.get(depthwise.output) === 1 &&
      depthwise.output !== output
    ) {
      const [, , channels, multiplier] = depthwise.filter.shape as [number, number, number, number];
      const outChannels = pointwise.filter.shape[pointwise.filter.shape.length - 1]!;
      const step: SeparableStep = {
        kind: 'separable',
        input: depthwise.input,
        output: pointwise.output,
        layers: [...depthwise.layers, ...pointwise.layers],
        depthwiseFilter: depthwise.filter,
        pointwiseFilter: pointwise.filter.shape.length === 2 ? pointwise.filter : new HostTensor(pointwise.filter.data, [channels * multiplier, outChannels]),
        depthwiseBias: depthwise.bias,
        bias: pointwise.bias,
        strides: depthwise.strides,
        dilations: depthwise.dilations,
        padding: depthwise.padding,
        depthwiseActivation: depthwise.activation,
        activation: pointwise.activation,
      };
      fused.push(step);
      i++;
      continue;
    }
    fused.push(depthwise);
  }
  return fused;
}
