import type { Backend, Tensor } from '@sepconv/tensor';
import type { CaseInputs } from '../cases/case-inputs.js';
import type { LayerCase } from '../cases/layer-case.js';
import type { PreparedRunner } from '../contender.js';

/**
 * Sets up a case on a sepconv `Backend` through its public API only, as a user calls it: the
 * same filter tensors every run (so a backend that packs weights once per filter does so in
 * the warm-up), and `read()` in every run, since that is when the result is on the host.
 * `x` replaces `inputs.x` when the contender made the input resident in its backend once
 * (as tfjs holds its input tensor), e.g. `@sepconv/cpu`'s `upload()`.
 */
export async function setupSepconvCase(backend: Backend, layerCase: LayerCase, inputs: CaseInputs, x: Tensor = inputs.x): Promise<PreparedRunner> {
  const strides = layerCase.strides;
  const padding = layerCase.padding;
  const activation = layerCase.activation;
  let compute: () => Tensor;
  if (inputs.kind === 'separable') {
    const { depthwiseFilter, depthwiseBias, pointwiseFilter, bias } = inputs;
    compute =
      layerCase.op === 'separableConv2d'
        ? () =>
            backend.separableConv2d(x, depthwiseFilter, pointwiseFilter, {
              strides,
              padding,
              depthwiseBias,
              depthwiseActivation: activation,
              bias,
              activation,
            })
        : () => {
            const mid = backend.depthwiseConv2d(x, depthwiseFilter, { strides, padding, bias: depthwiseBias, activation });
            try {
              return backend.pointwiseConv2d(mid, pointwiseFilter, { bias, activation });
            } finally {
              mid.dispose();
            }
          };
  } else {
    const { filter, bias } = inputs;
    const options = { strides, padding, bias, activation };
    compute =
      layerCase.op === 'conv2d'
        ? () => backend.conv2d(x, filter, options)
        : layerCase.op === 'depthwiseConv2d'
          ? () => backend.depthwiseConv2d(x, filter, options)
          : () => backend.pointwiseConv2d(x, filter, options);
  }
  let last: Float32Array | undefined;
  return {
    async run() {
      const y = compute();
      try {
        last = await backend.read(y);
      } finally {
        y.dispose();
      }
    },
    async output() {
      if (!last) throw new Error(`${layerCase.id}: output() before run()`);
      return last;
    },
    dispose() {},
  };
}
