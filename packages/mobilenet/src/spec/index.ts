/**
 * MobileNet as plain data: the V1/V2 graphs, the block builders users compose, and the
 * Keras-style summary.
 *
 * The builders are defined in `@sepconv/cost` and re-exported here. The `sepconv-cost` CLI
 * (`sepconv-cost mobilenet-v1 --alpha 0.75`) needs them, and DESIGN.md lets mobilenet depend
 * on cost but not the reverse; specs are layer data from `@sepconv/tensor`, so nothing about
 * them needs a backend or this package's runtime half.
 */
export {
  depthwiseSeparableBlock,
  invertedResidualBlock,
  makeDivisible,
  mobilenetV1,
  mobilenetV2,
  summary,
  type DepthwiseSeparableBlockOptions,
  type InvertedResidualBlockOptions,
  type MobileNetV1Options,
  type MobileNetV2Options,
  type SummaryOptions,
} from '@sepconv/cost';
export type { LayerSpec, ModelSpec } from '@sepconv/tensor';
