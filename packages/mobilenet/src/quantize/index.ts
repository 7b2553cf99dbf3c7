/** Post-training int8 quantization: folding, calibration, bias correction, and the int8 runtime. */
export type { CalibrationData, CalibrationItem, CalibrationRange } from './calibrate.js';
export { foldModel } from './fold-model.js';
export { quantizeModel, type QuantizeModelOptions } from './quantize-model.js';
export { compileQuantized, type Int8Conv, type QuantizedPlan, type QuantizedStep } from './quantized-plan.js';
export {
  isQuantizedSpec,
  type Int32Weight,
  type Int8Weight,
  type ModelQuantization,
  type QuantizedModel,
  type QuantizedModelSpec,
  type QuantizedWeight,
  type QuantizedWeightMap,
} from './quantized-model-spec.js';
