import { describeValue, formatShape, ShapeError, ValueError, type HostTensor } from '@sepconv/tensor';

/** Options of {@link nonMaxSuppression}. */
export interface NonMaxSuppressionOptions {
  /** Keep at most this many boxes. Default 100. */
  maxResults?: number | undefined;
  /** A box overlapping a kept one by more than this intersection over union is dropped. Default 0.5. */
  iouThreshold?: number | undefined;
  /** Only boxes scoring above this are candidates. Default 0.5. */
  minConfidence?: number | undefined;
}

/** Intersection over union of boxes `i` and `j` of `[yMin, xMin, yMax, xMax]` rows (corners in either order); 0 when either is empty. */
function intersectionOverUnion(b: Float32Array, i: number, j: number): number {
  const [y0i, y1i] = b[4 * i]! < b[4 * i + 2]! ? [b[4 * i]!, b[4 * i + 2]!] : [b[4 * i + 2]!, b[4 * i]!];
  const [x0i, x1i] = b[4 * i + 1]! < b[4 * i + 3]! ? [b[4 * i + 1]!, b[4 * i + 3]!] : [b[4 * i + 3]!, b[4 * i + 1]!];
  const [y0j, y1j] = b[4 * j]! < b[4 * j + 2]! ? [b[4 * j]!, b[4 * j + 2]!] : [b[4 * j + 2]!, b[4 * j]!];
  const [x0j, x1j] = b[4 * j + 1]! < b[4 * j + 3]! ? [b[4 * j + 1]!, b[4 * j + 3]!] : [b[4 * j + 3]!, b[4 * j + 1]!];
  const areaI = (y1i - y0i) * (x1i - x0i);
  const areaJ = (y1j - y0j) * (x1j - x0j);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const intersection = Math.max(Math.min(y1i, y1j) - Math.max(y0i, y0j), 0) * Math.max(Math.min(x1i, x1j) - Math.max(x0i, x0j), 0);
  return intersection / (areaI + areaJ - intersection);
}

function checkedNumber(op: string, argument: string, value: unknown, fallback: number, valid: (n: number) => boolean, expected: string): number {
  const resolved = value === undefined ? fallback : value;
  if (typeof resolved !== 'number' || !valid(resolved))
    throw new ValueError(op, argument, `${argument} must be ${expected}, got ${describeValue(value)}`);
  return resolved;
}

/** The options with their defaults, checked; errors name `op`. */
export function resolveNonMaxSuppressionOptions(
  op: string,
  options: NonMaxSuppressionOptions,
): Required<{ [K in keyof NonMaxSuppressionOptions]: number }> {
  return {
    maxResults: checkedNumber(op, 'options.maxResults', options.maxResults, 100, (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0'),
    iouThreshold: checkedNumber(op, 'options.iouThreshold', options.iouThreshold, 0.5, (n) => n >= 0 && n <= 1, 'a number in [0, 1]'),
    minConfidence: checkedNumber(op, 'options.minConfidence', options.minConfidence, 0.5, (n) => n >= 0 && n <= 1, 'a number in [0, 1]'),
  };
}

/**
 * Greedy (hard) non-max suppression, as face-api's SSD and `tf.image.nonMaxSuppression`: the
 * boxes scoring above `minConfidence`, best first (ties in index order), each kept unless it
 * overlaps an already kept box by more than `iouThreshold`, until `maxResults` are kept.
 * @param boxes `[boxes, 4]`: `[yMin, xMin, yMax, xMax]` per box.
 * @param scores one score per box; NaN never passes.
 * @returns the kept boxes' indices, best first.
 * @throws ShapeError / ValueError naming `nonMaxSuppression` and the argument at fault.
 */
export function nonMaxSuppression(boxes: HostTensor, scores: ArrayLike<number>, options: NonMaxSuppressionOptions = {}): number[] {
  const op = 'nonMaxSuppression';
  if (boxes.shape.length !== 2 || boxes.shape[1] !== 4)
    throw new ShapeError(op, 'boxes', `boxes must be [boxes, 4], got ${formatShape(boxes.shape)}`);
  const count = boxes.shape[0]!;
  if (scores.length !== count) throw new ShapeError(op, 'scores', `scores must hold one score per box (${count}), got ${scores.length}`);
  const { maxResults, iouThreshold, minConfidence } = resolveNonMaxSuppressionOptions(op, options);
  const candidates: number[] = [];
  for (let i = 0; i < count; i++) if (scores[i]! > minConfidence) candidates.push(i);
  // Array.prototype.sort is stable: equal scores stay in index order.
  candidates.sort((i, j) => scores[j]! - scores[i]!);
  const kept: number[] = [];
  for (const candidate of candidates) {
    if (kept.length >= maxResults) break;
    if (kept.every((k) => intersectionOverUnion(boxes.data, candidate, k) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}
