import { isBarSeries, type BarSeries } from './bar-series';
import { AlgoTradingError, describeValue } from './errors';

/**
 * Bars of several symbols: a read-only map from symbol to {@link BarSeries}, each series carrying
 * its symbol, iterated in sorted symbol order (JavaScript string order, e.g. `AAPL`, `MSFT`, `aapl`).
 * Every multi-symbol loader returns one (CSV files with a symbol column, folders of files, the
 * `stocks` sample, synthetic universes), and multi-asset consumers accept one.
 */
export type Universe = ReadonlyMap<string, BarSeries>;

/** What functions taking several symbols accept: a {@link Universe} (any map) or a plain record `{ AAPL: bars }`. */
export type UniverseInput = ReadonlyMap<string, BarSeries> | Readonly<Record<string, BarSeries>>;

function compareSymbols(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Checks a map or record of series and returns it as a {@link Universe}: symbols sorted, each
 * series carrying its key as its symbol (a series without a symbol gets the key; memory is shared).
 * Throws `INVALID_DATA` for no symbols, an empty or untrimmed symbol, a value that is not a
 * `BarSeries`, or a series whose own symbol differs from its key, naming the symbol.
 *
 * @example
 * const universe = toUniverse({ MSFT: msft, AAPL: aapl });
 * [...universe.keys()]; // ['AAPL', 'MSFT']
 */
export function toUniverse(input: UniverseInput): Universe {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || isBarSeries(input)) {
    throw new AlgoTradingError('INVALID_DATA', `a universe must be a Map or a record of symbol to BarSeries, got ${describeValue(input)}`, {
      details: { field: 'universe', value: input },
    });
  }
  const entries: [string, unknown][] = input instanceof Map ? [...(input as ReadonlyMap<string, unknown>)] : Object.entries(input);
  if (entries.length === 0) {
    throw new AlgoTradingError('INVALID_DATA', 'a universe needs at least one symbol, got none', { details: { field: 'universe', value: 0 } });
  }
  entries.sort((a, b) => compareSymbols(String(a[0]), String(b[0])));
  const out = new Map<string, BarSeries>();
  for (const [symbol, series] of entries) {
    if (typeof symbol !== 'string' || symbol === '' || symbol.trim() !== symbol) {
      throw new AlgoTradingError('INVALID_DATA', `universe symbols must be non-empty trimmed strings, got ${describeValue(symbol)}`, {
        details: { field: 'symbol', value: symbol },
      });
    }
    if (!isBarSeries(series)) {
      throw new AlgoTradingError('INVALID_DATA', `universe[${JSON.stringify(symbol)}] must be a BarSeries, got ${describeValue(series)}`, {
        details: { field: symbol, value: series },
      });
    }
    if (series.symbol !== undefined && series.symbol !== symbol) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `universe[${JSON.stringify(symbol)}] holds the bars of ${JSON.stringify(series.symbol)}: key and series symbol must match`,
        { details: { field: symbol, value: series.symbol } },
      );
    }
    out.set(symbol, series.symbol === symbol ? series : series.withSymbol(symbol));
  }
  return out;
}

/** Series in sorted symbol order as a {@link Universe}; for loaders that build series with their symbols set. */
export function universeOf(series: Iterable<BarSeries>): Universe {
  const map = new Map<string, BarSeries>();
  for (const s of series) {
    if (!isBarSeries(s) || s.symbol === undefined) {
      throw new AlgoTradingError('INVALID_DATA', `universeOf needs series with a symbol, got ${describeValue(s)}`, { details: { field: 'symbol', value: s } });
    }
    if (map.has(s.symbol)) {
      throw new AlgoTradingError('INVALID_DATA', `universeOf: symbol ${JSON.stringify(s.symbol)} occurs twice`, { details: { field: 'symbol', value: s.symbol } });
    }
    map.set(s.symbol, s);
  }
  return toUniverse(map);
}
