import type { Tensor } from '@sepconv/tensor';
import { createWebGpuBackend, type WebGpuBackend } from '@sepconv/webgpu';
import type { Contender } from '../contender.js';
import { webGpuNodeDevice } from './webgpu-node-device.js';

let backend: WebGpuBackend | undefined;

/**
 * `@sepconv/webgpu` with its default kernel selection, on Dawn (SwiftShader without a GPU).
 * Inputs and weights are uploaded once in setup, as tfjs keeps its tensors on the GPU; each
 * run is the op through `read()` of the result. Timed with GPU timestamps (begin/end of each
 * compute pass) when the adapter has `timestamp-query`, else wall time submit to readback.
 */
export const sepconvWebGpu: Contender = {
  name: 'sepconv-webgpu',
  kind: 'gpu',
  role: 'sepconv',
  threads: 1,
  packageName: '@sepconv/webgpu',
  async init() {
    backend = await createWebGpuBackend({ device: await webGpuNodeDevice() });
  },
  async setup(layerCase, inputs) {
    const gpu = backend;
    if (!gpu) throw new Error('sepconv-webgpu: setup() before init()');
    const held: Tensor[] = [];
    const upload = (t: Tensor): Tensor => {
      const uploaded = gpu.upload(t);
      held.push(uploaded);
      return uploaded;
    };
    const { strides, padding, activation } = layerCase;
    const x = upload(inputs.x);
    let compute: () => Tensor;
    if (inputs.kind === 'separable') {
      const depthwiseFilter = upload(inputs.depthwiseFilter);
      const depthwiseBias = upload(inputs.depthwiseBias);
      const pointwiseFilter = upload(inputs.pointwiseFilter);
      const bias = upload(inputs.bias);
      compute =
        layerCase.op === 'separableConv2d'
          ? () =>
              gpu.separableConv2d(x, depthwiseFilter, pointwiseFilter, {
                strides,
                padding,
                depthwiseBias,
                depthwiseActivation: activation,
                bias,
                activation,
              })
          : () => {
              const mid = gpu.depthwiseConv2d(x, depthwiseFilter, { strides, padding, bias: depthwiseBias, activation });
              try {
                return gpu.pointwiseConv2d(mid, pointwiseFilter, { bias, activation });
              } finally {
                mid.dispose();
              }
            };
    } else {
      const filter = upload(inputs.filter);
      const options = { strides, padding, bias: upload(inputs.bias), activation };
      compute =
        layerCase.op === 'conv2d'
          ? () => gpu.conv2d(x, filter, options)
          : layerCase.op === 'depthwiseConv2d'
            ? () => gpu.depthwiseConv2d(x, filter, options)
            : () => gpu.pointwiseConv2d(x, filter, options);
    }
    let last: Float32Array | undefined;
    let gpuSeconds = 0;
    const timestamps = gpu.device.features.has('timestamp-query');
    return {
      timing: timestamps ? 'gpu-timestamp' : 'wall',
      lastGpuSeconds: () => gpuSeconds,
      async run() {
        let y: Tensor | undefined;
        if (timestamps) {
          gpuSeconds = await gpu.time(() => {
            y = compute();
          });
        } else {
          y = compute();
        }
        try {
          last = await gpu.read(y!);
        } finally {
          y!.dispose();
        }
      },
      async output() {
        if (!last) throw new Error(`${layerCase.id}: output() before run()`);
        return last;
      },
      dispose() {
        for (const t of held) t.dispose();
      },
    };
  },
  async close() {
    backend?.dispose();
    backend = undefined;
  },
};
