import type * as Tf from '@tensorflow/tfjs-core';
import type { ModelPlan } from '@sepconv/mobilenet';
import { convGeometry, type Activation, type Conv2dGeometry, type ConvActivation } from '@sepconv/tensor';
import { stepGeometry } from './plan-geometry.js';

/**
 * tfjs's fused depthwise op takes only 'same', 'valid' or a symmetric number: the resolved
 * padding is said that way (MobileNet's explicit strided padding is TensorFlow's 'same' at
 * even sizes, which tfjs then applies itself).
 */
function tfjsPadding(g: Conv2dGeometry): 'same' | 'valid' {
  if (g.padTop === 0 && g.padBottom === 0 && g.padLeft === 0 && g.padRight === 0) return 'valid';
  const same = convGeometry({ ...g, inputShape: [g.batch, g.inHeight, g.inWidth, g.inChannels], strides: [g.strideHeight, g.strideWidth], dilations: [g.dilationHeight, g.dilationWidth], padding: 'same' });
  if (same.padTop === g.padTop && same.padBottom === g.padBottom && same.padLeft === g.padLeft && same.padRight === g.padRight) return 'same';
  throw new Error(`padding ${JSON.stringify([g.padTop, g.padBottom, g.padLeft, g.padRight])} is neither 'same' nor 'valid' for tfjs`);
}

/** A compiled network written with TensorFlow.js ops, weights held as tfjs tensors. */
export interface TfjsNetwork {
  /** Runs the network on an NHWC input and returns the (reshaped) output. Call inside `tf.tidy`. */
  predict(x: Tf.Tensor4D): Tf.Tensor;
  dispose(): void;
}

/** The plan's activation as tfjs's fused ops take it; the networks benchmarked fuse only these. */
function tfActivation(activation: Activation): ConvActivation {
  if (activation === 'linear' || activation === 'relu' || activation === 'relu6') return activation;
  throw new Error(`activation '${activation}' is not fused by the tfjs network writer`);
}

/**
 * Writes a compiled sepconv network (batch norm folded) with tfjs's fused ops: each step is
 * `tf.fused.conv2d` / `tf.fused.depthwiseConv2d` with bias and ReLU6 in the kernel (as a
 * converted MobileNet runs on tfjs), residuals `tf.add`, the classifier `tf.softmax`.
 * Padding is the explicit amounts sepconv resolved.
 */
export function tfjsNetwork(tf: typeof Tf, plan: ModelPlan, batch: number): TfjsNetwork {
  const held: Tf.Tensor[] = [];
  const hold = <T extends Tf.Tensor>(t: T): T => {
    held.push(t);
    return t;
  };
  const ops: ((values: Map<number, Tf.Tensor>) => void)[] = [];
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'conv':
      case 'separable': {
        const g = stepGeometry(plan, step, batch);
        const pad = tfjsPadding(g);
        const strides: [number, number] = [g.strideHeight, g.strideWidth];
        const dilations: [number, number] = [g.dilationHeight, g.dilationWidth];
        if (step.kind === 'conv') {
          const shape = step.op === 'pointwiseConv2d' && step.filter.shape.length === 2 ? [1, 1, step.filter.shape[0]!, step.filter.shape[1]!] : step.filter.shape;
          const filter = hold(tf.tensor4d(step.filter.data, shape as [number, number, number, number]));
          // tfjs's fused ops take a bias or none; the key is left out rather than set to undefined.
          const biasOption = step.bias ? { bias: hold(tf.tensor1d(step.bias.data)) } : {};
          const activation = tfActivation(step.activation);
          ops.push((values) => {
            const x = values.get(step.inputs[0]!) as Tf.Tensor4D;
            values.set(
              step.output,
              step.op === 'depthwiseConv2d'
                ? tf.fused.depthwiseConv2d({ x, filter, strides, pad, dilations, ...biasOption, activation })
                : tf.fused.conv2d({ x, filter, strides, pad, dilations, ...biasOption, activation }),
            );
          });
        } else {
          const dw = hold(tf.tensor4d(step.depthwiseFilter.data, step.depthwiseFilter.shape as [number, number, number, number]));
          const dwBiasOption = step.depthwiseBias ? { bias: hold(tf.tensor1d(step.depthwiseBias.data)) } : {};
          const [cin, cout] = step.pointwiseFilter.shape as [number, number];
          const pw = hold(tf.tensor4d(step.pointwiseFilter.data, [1, 1, cin, cout]));
          const biasOption = step.bias ? { bias: hold(tf.tensor1d(step.bias.data)) } : {};
          ops.push((values) => {
            const x = values.get(step.inputs[0]!) as Tf.Tensor4D;
            const mid = tf.fused.depthwiseConv2d({ x, filter: dw, strides, pad, dilations, ...dwBiasOption, activation: tfActivation(step.depthwiseActivation) });
            values.set(step.output, tf.fused.conv2d({ x: mid, filter: pw, strides: 1, pad: 'valid', ...biasOption, activation: tfActivation(step.activation) }));
          });
        }
        break;
      }
      case 'binary':
        if (step.op !== 'add' || step.constant !== undefined) throw new Error(`tfjsNetwork: a '${step.op}' step is not translated`);
        ops.push((values) => {
          const sum = tf.add(values.get(step.inputs[0]!)!, values.get(step.inputs[1]!)!);
          values.set(step.output, step.activation === 'linear' ? sum : step.activation === 'relu' ? tf.relu(sum) : tf.relu6(sum));
        });
        break;
      case 'relabel':
        ops.push((values) => values.set(step.output, values.get(step.inputs[0]!)!));
        break;
      case 'softmax': {
        const logical = plan.slots[step.output]!.logical;
        const features = logical[logical.length - 1]!;
        ops.push((values) => values.set(step.output, tf.softmax(tf.reshape(values.get(step.inputs[0]!)!, [-1, features]))));
        break;
      }
      default:
        // The networks benchmarked so far (MobileNet V1/V2) need no other step.
        throw new Error(`tfjsNetwork: a '${step.kind}' step is not translated`);
    }
  }
  return {
    predict(x) {
      const values = new Map<number, Tf.Tensor>([[0, x]]);
      for (const op of ops) op(values);
      return values.get(plan.outputs[0]!.slot)!;
    },
    dispose() {
      for (const t of held) t.dispose();
    },
  };
}
