// A plain evaluator of a graph spec (any DAG of the layer kinds the ONNX reader emits), one
// layer at a time with the reference backend's float64-accumulating ops and host loops:
// nothing folded or fused. It checks what a reader produces before (and independently of)
// the runtime: the reader's spec and weights must compute what ONNX Runtime computes.
import { HostTensor, tensor, type Tensor } from '@sepconv/tensor';
import type { GraphLayer, ModelSpec } from '@sepconv/graph';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import type { WeightMap } from '../../src/weights/weight-map.js';

const reference = createReferenceBackend();

function need(weights: WeightMap, key: string): HostTensor {
  const weight = weights.get(key);
  if (weight === undefined) throw new Error(`evaluateGraph: missing weight ${key}`);
  return weight;
}

function host(t: Tensor): HostTensor {
  return t as HostTensor;
}

function batchNorm(x: HostTensor, layer: GraphLayer & { type: 'batchNorm' }, weights: WeightMap): HostTensor {
  const c = x.shape[x.shape.length - 1]!;
  const w = (part: string) => need(weights, `${layer.name}/${part}`).data;
  const [gamma, beta, mean, variance] = [w('gamma'), w('beta'), w('moving_mean'), w('moving_variance')];
  return tensor(
    x.data.map((v, i) => ((v - mean[i % c]!) / Math.sqrt(variance[i % c]! + layer.epsilon)) * gamma[i % c]! + beta[i % c]!),
    x.shape,
  );
}

function dense(x: HostTensor, layer: GraphLayer & { type: 'dense' }, weights: WeightMap): HostTensor {
  const kernel = need(weights, `${layer.name}/kernel`);
  const bias = layer.useBias ? need(weights, `${layer.name}/bias`).data : undefined;
  const [features, units] = kernel.shape as [number, number];
  const rows = x.size / features;
  const out = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++)
    for (let u = 0; u < units; u++) {
      let sum = bias?.[u] ?? 0;
      for (let i = 0; i < features; i++) sum += x.data[r * features + i]! * kernel.data[i * units + u]!;
      out[r * units + u] = sum;
    }
  const y = tensor(out, [...x.shape.slice(0, -1), units]);
  return layer.activation === 'linear'
    ? y
    : host(layer.activation === 'softmax' ? reference.softmax!(y) : reference.activation!(y, layer.activation));
}

/** Runs `spec` on `x` (NHWC), returning every output by name. */
export function evaluateGraph(spec: ModelSpec, weights: WeightMap, x: HostTensor): Map<string, HostTensor> {
  const values = new Map<string, HostTensor>([[spec.inputs[0]!.name, x]]);
  const batch = x.shape[0]!;
  for (const layer of spec.layers) {
    const [a, b] = layer.inputs.map((name) => values.get(name)!);
    const input = a!;
    let out: Tensor;
    switch (layer.type) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'pointwiseConv2d': {
        const filter = need(weights, `${layer.name}/${layer.type === 'depthwiseConv2d' ? 'depthwise_kernel' : 'kernel'}`);
        const bias = layer.useBias ? need(weights, `${layer.name}/bias`) : undefined;
        out =
          layer.type === 'pointwiseConv2d'
            ? reference.pointwiseConv2d(input, filter, { bias, activation: layer.activation })
            : reference[layer.type](input, filter, {
                bias,
                activation: layer.activation,
                strides: [...layer.strides] as [number, number],
                dilations: [...layer.dilations] as [number, number],
                padding: layer.padding,
              });
        break;
      }
      case 'batchNorm':
        out = batchNorm(input, layer, weights);
        break;
      case 'activation':
        out = layer.activation === 'softmax' ? reference.softmax!(input) : reference.activation!(input, layer.activation);
        break;
      case 'pool':
        out = layer.global
          ? reference.globalPool2d!(input, { type: layer.mode })
          : reference.pool2d!(input, {
              type: layer.mode,
              kernelSize: [...layer.poolSize] as [number, number],
              strides: [...layer.strides] as [number, number],
              padding: layer.padding,
            });
        if (layer.global && !layer.keepDims) out = tensor(host(out).data, [batch, input.shape[3]!]);
        break;
      case 'dense':
        out = dense(input, layer, weights);
        break;
      case 'add':
      case 'sub':
      case 'mul':
      case 'div': {
        const constant = layer.constant ? need(weights, `${layer.name}/constant`) : undefined;
        const [left, right] = constant === undefined ? [input, b!] : layer.constant!.side === 'left' ? [constant, input] : [input, constant];
        out = reference[layer.type]!(left, right);
        break;
      }
      case 'concat':
        out = reference.concat!(
          layer.inputs.map((name) => values.get(name)!),
          { axis: layer.axis },
        );
        break;
      case 'pad':
        out = reference.pad!(input, layer.padding, { value: layer.value });
        break;
      case 'dropout':
      case 'reshape':
        out = tensor(input.data, [batch, ...layer.outputShape.slice(1)]);
        break;
      default:
        throw new Error(`evaluateGraph: ${layer.type} not covered`);
    }
    values.set(layer.name, host(out));
  }
  return new Map(spec.outputs.map((name) => [name, values.get(name)!]));
}
