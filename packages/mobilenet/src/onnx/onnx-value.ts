import type { OnnxConstant } from './onnx-constant.js';

/**
 * A tensor of the ONNX graph that the spec computes: the spec tensor (a model input or a
 * layer) that holds it, and its ONNX dimensions. Rank-4 tensors are NCHW in ONNX and held
 * NHWC by sepconv; other ranks are held as ONNX has them.
 */
export interface OnnxActivation {
  readonly kind: 'activation';
  /** The spec tensor's name: a model input or a layer. */
  readonly tensor: string;
  /** ONNX's dimensions: `[N, C, H, W]` for an image, `[N, features]` after a flatten. */
  readonly dims: readonly number[];
  /**
   * Set on `[N, C·H·W]` from flattening `[N, C, H, W]` with `H·W > 1`: sepconv holds the
   * features in `(h, w, c)` order, ONNX in `(c, h, w)` order, so a consumer must permute its
   * weights (a `Gemm` / `MatMul` does) or refuse.
   */
  readonly flattenedChw?: readonly [number, number, number];
}

/** A value of the ONNX graph: an activation, or a constant known at load. */
export type OnnxValue = OnnxActivation | { readonly kind: 'constant'; readonly constant: OnnxConstant };

/** The shape sepconv holds an activation in: NHWC for rank 4, ONNX's otherwise. */
export function specShape(dims: readonly number[]): number[] {
  return dims.length === 4 ? [dims[0]!, dims[2]!, dims[3]!, dims[1]!] : [...dims];
}

/** The ONNX (NCHW) axis of a rank-4 tensor → the axis sepconv holds it on (NHWC). */
export const NCHW_TO_NHWC_AXIS: readonly number[] = [0, 3, 1, 2];

/**
 * The index in `(c, h, w)` flattened order of each feature sepconv holds in `(h, w, c)` order:
 * row `hwc` of a weight sepconv uses is row `chwIndex[hwc]` of ONNX's.
 */
export function chwIndexOfHwc([channels, height, width]: readonly [number, number, number]): Int32Array {
  const index = new Int32Array(channels * height * width);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) index[(y * width + x) * channels + c] = (c * height + y) * width + x;
  return index;
}
