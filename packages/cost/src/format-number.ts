/** What every formatter here prints for NaN or an infinity: a report never shows `NaN`, `Infinity` or `null`. */
export const NOT_A_NUMBER = 'n/a';

/** Formats a count with thousands separators, `4,253,864`, the same on every locale. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return NOT_A_NUMBER;
  const sign = value < 0 ? '-' : '';
  const [whole, fraction] = Math.abs(value).toString().split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

/** Formats a count in millions as the papers print them, `568.7M`; `digits` after the point (default 1). */
export function formatMillions(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return NOT_A_NUMBER;
  return `${(value / 1e6).toFixed(digits)}M`;
}

/** Formats a duration in the unit that keeps 3–4 significant digits: `812 ns`, `1.25 ms`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return NOT_A_NUMBER;
  const units: readonly [number, string][] = [
    [1, 's'],
    [1e-3, 'ms'],
    [1e-6, 'µs'],
  ];
  for (const [scale, unit] of units) {
    if (seconds >= scale) return `${(seconds / scale).toPrecision(3)} ${unit}`;
  }
  return `${(seconds / 1e-9).toPrecision(3)} ns`;
}

/** Formats a ratio with `digits` after the point (default 2): `0.1122`, `8.91`. */
export function formatRatio(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : NOT_A_NUMBER;
}
