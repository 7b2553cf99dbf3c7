/**
 * Number formatting for the site's tables, independent of the visitor's locale so the server
 * render, the browser and the tests agree on every character.
 */

/** `568740352` → `568,740,352`. */
export function formatGrouped(value: number): string {
  const [whole = '', fraction] = String(Math.round(value * 1000) / 1000).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/**
 * A count with three significant digits and a suffix, the way the MobileNet paper writes
 * them: `568740352` → `569M`, `4209088` → `4.21M`, `1e9` → `1B`.
 */
export function formatCount(value: number): string {
  const units: readonly [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of units) {
    if (Math.abs(value) >= scale) return `${Number((value / scale).toPrecision(3))}${suffix}`;
  }
  return String(Number(value.toPrecision(3)));
}

/** Bytes in decimal units: `3_211_264` → `3.21 MB`. */
export function formatBytes(bytes: number): string {
  const units: readonly [number, string][] = [
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [scale, suffix] of units) {
    if (Math.abs(bytes) >= scale) return `${Number((bytes / scale).toPrecision(3))} ${suffix}`;
  }
  return `${bytes} B`;
}

/** Seconds with a readable unit: `0.000123` → `123 µs`. */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) return '0 s';
  if (Math.abs(seconds) >= 1) return `${Number(seconds.toPrecision(3))} s`;
  if (Math.abs(seconds) >= 1e-3) return `${Number((seconds * 1e3).toPrecision(3))} ms`;
  return `${Number((seconds * 1e6).toPrecision(3))} µs`;
}

/** A ratio to three decimals: `0.11209` → `0.112`. */
export function formatRatio(value: number): string {
  return value.toFixed(3);
}
