/** Loading a model from its files: URLs, file paths (Node), files in memory, a browser FileList. */
export { loadModel, type LoadModelOptions, type LoadModelResult } from './load-model.js';
export { LoadAbortedError } from './load-aborted-error.js';
export type { LoadProgress } from './load-progress.js';
export { ModelFileError } from './model-file-error.js';
export type { ModelFormat } from './model-format.js';
export type { FileLike } from './sources/file-list-source.js';
export type { ModelFilesInMemory } from './sources/memory-source.js';
export type { ModelLocation } from './sources/open-source.js';
export {
  loadSepconvModel,
  saveModel,
  SEPCONV_MODEL_FORMAT,
  SEPCONV_MODEL_VERSION,
  type SepconvModelJson,
  type SepconvWeightDtype,
  type SepconvWeightEntry,
} from './sepconv-model-file.js';
