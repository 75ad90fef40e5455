/**
 * Renders rows as an aligned plain-text table: a header, a rule, one line per row. Numbers and
 * cells that look numeric are right-aligned, text left-aligned.
 *
 * @example
 * renderTextTable(['threshold', 'sharpe'], [['0.55', '1.20'], ['0.60', '0.95']]);
 * // threshold  sharpe
 * // ---------  ------
 * //      0.55    1.20
 * //      0.60    0.95
 */
export function renderTextTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^[-+]?(\d|inf|n\/a)/.test(r[c] ?? '')));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** A number for a table cell: fixed decimals, `n/a` for NaN, `inf` / `-inf`. */
export function cell(value: number, digits = 4): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return value.toFixed(digits);
}
