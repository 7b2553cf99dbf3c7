/**
 * `@sepconv/conformance` (private): the one test suite every sepconv backend passes,
 * comparing it with the float64 reference kernels of `@sepconv/tensor/reference`.
 */
export { addCaseInputs, addCases, type AddCase } from './add-cases.js';
export { badInputCases, type BadInputCase } from './bad-input-cases.js';
export { absoluteInputs, caseGeometry, caseInputs, runCase, type CaseInputs } from './case-inputs.js';
export type { ConformanceCase } from './conformance-case.js';
export { conformanceCases } from './conformance-cases.js';
export { ADD_NOT_DECLARED, describeAddConformance } from './describe-add-conformance.js';
export { describeReshapeConformance, RESHAPE_NOT_DECLARED } from './describe-reshape-conformance.js';
export { describeSoftmaxConformance, SOFTMAX_NOT_DECLARED, SOFTMAX_TOLERANCE } from './describe-softmax-conformance.js';
export { describeBackendConformance, type ConformanceOptions, type CreateBackend } from './describe-backend-conformance.js';
export { DEFAULT_TOLERANCE, findMismatches } from './expect-close.js';
export { softmaxCaseInput, softmaxCases, softmaxNonFiniteCases, type SoftmaxCase, type SoftmaxNonFiniteCase } from './softmax-cases.js';
export { randomConformanceCases } from './random-cases.js';
