// onnxruntime-web (wasm, one thread) as the independent judge of what an ONNX file computes.
import type { HostTensor } from '@sepconv/tensor';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

/** onnxruntime-web's first output for an NCHW input (the graph's first input). */
export async function onnxRuntimeOutput(bytes: Uint8Array, x: HostTensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const results = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x.data, [...x.shape]) });
    return (await results[session.outputNames[0]!]!.getData()) as Float32Array;
  } finally {
    await session.release();
  }
}

/** Every output of onnxruntime-web for an NCHW input, by the graph's output names, in its order. */
export async function onnxRuntimeOutputs(bytes: Uint8Array, x: HostTensor): Promise<Map<string, { data: Float32Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const results = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x.data, [...x.shape]) });
    const outputs = new Map<string, { data: Float32Array; dims: readonly number[] }>();
    for (const name of session.outputNames) outputs.set(name, { data: (await results[name]!.getData()) as Float32Array, dims: results[name]!.dims });
    return outputs;
  } finally {
    await session.release();
  }
}

/** The largest |actual − expected| relative to the largest |expected|. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}
