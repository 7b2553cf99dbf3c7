// The plan translators on every step kind: a small graph with squeeze-and-excitation, constants
// on both sides, every activation, pad, windowed and global pools, resize and concat, written
// for ONNX Runtime and TensorFlow.js, gives what sepconv's reference backend gives.
import {
  activationLayer,
  batchNormLayer,
  concatLayer,
  conv2dLayer,
  depthwiseConv2dLayer,
  elementwiseLayer,
  modelSpec,
  padLayer,
  pointwiseConv2dLayer,
  poolLayer,
  resizeBilinearLayer,
  type ModelSpec,
} from '@sepconv/graph';
import { compileModel, instantiate, onlyOutput, randomWeights, type StepKind } from '@sepconv/mobilenet';
import { randomUniform } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { NETWORK_INPUT, NETWORK_OUTPUT, onnxNetworkModel } from '../src/networks/plan-to-onnx.js';
import { tfjsNetwork } from '../src/networks/plan-to-tfjs.js';
import { nchw } from './support/nchw.js';

const X = [1, 12, 12, 3];

function everyStep(): ModelSpec {
  const stem = conv2dLayer({ name: 'stem', inputShape: X, kernelSize: 3, outChannels: 8, padding: 'same' });
  const shape = stem.outputShape;
  const pool = poolLayer({ name: 'se_pool', inputShape: shape, mode: 'avg', global: true, keepDims: true });
  const reduce = pointwiseConv2dLayer({ name: 'se_reduce', inputShape: pool.outputShape, outChannels: 2, useBias: true, activation: 'relu' });
  const expand = pointwiseConv2dLayer({ name: 'se_expand', inputShape: reduce.outputShape, outChannels: 8, useBias: true });
  const maxed = poolLayer({ name: 'maxed', inputShape: shape, mode: 'max', poolSize: 3, strides: 2, padding: 'same' });
  const averaged = poolLayer({ name: 'averaged', inputShape: maxed.outputShape, mode: 'avg', poolSize: 2, strides: 1, padding: 'same' });
  const up = resizeBilinearLayer({ name: 'up', inputShape: averaged.outputShape, size: [12, 12] });
  const joined = concatLayer({ name: 'joined', inputShapes: [shape, up.outputShape], inputs: ['se_mul', 'up'] });
  // The pad feeds a convolution: ONNX Runtime fuses a Pad into a following MaxPool's pads even where they reach the kernel size, which it then refuses.
  const padded = padLayer({ name: 'padded', inputShape: joined.outputShape, padding: { top: 1, bottom: 0, left: 2, right: 1 } });
  const depthwise = depthwiseConv2dLayer({ name: 'dw', inputShape: padded.outputShape, kernelSize: 3, strides: 2 });
  const head = pointwiseConv2dLayer({ name: 'head', inputShape: depthwise.outputShape, outChannels: 5, useBias: true });
  const peak = poolLayer({ name: 'peak', inputShape: head.outputShape, mode: 'max', global: true, keepDims: true, inputs: ['head'] });
  return modelSpec({
    name: 'every-step',
    inputShape: X,
    layers: [
      elementwiseLayer({ op: 'mul', name: 'scale_in', inputShape: X, constant: { shape: [] } }),
      elementwiseLayer({ op: 'sub', name: 'offset_in', inputShape: X, constant: { shape: [3] } }),
      stem,
      batchNormLayer({ name: 'stem_bn', inputShape: shape }),
      activationLayer({ name: 'stem_swish', inputShape: shape, activation: 'hardSwish' }),
      pool,
      reduce,
      expand,
      // The stem's hard-swish is its convolution's epilogue; a sigmoid gate (EfficientNet's SE) is no epilogue: an activation step.
      activationLayer({ name: 'se_gate', inputShape: expand.outputShape, activation: 'sigmoid' }),
      elementwiseLayer({ op: 'mul', name: 'se_mul', inputShapes: [shape, expand.outputShape], inputs: ['stem_swish', 'se_gate'] }),
      maxed,
      averaged,
      up,
      joined,
      padded,
      depthwise,
      activationLayer({ name: 'dw_relu6', inputShape: depthwise.outputShape, activation: 'relu6' }),
      head,
      peak,
      elementwiseLayer({ op: 'mul', name: 'scaled', inputShapes: [head.outputShape, peak.outputShape], inputs: ['head', 'peak'] }),
      elementwiseLayer({ op: 'div', name: 'inverse', inputShape: head.outputShape, constant: { shape: [5], side: 'left' } }),
      activationLayer({ name: 'sigmoid', inputShape: head.outputShape, activation: 'sigmoid' }),
    ],
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('the plan translators write every step kind', () => {
  const spec = everyStep();
  const weights = randomWeights(spec, 5);
  const plan = compileModel(spec, weights);
  const x = randomUniform(X, 6);

  it('the graph compiles to steps of every kind but softmax and relabel (which the MobileNets cover)', () => {
    const kinds = new Set<StepKind>(plan.steps.map((step) => step.kind));
    for (const kind of ['conv', 'binary', 'activation', 'concat', 'pad', 'pool', 'globalPool', 'resize'] as const)
      expect(kinds, kind).toContain(kind);
    expect(plan.steps.some((step) => step.kind === 'binary' && step.constant !== undefined && step.constantFirst)).toBe(true);
  });

  it('ONNX Runtime and tfjs-cpu agree with sepconv (reference)', async () => {
    const ours = onlyOutput(await (await instantiate(spec, createReferenceBackend(), { weights })).predictAsync(x));
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(onnxNetworkModel(plan, 1, 'every-step'));
    const result = await session.run({ [NETWORK_INPUT]: new ort.Tensor('float32', nchw(x), [1, 3, 12, 12]) });
    const onnx = nchw({ data: result[NETWORK_OUTPUT]!.data as Float32Array, shape: ours.shape }, 'to-nhwc');
    await session.release();
    await tf.setBackend('cpu');
    const net = tfjsNetwork(tf, plan, 1);
    const y = tf.tidy(() => net.predict(tf.tensor4d(x.data, [1, 12, 12, 3])));
    const tfjs = y.dataSync();
    y.dispose();
    net.dispose();
    expect(ours.shape).toEqual([1, 6, 7, 5]);
    expect(maxAbsDiff(ours.data, onnx)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours.data, tfjs)).toBeLessThan(1e-4);
  });
});
