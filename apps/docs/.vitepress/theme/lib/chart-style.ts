/**
 * What every chart on the results page shares: one colour per contender, the same in every
 * chart, and a left margin that fits the row labels (cut with … only when the chart is too
 * narrow, as on a phone; the dot's tip still names the row in full).
 */

/** Distinct, colour-blind-safe hues (Tableau 10, then darker variants). */
const PALETTE = [
  '#4e79a7',
  '#f28e2c',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#af7aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ab',
  '#2f4b7c',
  '#a05195',
  '#665191',
  '#d45087',
];

/** Plot's `color` scale for these contenders: a fixed domain (sorted names) → colour map. */
export function contenderColours(names: Iterable<string>): { domain: string[]; range: string[] } {
  const domain = [...new Set(names)].sort();
  return { domain, range: domain.map((_, i) => PALETTE[i % PALETTE.length] ?? '#888') };
}

/** Width of one character of Plot's 10px sans-serif tick labels, generously. */
const CHAR_WIDTH = 6.2;

/** A left margin that fits the longest label, but at most `share` of the chart's width. */
export function labelMargin(labels: readonly string[], width: number, share = 0.45): number {
  const longest = Math.max(0, ...labels.map((label) => label.length));
  return Math.min(Math.ceil(longest * CHAR_WIDTH) + 16, Math.floor(width * share));
}

/** A tick formatter that cuts labels to what fits in `margin` pixels. */
export function fitLabel(margin: number): (label: string) => string {
  const max = Math.max(4, Math.floor((margin - 16) / CHAR_WIDTH));
  return (label) => (label.length <= max ? label : `${label.slice(0, max - 1)}…`);
}
