// The reference kernels are the oracle of every backend, so they are themselves checked
// against an independent implementation: TensorFlow.js's CPU kernels, on the fixed cases
// (TensorFlow's 'same' rule, depthwise channel order c·M + m, dilations, explicit padding,
// bias and activations). tfjs computes in float32, hence the same tolerance rule.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  absoluteInputs,
  addCaseInputs,
  addCases,
  caseInputs,
  conformanceCases,
  DEFAULT_TOLERANCE,
  findMismatches,
  runCase,
  type ConformanceCase,
} from '../src/index.js';
import type { CaseInputs } from '../src/case-inputs.js';
import type { HostTensor, Padding } from '@sepconv/tensor';

const reference = createReferenceBackend();

function tfPadding(padding: Padding | undefined): 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]] {
  if (padding === undefined || typeof padding === 'string') return padding ?? 'valid';
  return [
    [0, 0],
    [padding.top, padding.bottom],
    [padding.left, padding.right],
    [0, 0],
  ];
}

function pair(value: number | [number, number] | undefined): [number, number] {
  if (value === undefined) return [1, 1];
  return typeof value === 'number' ? [value, value] : value;
}

const toTf = (t: HostTensor) => tf.tensor(t.data, [...t.shape]);

function epilogue(y: tf.Tensor4D, bias: HostTensor | undefined, activation: string | undefined): tf.Tensor4D {
  const withBias = bias ? tf.add(y, toTf(bias)) : y;
  if (activation === 'relu') return tf.relu(withBias) as tf.Tensor4D;
  if (activation === 'relu6') return tf.relu6(withBias) as tf.Tensor4D;
  // tfjs has no hard-sigmoid / hard-swish op: composed from its ops as Keras defines them.
  const hardSigmoid = () => tf.div(tf.relu6(tf.add(withBias, 3)), 6);
  if (activation === 'hardSigmoid') return hardSigmoid() as tf.Tensor4D;
  if (activation === 'hardSwish') return tf.mul(withBias, hardSigmoid()) as tf.Tensor4D;
  return withBias as tf.Tensor4D;
}

/**
 * tfjs rejects strides > 1 together with dilations > 1, so dilation is applied to the filter
 * (zeros between taps), which is the same convolution with dilation 1.
 */
function dilateFilter(filter: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return filter;
  const [kh, kw, c, m] = filter.shape;
  const data = filter.dataSync();
  const out = new Float32Array(((kh - 1) * dh + 1) * ((kw - 1) * dw + 1) * c * m);
  const outWidth = (kw - 1) * dw + 1;
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++)
      for (let i = 0; i < c * m; i++) out[(ky * dh * outWidth + kx * dw) * c * m + i] = data[(ky * kw + kx) * c * m + i]!;
  return tf.tensor4d(out, [(kh - 1) * dh + 1, outWidth, c, m]);
}

function runTfjs(c: ConformanceCase, inputs: CaseInputs): Float32Array {
  return tf.tidy(() => {
    const x = toTf(inputs.x) as tf.Tensor4D;
    const strides = pair(c.strides);
    const dilations = pair(c.dilations);
    const padding = tfPadding(c.padding);
    if (c.op === 'conv2d' || c.op === 'pointwiseConv2d') {
      const filterData = inputs.filter;
      const [cin, cout] = filterData.shape.slice(-2) as [number, number];
      const filter = dilateFilter(
        tf.tensor4d(filterData.data, c.op === 'conv2d' ? ([...filterData.shape] as [number, number, number, number]) : [1, 1, cin, cout]),
        dilations,
      );
      return epilogue(tf.conv2d(x, filter, strides, padding), inputs.bias, c.activation).dataSync() as Float32Array;
    }
    const depthwiseFilter = dilateFilter(toTf(inputs.filter) as tf.Tensor4D, dilations);
    let y = tf.depthwiseConv2d(x, depthwiseFilter, strides, padding);
    if (c.op === 'depthwiseConv2d') return epilogue(y, inputs.bias, c.activation).dataSync() as Float32Array;
    y = epilogue(y, inputs.depthwiseBias, c.depthwiseActivation);
    const [cin, cout] = inputs.pointwiseFilter!.shape as [number, number];
    const pointwise = tf.tensor4d(inputs.pointwiseFilter!.data, [1, 1, cin, cout]);
    return epilogue(tf.conv2d(y, pointwise, 1, 'valid'), inputs.bias, c.activation).dataSync() as Float32Array;
  });
}

describe('reference kernels agree with TensorFlow.js (tfjs-backend-cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of conformanceCases) {
    it(c.name, async () => {
      const inputs = caseInputs(c);
      const expected = runTfjs(c, inputs);
      const ours = await reference.read(runCase(reference, c, inputs));
      const magnitude = await reference.read(runCase(reference, c, absoluteInputs(inputs), true));
      expect(findMismatches(ours, expected, magnitude, DEFAULT_TOLERANCE)).toBeUndefined();
    });
  }
});

describe('the reference add agrees with TensorFlow.js (tf.add, then tf.relu / tf.relu6)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of addCases) {
    it(c.name, async () => {
      const { a, b } = addCaseInputs(c);
      const expected = tf.tidy(() => {
        const sum = tf.add(toTf(a), toTf(b));
        const y = c.activation === 'relu' ? tf.relu(sum) : c.activation === 'relu6' ? tf.relu6(sum) : sum;
        return y.dataSync() as Float32Array;
      });
      if (reference.add === undefined) throw new Error('the reference backend must declare add');
      const ours = await reference.read(reference.add(a, b, { activation: c.activation }));
      // One float32 add has one correctly rounded result: the two must agree exactly.
      expect(findMismatches(ours, expected, new Float32Array(expected.length), 0)).toBeUndefined();
    });
  }
});
