import { AlgoTradingError, BarSeries, describeValue, type Universe } from '@algo-trading/core';

/**
 * One symbol of a run laid on the run's time slices. `aligned` has one bar per slice: the symbol's
 * own bar where it has one; elsewhere a flat bar at its last close (its first open before its
 * first bar) with volume 0, which the engine never trades on (`present` says which slices are
 * real bars). A single series is its own alignment (`present` null: every slice is a bar).
 */
export interface MarketSymbol {
  readonly symbol: string;
  /** The symbol's own bars. */
  readonly series: BarSeries;
  /** One bar per time slice (see above). */
  readonly aligned: BarSeries;
  /** 1 where the symbol has a bar in the slice; null when it has a bar in every slice. */
  readonly present: Uint8Array | null;
  /** Per slice, the index in `series` of the symbol's latest bar at or before it (-1 before its first bar); null when `present` is. */
  readonly ownIndex: Int32Array | null;
  /** Slice of the symbol's first and last bar. */
  readonly first: number;
  readonly last: number;
}

/** The time slices of a run (the union of the symbols' timestamps) and its symbols on them. */
export interface Market {
  readonly time: Float64Array;
  readonly symbols: readonly MarketSymbol[];
}

/** The market of a single series: one symbol, one slice per bar. */
export function singleMarket(series: BarSeries, symbol: string): Market {
  return {
    time: series.time,
    symbols: [{ symbol, series, aligned: series, present: null, ownIndex: null, first: 0, last: series.length - 1 }],
  };
}

/**
 * The market of a universe: the sorted union of every symbol's timestamps as time slices, each
 * symbol aligned on them. Throws `INVALID_DATA` naming the symbol when one has no bars.
 */
export function alignMarket(universe: Universe): Market {
  const entries = [...universe];
  for (const [symbol, series] of entries) {
    if (series.length === 0) {
      throw new AlgoTradingError('INVALID_DATA', `data.${symbol} has no bars: every symbol needs at least 1 bar`, {
        details: { field: `data.${symbol}`, value: 0 },
      });
    }
  }
  if (entries.length === 1) {
    const [symbol, series] = entries[0]!;
    return singleMarket(series, symbol);
  }
  const columns = entries.map(([, series]) => series.time);
  let total = 0;
  for (const column of columns) total += column.length;
  const merged = new Float64Array(total);
  const time = merged.slice(0, mergeTimes(columns, merged));
  const symbols = entries.map(([symbol, series]) => alignSymbol(symbol, series, time));
  return { time, symbols };
}

/**
 * The sorted union of increasing time columns (a k-way merge) written to `out` (room for every
 * value); returns how many. A leaf kernel (docs/architecture.md, "Performance").
 */
function mergeTimes(columns: readonly Float64Array[], out: Float64Array): number {
  const cursors = new Int32Array(columns.length);
  let count = 0;
  for (;;) {
    let next = Number.POSITIVE_INFINITY;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k]!;
      const c = cursors[k]!;
      if (c < column.length && column[c]! < next) next = column[c]!;
    }
    if (next === Number.POSITIVE_INFINITY) return count;
    out[count++] = next;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k]!;
      const c = cursors[k]!;
      if (c < column.length && column[c] === next) cursors[k] = c + 1;
    }
  }
}

function alignSymbol(symbol: string, series: BarSeries, time: Float64Array): MarketSymbol {
  const n = time.length;
  if (series.length === n) return { symbol, series, aligned: series, present: null, ownIndex: null, first: 0, last: n - 1 };
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const present = new Uint8Array(n);
  const ownIndex = new Int32Array(n);
  let j = 0;
  let first = -1;
  let last = -1;
  let flat = series.open[0]!;
  for (let i = 0; i < n; i++) {
    if (j < series.length && series.time[j] === time[i]) {
      open[i] = series.open[j]!;
      high[i] = series.high[j]!;
      low[i] = series.low[j]!;
      close[i] = series.close[j]!;
      volume[i] = series.volume[j]!;
      flat = close[i]!;
      present[i] = 1;
      if (first < 0) first = i;
      last = i;
      ownIndex[i] = j;
      j++;
    } else {
      open[i] = flat;
      high[i] = flat;
      low[i] = flat;
      close[i] = flat;
      ownIndex[i] = j - 1;
    }
  }
  const aligned = BarSeries.fromValidatedColumns({ time, open, high, low, close, volume }, { symbol });
  return { symbol, series, aligned, present, ownIndex, first, last };
}

/**
 * Lays values aligned with `sym`'s own bars on the run's slices (`fill` where the symbol has no
 * bar). Returns `values` itself when the symbol has a bar in every slice.
 */
export function toSlices<T extends Float64Array | Int8Array>(values: T, sym: MarketSymbol, fill: number): T {
  const present = sym.present;
  if (present === null) return values;
  const out = new (values.constructor as new (n: number) => T)(present.length);
  let j = 0;
  for (let i = 0; i < present.length; i++) out[i] = present[i] === 1 ? values[j++]! : fill;
  return out;
}

/**
 * The per-symbol record of a multi-symbol input (`signals: { AAPL: [...] }`): checks it is a plain
 * object whose keys are symbols of the run. Throws `INVALID_DATA` naming the field and the symbol.
 */
export function perSymbolRecord(field: string, value: unknown, symbols: readonly string[]): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `${field} must be a record of symbol to values for a multi-symbol run (e.g. { ${symbols[0] ?? 'AAPL'}: [...] }), got ${describeValue(value)}`,
      { details: { field, value } },
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!symbols.includes(key)) {
      throw new AlgoTradingError('INVALID_DATA', `${field}.${key}: unknown symbol ${JSON.stringify(key)} (the data has ${symbols.join(', ')})`, {
        details: { field: `${field}.${key}`, value: key },
      });
    }
  }
  return record;
}
