/**
 * `@sepconv/cost`: what a convolution, layer or network costs — multiply-adds, FLOPs,
 * parameters, bytes moved, arithmetic intensity — counted as the MobileNet papers and Keras
 * count them, for any `@sepconv/graph` spec; roofline predictions for a device profile; the
 * number formats and text table its reports use. It knows no particular network.
 *
 * @packageDocumentation
 */
export { compareSeparable, separableReplacement, type SeparableComparison } from './compare-separable.js';
export { checkDeviceProfile, MIN_DEVICE_RATE, type DeviceProfile } from './device-profile.js';
export { FLOAT32_BYTES, layerCost, type LayerCost, type LayerCostOptions, type ParamCount } from './layer-cost.js';
export { checkCostDType, DTYPE_BYTES, type CostDType, type DTypeBytes } from './cost-dtype.js';
export { fusedLayers } from './fused-layers.js';
export { modelCost, type ModelCost, type ModelCostOptions } from './model-cost.js';
export { predictFromCost, predictLayer, type LayerPrediction } from './predict-layer.js';
export { predictModel, type ModelPrediction } from './predict-model.js';
export { formatCount, formatMillions, formatRatio, formatSeconds, NOT_A_NUMBER } from './format-number.js';
export { separableReduction, type SeparableReductionOptions } from './separable-reduction.js';
export { textTable } from './text-table.js';
