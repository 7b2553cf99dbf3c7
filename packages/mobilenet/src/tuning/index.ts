/** Choosing each layer's kernel variant by measurement: options, caches, the report. */
export { fileTuneCache } from './file-tune-cache.js';
export { indexedDbTuneCache, type IndexedDbTuneCacheOptions } from './indexed-db-tune-cache.js';
export { defaultTuneCache, memoryTuneCache, type TuneCache, type TuneRecord } from './tune-cache.js';
export { DEFAULT_TUNE_BUDGET_MS, type TuneOptions, type TuneProgress } from './tune-options.js';
export { formatTuningReport, type StepTuning, type TunedCandidate, type TuningReport, type TuningSource } from './tuning-report.js';
