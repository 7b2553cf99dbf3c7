/**
 * `@sepconv/conformance` (private): the one test suite every sepconv backend passes,
 * comparing it with the float64 reference kernels of `@sepconv/tensor/reference`.
 */
export { activationCaseInput, activationCases, type ActivationCase } from './activation-cases.js';
export { addCaseInputs, addCases, type AddCase } from './add-cases.js';
export { binaryCaseInputs, binaryCases, type BinaryCase } from './binary-cases.js';
export { concatCaseInputs, concatCases, type ConcatCase } from './concat-cases.js';
export { describeActivationConformance } from './describe-activation-conformance.js';
export { describeBinaryConformance, ELEMENTWISE_TOLERANCE } from './describe-binary-conformance.js';
export {
  capabilityOf,
  describeCapability,
  expectMatchesReference,
  notDeclaredTitle,
  type GraphCapability,
  type Int8Capability,
  type ProbedCapability,
  type ReferenceComparison,
} from './describe-capability.js';
export { describeConcatConformance } from './describe-concat-conformance.js';
export { describePadConformance } from './describe-pad-conformance.js';
export { describePoolConformance } from './describe-pool-conformance.js';
export { describeResizeBilinearConformance, RESIZE_TOLERANCE } from './describe-resize-bilinear-conformance.js';
export { padCaseInput, padCases, type PadCase } from './pad-cases.js';
export { globalPool2dCases, pool2dCases, poolCaseInput, type GlobalPool2dCase, type Pool2dCase } from './pool-cases.js';
export { resizeBilinearCaseInput, resizeBilinearCases, type ResizeBilinearCase } from './resize-bilinear-cases.js';
export { badInputCases, type BadInputCase } from './bad-input-cases.js';
export { absoluteInputs, caseGeometry, caseInputs, runCase, type CaseInputs } from './case-inputs.js';
export type { ConformanceCase } from './conformance-case.js';
export { conformanceCases } from './conformance-cases.js';
export { residualCases } from './residual-cases.js';
export { describeResidualConformance, residualNotDeclaredTitle } from './describe-residual-conformance.js';
export { ADD_NOT_DECLARED, describeAddConformance } from './describe-add-conformance.js';
export { describeReshapeConformance, RESHAPE_NOT_DECLARED } from './describe-reshape-conformance.js';
export { describeScopeConformance, SCOPE_MEMORY_NOT_MEASURED, type MemoryProbe } from './describe-scope-conformance.js';
export { describeSoftmaxConformance, SOFTMAX_NOT_DECLARED, SOFTMAX_TOLERANCE } from './describe-softmax-conformance.js';
export { convCase, describeConvFuzz, type ConvFuzzOptions } from './describe-conv-fuzz.js';
export { describeOptionFuzz } from './describe-option-fuzz.js';
export { fuzzParameters, fuzzRuns, fuzzSeed } from './fuzz-runs.js';
export { describeBackendConformance, type ConformanceOptions, type CreateBackend } from './describe-backend-conformance.js';
export { DEFAULT_TOLERANCE, findMismatches } from './expect-close.js';
export { softmaxCaseInput, softmaxCases, softmaxNonFiniteCases, type SoftmaxCase, type SoftmaxNonFiniteCase } from './softmax-cases.js';
export { randomConformanceCases } from './random-cases.js';
export { describeInt8Conformance } from './describe-int8-conformance.js';
export {
  describeInt8ConvConformance,
  describeInt8VariantConformance,
  int8CasesFor,
  runInt8ConvCase,
  type Int8KernelVariant,
} from './describe-int8-conv-conformance.js';
export { describeInt8ElementwiseConformance } from './describe-int8-elementwise-conformance.js';
export { describeInt8MulLookupConformance } from './describe-int8-mul-lookup-conformance.js';
export { expectInt8MatchesReference, readInt8AndDispose, type Int8Comparison } from './expect-int8.js';
export {
  EXTREME_MULTIPLIERS,
  int8CaseGeometry,
  int8ConvCases,
  int8ConvInputs,
  ZERO_POINTS,
  type Int8ConvCase,
  type Int8ConvInputs,
} from './int8-conv-cases.js';
