/**
 * MobileNet as plain data: the V1/V2/V3 graphs, the block builders users compose, and the
 * Keras-style summary. Specs are `@sepconv/graph` layer data, so nothing here needs a backend
 * or this package's runtime half; `@sepconv/cost` counts them.
 */
export { depthwiseSeparableBlock, type DepthwiseSeparableBlockOptions } from './depthwise-separable-block.js';
export { invertedResidualBlock, type InvertedResidualBlockOptions } from './inverted-residual-block.js';
export { makeDivisible } from './make-divisible.js';
export { mobilenetV1, type MobileNetV1Options } from './mobilenet-v1.js';
export { mobilenetV2, type MobileNetV2Options } from './mobilenet-v2.js';
export { mobilenetV3, type MobileNetV3Options } from './mobilenet-v3.js';
export { SSD_FEATURE_MAPS, ssdMobileNetV1, type SsdMobileNetV1Options } from './ssd-mobilenet-v1.js';
export { squeezeExciteBlock, type SqueezeExciteBlockOptions } from './squeeze-excite-block.js';
export { summary, type SummaryOptions } from './summary.js';
export type { LayerSpec, ModelSpec } from '@sepconv/graph';
