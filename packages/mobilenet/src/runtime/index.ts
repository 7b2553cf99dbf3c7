/** Running a model spec on a backend: lowering, folding, fusion, liveness, execution. */
export { compileModel, type CompileOptions } from './compile-model.js';
export { instantiate, type InstantiateOptions } from './instantiate.js';
export { onlyOutput, type Model, type ModelInputs, type ModelOutputs } from './model.js';
export type {
  ActivationStep,
  BinaryStep,
  ConcatStep,
  ConvStep,
  GlobalPoolStep,
  ModelPlan,
  PadStep,
  PlanPort,
  PlanStep,
  PoolStep,
  RelabelStep,
  ResizeStep,
  SeparableStep,
  Slot,
  SlotShape,
  SoftmaxStep,
  StepKind,
} from './model-plan.js';
export { UNFUSED_VARIANT } from './model-plan.js';
