/** Running a model spec on a backend: BN folding, kernel fusion, execution. */
export { compileModel, type CompileOptions } from './compile-model.js';
export { instantiate, type InstantiateOptions } from './instantiate.js';
export type { Model } from './model.js';
export type { AddStep, ConvStep, ModelPlan, PlanStep, RelabelStep, SeparableStep, Slot, SlotShape, SoftmaxStep } from './model-plan.js';
