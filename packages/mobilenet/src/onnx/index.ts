/** ONNX import: `loadOnnxModel(bytes)` → `{ spec, weights }`. */
export { loadOnnxModel, type LoadOnnxModelOptions } from './load-onnx-model.js';
export { ONNX_OPERATORS, type OnnxOperator } from './onnx-operators.js';
export { UnsupportedOnnxOperatorsError, type UnsupportedOnnxNode } from './unsupported-onnx-operators-error.js';
