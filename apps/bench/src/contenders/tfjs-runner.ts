import type { ConvActivation } from '@sepconv/tensor';
import type * as Tf from '@tensorflow/tfjs-core';
import type { CaseInputs } from '../cases/case-inputs.js';
import type { LayerCase } from '../cases/layer-case.js';
import type { PreparedRunner } from '../contender.js';

let tfjs: Promise<typeof Tf> | undefined;

/**
 * Loads tfjs-core with the CPU and WASM backends registered. PROD mode silences tfjs's
 * "use tfjs-node" banner (tfjs-node does not install here) without changing any kernel.
 */
export function loadTfjs(): Promise<typeof Tf> {
  tfjs ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('PROD', true);
    return tf;
  })();
  return tfjs;
}

/** The epilogues tfjs's fused convolutions run in the kernel (hard-sigmoid and hard-swish are not among them). */
const TFJS_FUSED = ['linear', 'relu', 'relu6'] as const;

function tfjsFusedActivation(activation: ConvActivation): (typeof TFJS_FUSED)[number] {
  const fused = TFJS_FUSED.find((a) => a === activation);
  // A layer case with another epilogue would otherwise run tfjs's convolution without it.
  if (fused === undefined) throw new Error(`tfjs has no fused ${activation} epilogue`);
  return fused;
}

/**
 * Sets up a case on one tfjs backend, with tfjs's fused ops (bias and ReLU6 in the kernel,
 * as a converted MobileNet runs). tfjs has no fused separable op, so both separable cases run
 * its depthwise then its pointwise. tfjs keeps one active backend per process: `beforeRun`
 * makes this one active outside the timing, so no tensor migrates between backends.
 */
export async function setupTfjsCase(backendName: 'cpu' | 'wasm' | 'webgpu', layerCase: LayerCase, inputs: CaseInputs): Promise<PreparedRunner> {
  const tf = await loadTfjs();
  await tf.setBackend(backendName);
  const pad = layerCase.padding;
  const strides = layerCase.strides;
  const activation = tfjsFusedActivation(layerCase.activation);
  const held: Tf.Tensor[] = [];
  const hold = <T extends Tf.Tensor>(t: T): T => {
    held.push(t);
    return t;
  };
  const x = hold(tf.tensor4d(inputs.x.data, inputs.x.shape as [number, number, number, number]));
  let compute: () => Tf.Tensor4D;
  if (inputs.kind === 'separable') {
    const dwFilter = hold(tf.tensor4d(inputs.depthwiseFilter.data, inputs.depthwiseFilter.shape as [number, number, number, number]));
    const dwBias = hold(tf.tensor1d(inputs.depthwiseBias.data));
    const [cin, cout] = inputs.pointwiseFilter.shape as [number, number];
    const pwFilter = hold(tf.tensor4d(inputs.pointwiseFilter.data, [1, 1, cin, cout]));
    const pwBias = hold(tf.tensor1d(inputs.bias.data));
    compute = () =>
      tf.tidy(() => {
        const mid = tf.fused.depthwiseConv2d({ x, filter: dwFilter, strides, pad, bias: dwBias, activation });
        return tf.fused.conv2d({ x: mid, filter: pwFilter, strides: 1, pad: 'valid', bias: pwBias, activation });
      });
  } else {
    const shape = inputs.filter.shape.length === 2 ? [1, 1, inputs.filter.shape[0]!, inputs.filter.shape[1]!] : inputs.filter.shape;
    const filter = hold(tf.tensor4d(inputs.filter.data, shape as [number, number, number, number]));
    const bias = hold(tf.tensor1d(inputs.bias.data));
    compute =
      layerCase.op === 'depthwiseConv2d'
        ? () => tf.fused.depthwiseConv2d({ x, filter, strides, pad, bias, activation })
        : () => tf.fused.conv2d({ x, filter, strides, pad, bias, activation });
  }
  let last: Float32Array | undefined;
  return {
    async beforeRun() {
      if (tf.getBackend() !== backendName) await tf.setBackend(backendName);
    },
    async run() {
      const y = compute();
      last = (await y.data()) as Float32Array;
      y.dispose();
    },
    async output() {
      if (!last) throw new Error(`${layerCase.id}: output() before run()`);
      return last;
    },
    dispose() {
      for (const t of held) t.dispose();
    },
  };
}
