import { describeValue } from './describe-value.js';
import { ValueError } from './errors.js';
import { INT8_WEIGHT_MAX, roundHalfAwayFromZero } from './quant-params.js';
import { HostTensor } from './tensor.js';

/** Weights quantized per channel, symmetric: `w = scales[c] · data[i]` where `c` is `i`'s index along `axis`. */
export interface PerChannelQuantized {
  /** Same shape and order as the float weights; values in `[-127, 127]` (zero point 0). */
  readonly data: Int8Array;
  /** One float32 scale per channel along `axis`. */
  readonly scales: Float32Array;
  readonly axis: number;
}

/**
 * Quantizes weights symmetrically per channel, as TensorFlow Lite does for conv and depthwise
 * filters: `scales[c] = max|w| over channel c / 127` (float32), `q = clamp(round(w / scales[c]), -127, 127)`
 * (ties away from zero), zero point 0. A channel of zeros gets scale 1 (TensorFlow Lite's 0 would
 * make its bias scale 0).
 * Axis by layout: conv2d `[KH, KW, Cin, Cout]` and pointwise `[Cin, Cout]` use the last axis; a
 * depthwise filter `[KH, KW, C, M]` is quantized as `[KH, KW, C·M]` (same memory), last axis, so
 * that output channel `c·M + m` has its own scale.
 * @param axis default the last axis; negative counts from the end.
 * @throws ValueError naming `symmetricPerChannel` and `weights` (not a host tensor, or holding a
 * non-finite value) or `axis` (out of range).
 */
export function symmetricPerChannel(weights: HostTensor, axis = -1): PerChannelQuantized {
  const op = 'symmetricPerChannel';
  if (!(weights instanceof HostTensor)) throw new ValueError(op, 'weights', `weights must be a host tensor, got ${describeValue(weights)}`);
  const rank = weights.shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(op, 'axis', `axis must be an integer in [${-rank}, ${rank - 1}], got ${describeValue(axis)}`);
  }
  const resolved = axis < 0 ? axis + rank : axis;
  const channels = weights.shape[resolved]!;
  // Element i lies in channel floor(i / inner) mod channels: inner is the product of the axes after `axis`.
  const inner = weights.shape.slice(resolved + 1).reduce((product, dim) => product * dim, 1);
  const channelOf = (index: number): number => Math.floor(index / inner) % channels;
  const maxAbs = new Float64Array(channels);
  weights.data.forEach((value, index) => {
    if (!Number.isFinite(value)) throw new ValueError(op, 'weights', `weights must be finite, got ${value} at index ${index}`);
    const c = channelOf(index);
    maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(value));
  });
  // A scale that rounds to float32 0 (all zeros, or only subnormal weights) would divide by zero.
  const scales = Float32Array.from(maxAbs, (max) => Math.fround(max / INT8_WEIGHT_MAX) || 1);
  const data = new Int8Array(weights.size);
  weights.data.forEach((value, index) => {
    const q = roundHalfAwayFromZero(Math.fround(value / scales[channelOf(index)]!));
    data[index] = Math.max(-INT8_WEIGHT_MAX, Math.min(INT8_WEIGHT_MAX, q));
  });
  return { data, scales, axis: resolved };
}
