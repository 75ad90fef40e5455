import { AlgoTradingError, isAlgoTradingError } from '@algo-trading/core';
import { normalizeHeader, resolveColumns, type ColumnMapping, type ColumnRoles, type PriceLayout } from '@algo-trading/data';

/**
 * Which column of an imported file holds which bar field: the data package's column rules
 * (`resolveColumns`: the same aliases, case and punctuation ignored, an ambiguous header is an
 * error), so a file `readBarsCsv` understands imports the same way. In addition a `timeframe`
 * column is recognised, and a first column named as DuckDB and pandas name an index without a
 * header (`column0`, `__index_level_0__`) serves as the time when nothing else does.
 */

/** Column index of every field; -1 when absent. */
export type FileRoles = ColumnRoles & { timeframe: number };

/** Columns of a file resolved to bar fields. */
export interface ResolvedFileColumns {
  readonly roles: FileRoles;
  /** `ohlc`, or `price` for files with a single close or price column (open = high = low = close). */
  readonly layout: PriceLayout;
  /** The single price column of the `price` layout; -1 for OHLC. */
  readonly priceColumn: number;
}

const TIMEFRAME_ALIASES = ['timeframe', 'interval', 'period'];
const PANDAS_INDEX_NAMES = ['column0', '__index_level_0__'];

/**
 * Chooses the column of every field of `names` (a file's header): explicit `mapping` entries
 * first, then detection among the other columns. Throws the data package's `INVALID_DATA` (a
 * missing or ambiguous column) or `INVALID_CONFIG` (a mapping that names no column), its message
 * prefixed with the file.
 */
export function resolveFileColumns(
  names: readonly string[],
  options: { readonly mapping?: ColumnMapping | undefined; readonly useAdjusted: boolean; readonly source: string },
): ResolvedFileColumns {
  const { source } = options;
  try {
    const resolved = resolveColumns({
      names,
      hasHeader: true,
      mapping: options.mapping,
      useAdjusted: options.useAdjusted,
      fallbackTime: names.length > 0 && PANDAS_INDEX_NAMES.includes(names[0]!) ? 0 : undefined,
      what: 'header',
    });
    const taken = new Set(Object.values(resolved.roles).filter((i) => i >= 0));
    return { ...resolved, roles: { ...resolved.roles, timeframe: detectTimeframe(names, taken) } };
  } catch (error) {
    if (!isAlgoTradingError(error)) throw error;
    throw new AlgoTradingError(error.code, `${source}: ${error.message}`, { cause: error, details: { ...error.details, path: source } });
  }
}

/** The one column whose header names a timeframe among the columns not taken; -1 when none. */
function detectTimeframe(names: readonly string[], taken: ReadonlySet<number>): number {
  let found = -1;
  for (let i = 0; i < names.length; i++) {
    if (taken.has(i) || !TIMEFRAME_ALIASES.includes(normalizeHeader(names[i]!))) continue;
    if (found >= 0) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `columns ${JSON.stringify(names[found])} and ${JSON.stringify(names[i])} both look like timeframe: keep one`,
        { details: { field: 'timeframe', value: [names[found], names[i]] } },
      );
    }
    found = i;
  }
  return found;
}
