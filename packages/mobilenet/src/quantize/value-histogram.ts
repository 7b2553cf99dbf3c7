/** Bins on each side of 0: the histogram's resolution is `bound / BINS_PER_SIDE`. */
const BINS_PER_SIDE = 2048;

/**
 * A histogram of a tensor's values over calibration data, in one pass: bins of equal width over
 * `[-bound, bound]`, the bound doubling (and pairs of bins merging) when a value falls outside,
 * so no value is ever dropped and the data need not be seen twice. Percentiles come from it.
 */
export class ValueHistogram {
  private counts = new Float64Array(2 * BINS_PER_SIDE);
  private bound = 0;
  private total = 0;

  add(values: Float32Array): void {
    let largest = 0;
    for (const value of values) largest = Math.max(largest, Math.abs(value));
    if (this.bound === 0) this.bound = largest > 0 ? largest : 1;
    while (largest > this.bound) this.grow();
    const scale = BINS_PER_SIDE / this.bound;
    for (const value of values) {
      const bin = Math.min(2 * BINS_PER_SIDE - 1, Math.floor(value * scale) + BINS_PER_SIDE);
      this.counts[bin]!++;
    }
    this.total += values.length;
  }

  /**
   * The values below which `lower` and above which `1 − upper` of the counts lie (fractions in
   * `[0, 1]`), each the edge of its bin farther from 0, so the range errs on the wide side.
   */
  range(lower: number, upper: number): [number, number] {
    const width = this.bound / BINS_PER_SIDE;
    const edge = (bin: number) => (bin - BINS_PER_SIDE) * width;
    let below = 0;
    let low = 0;
    while (low < this.counts.length - 1 && below + this.counts[low]! <= lower * this.total) below += this.counts[low++]!;
    let above = 0;
    let high = this.counts.length - 1;
    while (high > 0 && above + this.counts[high]! <= (1 - upper) * this.total) above += this.counts[high--]!;
    return [edge(low), edge(high + 1)];
  }

  /** Doubles the bound, merging each pair of bins. */
  private grow(): void {
    const merged = new Float64Array(this.counts.length);
    for (let bin = 0; bin < this.counts.length; bin++) {
      // Bin i covers [(i − B)·w, (i − B + 1)·w); at width 2w it falls in B + floor((i − B) / 2).
      merged[BINS_PER_SIDE + Math.floor((bin - BINS_PER_SIDE) / 2)]! += this.counts[bin]!;
    }
    this.counts = merged;
    this.bound *= 2;
  }
}
