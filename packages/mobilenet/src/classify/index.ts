/** Classification: an image in, the most probable labels out. */
export { classify, type ClassifyOptions } from './classify.js';
export type { Classification, ClassLabels } from './classification.js';
