/** The layer suites: plain data the harness runs and contenders set up. */
export { makeCaseInputs, type CaseInputs } from './case-inputs.js';
export { caseOutputShape, caseSteps, type LayerCase, type LayerOp } from './layer-case.js';
export { mobilenetV1Layers } from './mobilenet-v1-layers.js';
export { quickLayers } from './quick-layers.js';
