/**
 * The sepconv bench as a library: `runBench` and what it runs (cases, contenders), for the
 * CLI, the smoke test and other apps that show results (the docs site reads the JSON).
 */
export { analyseCase, compareGroups, evaluateTargets } from './analysis.js';
export { caseCost, caseLayers } from './case-layers.js';
export * from './cases/index.js';
export type { Contender, PreparedRunner } from './contender.js';
export { contenders } from './contenders/index.js';
export { measureDeviceProfile, profileFor } from './device/device-profile.js';
export { onnxConvModel, onnxSchema } from './onnx/onnx-conv-model.js';
export { formatResults, type FormatOptions } from './report/format-table.js';
export { defaultResultsPath, LOCAL_RESULTS_DIR, RESULTS_DIR, resultsFileName, writeResultsFile } from './report/results-file.js';
export { networkResultsWithoutSamples, withoutSamples } from './report/trim-results.js';
export { TARGET_GOALS, type TargetGoal } from './target-goals.js';
export type * from './results.js';
export { FULL_SETTINGS, QUICK_SETTINGS, runBench, type BenchOptions, type BenchProgress } from './run-bench.js';
