/**
 * `@sepconv/cost`: what a convolution, layer or network costs — multiply-adds, FLOPs,
 * parameters, bytes moved, arithmetic intensity — counted as the MobileNet papers and Keras
 * count them; roofline predictions for a device profile; MobileNet V1/V2 as layer specs.
 */
export { compareSeparable, separableReplacement, type SeparableComparison } from './compare-separable.js';
export { checkDeviceProfile, type DeviceProfile } from './device-profile.js';
export { FLOAT32_BYTES, layerCost, type LayerCost, type ParamCount } from './layer-cost.js';
export { modelCost, type ModelCost } from './model-cost.js';
export { predictFromCost, predictLayer, type LayerPrediction } from './predict-layer.js';
export { predictModel, type ModelPrediction } from './predict-model.js';
export { formatCount, formatMillions, formatSeconds } from './format-number.js';
export { summary, type SummaryOptions } from './summary.js';
export { separableReduction, type SeparableReductionOptions } from './separable-reduction.js';
export { depthwiseSeparableBlock, type DepthwiseSeparableBlockOptions } from './models/depthwise-separable-block.js';
export { invertedResidualBlock, type InvertedResidualBlockOptions } from './models/inverted-residual-block.js';
export { makeDivisible } from './models/make-divisible.js';
export { mobilenetV1, type MobileNetV1Options } from './models/mobilenet-v1.js';
export { mobilenetV2, type MobileNetV2Options } from './models/mobilenet-v2.js';
