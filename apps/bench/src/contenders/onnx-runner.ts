import { HostTensor, nchwToNhwc, nhwcToNchw } from '@sepconv/tensor';
import type { InferenceSession as NodeSession, Tensor as NodeTensor } from 'onnxruntime-node';
import type { CaseInputs } from '../cases/case-inputs.js';
import { caseOutputShape, type LayerCase } from '../cases/layer-case.js';
import type { PreparedRunner } from '../contender.js';
import { ONNX_INPUT, ONNX_OUTPUT, onnxConvModel } from '../onnx/onnx-conv-model.js';

/**
 * What onnxruntime-node and onnxruntime-web have in common (the `onnxruntime-common` API):
 * a session factory and a tensor constructor. Both contenders share this runner.
 */
export interface OrtApi {
  createSession(model: Uint8Array): Promise<NodeSession>;
  makeTensor(data: Float32Array, dims: readonly number[]): NodeTensor;
}

/**
 * Sets up a case on ONNX Runtime: the model is written in code (see `onnx-conv-model.ts`),
 * the input converted to NCHW once, outside the timing. A run is `session.run` with the
 * output read back as a Float32Array, what a user of either package gets.
 */
export async function setupOnnxCase(api: OrtApi, layerCase: LayerCase, inputs: CaseInputs): Promise<PreparedRunner> {
  const session = await api.createSession(onnxConvModel(layerCase, inputs));
  const nchw = nhwcToNchw(inputs.x);
  const feeds = { [ONNX_INPUT]: api.makeTensor(nchw.data, nchw.shape) };
  const [batch, height, width, channels] = caseOutputShape(layerCase);
  let last: Float32Array | undefined;
  return {
    async run() {
      const results = await session.run(feeds);
      const y = results[ONNX_OUTPUT]!;
      // getData() is where onnxruntime-web copies out of wasm memory; node's is already on the host.
      last = (await y.getData()) as Float32Array;
      y.dispose();
    },
    async output() {
      if (!last) throw new Error(`${layerCase.id}: output() before run()`);
      return nchwToNhwc(new HostTensor(last, [batch, channels, height, width])).data;
    },
    async dispose() {
      await session.release();
    },
  };
}
