// A deliberately plain evaluator of a model spec for tests: one layer at a time on the host,
// batch norm applied as written (not folded), nothing fused. The runtime must agree with it.
import { HostTensor, tensor } from '@sepconv/tensor';
import { modelInput, type ModelSpec } from '@sepconv/graph';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import type { WeightMap } from '../../src/weights/weight-map.js';

const reference = createReferenceBackend();

function need(weights: WeightMap, key: string): HostTensor {
  const weight = weights.get(key);
  if (weight === undefined) throw new Error(`missing ${key}`);
  return weight;
}

function relu(value: number, kind: string): number {
  if (kind === 'relu') return Math.max(value, 0);
  if (kind === 'relu6') return Math.min(Math.max(value, 0), 6);
  return value;
}

export function evaluateSpec(spec: ModelSpec, weights: WeightMap, x: HostTensor): HostTensor {
  const outputs = evaluateGraph(spec, weights, new Map([[modelInput(spec).name, x]]));
  return outputs.get(spec.outputs[0]!)!;
}

/** Every tensor of the graph, by name, from the inputs by name; layers run in the spec's order. */
export function evaluateGraph(spec: ModelSpec, weights: WeightMap, inputs: ReadonlyMap<string, HostTensor>): Map<string, HostTensor> {
  const outputs = new Map<string, HostTensor>(inputs);
  const batch = [...inputs.values()][0]!.shape[0]!;
  for (const layer of spec.layers) {
    const current = outputs.get(layer.inputs[0]!)!;
    const shape = [batch, ...layer.outputShape.slice(1)];
    let out: HostTensor;
    switch (layer.type) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'pointwiseConv2d': {
        const kernelName = layer.type === 'depthwiseConv2d' ? 'depthwise_kernel' : 'kernel';
        let filter = need(weights, `${layer.name}/${kernelName}`);
        if (layer.type === 'pointwiseConv2d' && filter.shape.length === 4) filter = tensor(filter.data, filter.shape.slice(2));
        const options = {
          bias: layer.useBias ? need(weights, `${layer.name}/bias`) : undefined,
          activation: layer.activation,
          ...(layer.type === 'pointwiseConv2d'
            ? {}
            : { strides: [...layer.strides] as [number, number], dilations: [...layer.dilations] as [number, number], padding: layer.padding }),
        };
        out = reference[layer.type](current, filter, options) as HostTensor;
        break;
      }
      case 'batchNorm': {
        const c = layer.inputShape[layer.inputShape.length - 1]!;
        const gamma = layer.scale ? need(weights, `${layer.name}/gamma`).data : undefined;
        const beta = layer.center ? need(weights, `${layer.name}/beta`).data : undefined;
        const mean = need(weights, `${layer.name}/moving_mean`).data;
        const variance = need(weights, `${layer.name}/moving_variance`).data;
        const data = new Float32Array(current.size);
        for (let i = 0; i < data.length; i++) {
          const k = i % c;
          data[i] = ((current.data[i]! - mean[k]!) / Math.sqrt(variance[k]! + layer.epsilon)) * (gamma?.[k] ?? 1) + (beta?.[k] ?? 0);
        }
        out = tensor(data, shape);
        break;
      }
      case 'activation': {
        const data = new Float32Array(current.size);
        if (layer.activation === 'softmax') {
          const f = shape[shape.length - 1]!;
          for (let r = 0; r < data.length; r += f) {
            let sum = 0;
            for (let i = 0; i < f; i++) sum += Math.exp(current.data[r + i]!);
            for (let i = 0; i < f; i++) data[r + i] = Math.exp(current.data[r + i]!) / sum;
          }
        } else if (layer.activation === 'linear' || layer.activation === 'relu' || layer.activation === 'relu6') {
          for (let i = 0; i < data.length; i++) data[i] = relu(current.data[i]!, layer.activation);
        } else {
          data.set((reference.activation!(current, layer.activation) as HostTensor).data);
        }
        out = tensor(data, shape);
        break;
      }
      case 'pool': {
        if (layer.mode === 'max' || (!layer.global && layer.padding !== 'valid')) {
          out = (
            layer.global
              ? reference.globalPool2d!(current, { type: layer.mode })
              : reference.pool2d!(current, {
                  type: layer.mode,
                  kernelSize: [...layer.poolSize] as [number, number],
                  strides: [...layer.strides] as [number, number],
                  padding: layer.padding,
                })
          ) as HostTensor;
          out = tensor(out.data, shape);
          break;
        }
        const [, h, w, c] = current.shape as [number, number, number, number];
        const [ph, pw] = layer.global ? [h, w] : layer.poolSize;
        const [sh, sw] = layer.global ? [1, 1] : layer.strides;
        const oh = layer.global ? 1 : layer.outputShape[1]!;
        const ow = layer.global ? 1 : layer.outputShape[2]!;
        const data = new Float32Array(batch * oh * ow * c);
        for (let b = 0; b < batch; b++)
          for (let oy = 0; oy < oh; oy++)
            for (let ox = 0; ox < ow; ox++)
              for (let k = 0; k < c; k++) {
                let sum = 0;
                for (let y = 0; y < ph; y++) for (let xx = 0; xx < pw; xx++) sum += current.data[((b * h + oy * sh + y) * w + ox * sw + xx) * c + k]!;
                data[((b * oh + oy) * ow + ox) * c + k] = sum / (ph * pw);
              }
        out = tensor(data, shape);
        break;
      }
      case 'dense': {
        const kernel = need(weights, `${layer.name}/kernel`);
        const bias = layer.useBias ? need(weights, `${layer.name}/bias`).data : undefined;
        const [fin, units] = kernel.shape as [number, number];
        const rows = current.size / fin;
        const data = new Float32Array(rows * units);
        for (let r = 0; r < rows; r++)
          for (let u = 0; u < units; u++) {
            let sum = bias?.[u] ?? 0;
            for (let i = 0; i < fin; i++) sum += current.data[r * fin + i]! * kernel.data[i * units + u]!;
            data[r * units + u] = sum;
          }
        if (layer.activation === 'softmax') {
          for (let r = 0; r < data.length; r += units) {
            let sum = 0;
            for (let i = 0; i < units; i++) sum += Math.exp(data[r + i]!);
            for (let i = 0; i < units; i++) data[r + i] = Math.exp(data[r + i]!) / sum;
          }
        } else {
          for (let i = 0; i < data.length; i++) data[i] = relu(data[i]!, layer.activation);
        }
        out = tensor(data, shape);
        break;
      }
      case 'add':
      case 'sub':
      case 'mul':
      case 'div': {
        const operands = layer.inputs.map((name) => outputs.get(name));
        if (operands.some((t) => t === undefined)) throw new Error(`${layer.name}: needs evaluated inputs, got ${layer.inputs.join(', ')}`);
        if (layer.constant !== undefined) {
          const constant = need(weights, `${layer.name}/constant`);
          operands.splice(layer.constant.side === 'left' ? 0 : 1, 0, constant);
        }
        out = reference[layer.type]!(operands[0]!, operands[1]!) as HostTensor;
        break;
      }
      case 'rescaling':
        out = tensor(
          current.data.map((v) => v * layer.scale + layer.offset),
          shape,
        );
        break;
      case 'concat':
        out = reference.concat!(
          layer.inputs.map((name) => outputs.get(name)!),
          { axis: layer.axis },
        ) as HostTensor;
        break;
      case 'pad':
        out = reference.pad!(current, layer.padding, { value: layer.value }) as HostTensor;
        break;
      case 'resizeBilinear':
        out = reference.resizeBilinear!(current, layer.size, {
          alignCorners: layer.alignCorners,
          halfPixelCenters: layer.halfPixelCenters,
        }) as HostTensor;
        break;
      case 'dropout':
      case 'reshape':
        out = tensor(current.data, shape);
        break;
      default:
        throw new Error(`evaluateSpec: ${layer.type} not covered`);
    }
    outputs.set(layer.name, out);
  }
  return outputs;
}
