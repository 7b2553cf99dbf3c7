/**
 * Lays out a plain-text table in the manner of Keras's `model.summary()`: a rule, the header,
 * a double rule, the rows, a rule. Columns are two spaces apart; `rightAligned[i]` right-aligns
 * column `i` (numbers).
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: readonly string[]): string =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        return rightAligned[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((total, width) => total + width, 2 * (widths.length - 1)));
  return [rule, format(header), '='.repeat(rule.length), ...rows.map(format), rule];
}
