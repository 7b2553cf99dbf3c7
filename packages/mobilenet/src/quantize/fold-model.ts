import { HostTensor, UnsupportedError } from '@sepconv/tensor';
import { layerWeights, modelSpec, type GraphLayer, type LayerSpec, type ModelSpec } from '@sepconv/graph';
import { compileModel } from '../runtime/compile-model.js';
import type { ConvStep, SeparableStep } from '../runtime/model-plan.js';
import type { LoadedModel } from '../weights/load-layers-model.js';
import type { WeightMap } from '../weights/weight-map.js';
import { INT8_EPILOGUES } from './int8-steps.js';

const OP = 'foldModel';

type LinearStep = ConvStep | SeparableStep;

/** The spec layer a linear step becomes, with its folded weights by Keras name. */
interface FoldedLayer {
  readonly layer: LayerSpec;
  readonly weights: readonly (readonly [string, HostTensor])[];
}

/** The activations a convolution kernel runs as its epilogue; a dense layer's other activation (softmax) is a layer of its own. */
const EPILOGUES: ReadonlySet<string> = new Set(['linear', 'relu', 'relu6']);

/**
 * A dense layer with an activation no kernel fuses (softmax, hard-swish) as the two steps the
 * runtime runs: the product, named `<name>/linear`, then the activation under the layer's name,
 * so the logits are a tensor of their own (calibration observes them) and the outputs keep their names.
 */
function splitActivation(head: GraphLayer, folded: FoldedLayer): FoldedLayer[] {
  if (head.type !== 'dense' || EPILOGUES.has(head.activation)) return [folded];
  const linearName = `${folded.layer.name}/linear`;
  const { layer } = folded;
  return [
    { layer: { ...layer, name: linearName, activation: 'linear' } as LayerSpec, weights: folded.weights },
    {
      layer: {
        type: 'activation',
        name: layer.name,
        inputs: [linearName],
        inputShape: layer.outputShape,
        outputShape: layer.outputShape,
        activation: head.activation,
      },
      weights: [],
    },
  ];
}

/** The weights of a folded convolution or dense layer: its kernel under `kernelName`, its bias when it has one. */
function kernelAndBias(step: ConvStep, kernelName: string, kernelShape: readonly number[]): [string, HostTensor][] {
  return [[kernelName, new HostTensor(step.filter.data, kernelShape)], ...(step.bias ? ([['bias', step.bias]] as [string, HostTensor][]) : [])];
}

/**
 * The layer a linear step's first layer (`head`) becomes once what the step absorbed is folded
 * into it: the same kind with the folded filter and bias (`useBias` on when there is one) and the
 * step's fused activation. A batch norm or average pool that absorbed followers becomes the
 * depthwise convolution the runtime runs it as.
 */
function foldedLayer(head: GraphLayer, step: LinearStep, name: string, outputShape: readonly number[]): FoldedLayer {
  const common = { name, inputs: head.inputs, inputShape: head.inputShape, outputShape };
  if (step.kind === 'separable') {
    if (head.type !== 'separableConv2d') throw new UnsupportedError(OP, head.name, `layer '${head.name}' ran as a separable step`);
    return {
      layer: {
        ...head,
        ...common,
        useBias: step.bias !== undefined,
        depthwiseUseBias: step.depthwiseBias !== undefined,
        activation: step.activation,
      },
      weights: [
        ['depthwise_kernel', step.depthwiseFilter],
        ['pointwise_kernel', step.pointwiseFilter],
        ...(step.depthwiseBias ? ([['depthwise_bias', step.depthwiseBias]] as [string, HostTensor][]) : []),
        ...(step.bias ? ([['bias', step.bias]] as [string, HostTensor][]) : []),
      ],
    };
  }
  const useBias = step.bias !== undefined;
  switch (head.type) {
    case 'conv2d':
    case 'pointwiseConv2d':
      return { layer: { ...head, ...common, useBias, activation: step.activation }, weights: kernelAndBias(step, 'kernel', step.filter.shape) };
    case 'depthwiseConv2d':
      return {
        layer: { ...head, ...common, useBias, activation: step.activation },
        weights: kernelAndBias(step, 'depthwise_kernel', step.filter.shape),
      };
    case 'dense': {
      const features = head.inputShape[head.inputShape.length - 1]!;
      return { layer: { ...head, ...common, useBias, activation: step.activation }, weights: kernelAndBias(step, 'kernel', [features, head.units]) };
    }
    case 'batchNorm':
    case 'pool': {
      if (head.type === 'pool' && step.layers.length === 1) return { layer: { ...head, ...common }, weights: [] };
      if (head.inputShape.length !== 4 || outputShape.length !== 4) {
        throw new UnsupportedError(
          OP,
          head.name,
          `layer '${head.name}' (${head.type}) folds what follows it into a depthwise convolution, which needs NHWC input and output`,
        );
      }
      const [kernelHeight, kernelWidth] = [step.filter.shape[0]!, step.filter.shape[1]!];
      const layer: LayerSpec = {
        type: 'depthwiseConv2d',
        ...common,
        kernelSize: [kernelHeight, kernelWidth],
        channelMultiplier: 1,
        strides: [step.strides[0], step.strides[1]],
        dilations: [1, 1],
        padding: step.padding,
        useBias,
        activation: step.activation,
      };
      return { layer, weights: kernelAndBias(step, 'depthwise_kernel', step.filter.shape) };
    }
    default:
      throw new UnsupportedError(OP, head.name, `layer '${head.name}' (${head.type}) ran as a convolution step, which foldModel does not know`);
  }
}

/**
 * The model the runtime actually runs, as a spec and weights: every batch norm, constant
 * scale/offset and ReLU/ReLU6 that `instantiate` folds into the convolution (or dense layer)
 * before it is folded here, with the same code (`compileModel`, with the int8 kernels' clamp
 * epilogues: a hard-swish stays a layer of its own, which `instantiate` would fuse), so the result has no batch
 * norm layers, each folded layer has its bias and fused activation, and
 * `instantiate(folded.spec, backend, { weights: folded.weights })` computes what the original does.
 * A folded layer keeps its first layer's name (`conv1` for `conv1` → `conv1_bn` → `conv1_relu`),
 * except when the last folded layer is a model output: then it takes that name, so `predict`'s
 * outputs keep their names. Layers that read a folded-away layer read the folded one instead.
 * This is the starting point of `quantizeModel`: quantization sees the weights the kernels use.
 * @throws whatever `instantiate` throws for the spec and weights; UnsupportedError naming the
 * layer for a batch norm or pooling layer whose fold would change its rank.
 */
export function foldModel(spec: ModelSpec, weights: WeightMap): LoadedModel {
  const plan = compileModel(spec, weights, { fuseSeparable: false, epilogues: INT8_EPILOGUES });
  const byName = new Map(spec.layers.map((layer) => [layer.name, layer]));
  const outputs = new Set(spec.outputs);
  const rename = new Map<string, string>();
  const heads = new Map<string, FoldedLayer[]>();
  for (const step of plan.steps) {
    if (step.kind !== 'conv' && step.kind !== 'separable') continue;
    const head = byName.get(step.layers[0]!)!;
    const last = step.layers[step.layers.length - 1]!;
    const name = outputs.has(last) ? last : head.name;
    for (const layer of step.layers) rename.set(layer, name);
    heads.set(head.name, splitActivation(head, foldedLayer(head, step, name, byName.get(last)!.outputShape)));
  }
  const folded = new Map<string, HostTensor>();
  const layers: LayerSpec[] = [];
  for (const layer of spec.layers) {
    const inputs = layer.inputs.map((input) => rename.get(input) ?? input);
    const head = heads.get(layer.name);
    if (head !== undefined) {
      for (const [index, part] of head.entries()) {
        layers.push(index === 0 ? { ...part.layer, inputs } : part.layer);
        for (const [weight, tensor] of part.weights) folded.set(`${part.layer.name}/${weight}`, tensor);
      }
    } else if (!rename.has(layer.name)) {
      layers.push({ ...layer, inputs });
      for (const { name } of layerWeights(layer)) {
        const key = `${layer.name}/${name}`;
        const tensor = weights.get(key);
        if (tensor !== undefined) folded.set(key, tensor);
      }
    }
  }
  const foldedSpec = modelSpec({
    name: spec.name,
    inputs: spec.inputs,
    outputs: spec.outputs.map((name) => rename.get(name) ?? name),
    layers,
    ...(spec.layout ? { layout: spec.layout } : {}),
  });
  return { spec: foldedSpec, weights: folded };
}
