import { formatShape, HostTensor, ShapeError, ValueError, describeValue } from '@sepconv/tensor';

/** Options of {@link decodeBoxes}. */
export interface DecodeBoxesOptions {
  /**
   * The encodings' scale factors `[y, x, height, width]`. Default `[10, 10, 5, 5]`, the TF
   * Object Detection API's box coder for SSD (face-api's output layer divides by the same).
   */
  scaleFactors?: readonly [number, number, number, number] | undefined;
}

/**
 * Decodes SSD box encodings against their anchors (the TF Object Detection API's
 * `FasterRcnnBoxCoder`): with an anchor's centre `(ya, xa)` and size `(ha, wa)` and an encoding
 * `[ty, tx, th, tw]`, the box's centre is `(ty/sy·ha + ya, tx/sx·wa + xa)` and its size
 * `(exp(th/sh)·ha, exp(tw/sw)·wa)`. Computed in float64.
 * @param encodings `[anchors, 4]`: `[ty, tx, th, tw]` per anchor.
 * @param anchors `[anchors, 4]`: `[yMin, xMin, yMax, xMax]` per anchor.
 * @returns `[anchors, 4]`: `[yMin, xMin, yMax, xMax]` per box, in the anchors' units.
 * @throws ShapeError naming `decodeBoxes` and the argument whose shape does not fit;
 * ValueError for scale factors that are not positive numbers.
 */
export function decodeBoxes(encodings: HostTensor, anchors: HostTensor, options: DecodeBoxesOptions = {}): HostTensor {
  const op = 'decodeBoxes';
  if (anchors.shape.length !== 2 || anchors.shape[1] !== 4)
    throw new ShapeError(op, 'anchors', `anchors must be [anchors, 4], got ${formatShape(anchors.shape)}`);
  const count = anchors.shape[0]!;
  if (encodings.shape.length !== 2 || encodings.shape[0] !== count || encodings.shape[1] !== 4) {
    throw new ShapeError(op, 'encodings', `encodings must be [${count}, 4] like the anchors, got ${formatShape(encodings.shape)}`);
  }
  const factors = options.scaleFactors ?? [10, 10, 5, 5];
  if (!Array.isArray(factors) || factors.length !== 4 || !factors.every((f) => typeof f === 'number' && Number.isFinite(f) && f > 0)) {
    throw new ValueError(op, 'options.scaleFactors', `options.scaleFactors must be 4 positive numbers, got ${describeValue(factors)}`);
  }
  const [sy, sx, sh, sw] = factors;
  const a = anchors.data;
  const e = encodings.data;
  const out = new Float32Array(count * 4);
  for (let i = 0; i < count * 4; i += 4) {
    const anchorHeight = a[i + 2]! - a[i]!;
    const anchorWidth = a[i + 3]! - a[i + 1]!;
    const centreY = (e[i]! / sy) * anchorHeight + a[i]! + anchorHeight / 2;
    const centreX = (e[i + 1]! / sx) * anchorWidth + a[i + 1]! + anchorWidth / 2;
    const halfHeight = (Math.exp(e[i + 2]! / sh) * anchorHeight) / 2;
    const halfWidth = (Math.exp(e[i + 3]! / sw) * anchorWidth) / 2;
    out[i] = centreY - halfHeight;
    out[i + 1] = centreX - halfWidth;
    out[i + 2] = centreY + halfHeight;
    out[i + 3] = centreX + halfWidth;
  }
  return new HostTensor(out, [count, 4]);
}
