// TensorFlow.js (core + CPU backend + layers) as the independent implementation the
// end-to-end tests compare against.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { HostTensor } from '@sepconv/tensor';

await tf.setBackend('cpu');

export { tf };

/** Runs a Keras layers model from memory on tfjs-backend-cpu. */
export async function tfjsLayersPredict(
  modelJson: { modelTopology: unknown; weightsManifest: { weights: unknown[] }[] },
  weightData: Uint8Array,
  x: HostTensor,
): Promise<Float32Array> {
  const model = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
    }),
  );
  const input = tf.tensor4d(x.data, [x.shape[0]!, x.shape[1]!, x.shape[2]!, x.shape[3]!]);
  const output = model.predict(input) as tf.Tensor;
  const data = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  model.dispose();
  return data;
}
