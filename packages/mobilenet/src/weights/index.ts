/** Weights: TensorFlow.js model formats, dequantisation, batch-norm folding, random weights. */
export { checkWeightsManifest, concatenateShards, decodeWeights, type WeightSpec, type WeightsGroup } from './decode-weights.js';
export { dequantize, halfToFloat, QUANTIZED_BYTES, type Quantization } from './dequantize.js';
export { foldBatchNorm, type BatchNormParams, type FoldedConv } from './fold-batch-norm.js';
export { loadGraphModel, type LoadGraphModelOptions } from './load-graph-model.js';
export { kerasModelSpec, type KerasModelSpecOptions } from './keras-model-spec.js';
export { loadLayersModel, type LoadedModel } from './load-layers-model.js';
export { randomWeights } from './random-weights.js';
export { readWeights } from './read-weights.js';
export { ssdMobileNetV1FaceDetector, type SsdDetectorModel, type SsdMobileNetV1FaceDetectorOptions } from './ssd-mobilenet-v1-face-detector.js';
export { tfSlimMobileNetV1, type TfSlimMobileNetV1Options } from './tf-slim-mobilenet-v1.js';
export type { WeightData } from './weight-bytes.js';
export type { WeightMap } from './weight-map.js';
