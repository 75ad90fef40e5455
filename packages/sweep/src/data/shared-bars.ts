import { BAR_COLUMNS, BarSeries } from '@algo-trading/core';

/**
 * Bars in shared memory: each column in a `SharedArrayBuffer`, so that every worker thread reads
 * the same memory. Posting a `SharedArrayBuffer` to a thread shares it (no copy), so a task can
 * carry the bars at no cost, and a thread wraps them in a `BarSeries` once per data hash.
 */
export interface SharedBars {
  /** Content hash of the data (the data reference's). */
  readonly hash: string;
  readonly symbol: string | undefined;
  readonly columns: Readonly<Record<(typeof BAR_COLUMNS)[number], SharedArrayBuffer>>;
}

/** Copies the columns of `bars` into shared memory (once per process). */
export function shareBars(bars: BarSeries, hash: string): SharedBars {
  const columns = {} as Record<(typeof BAR_COLUMNS)[number], SharedArrayBuffer>;
  for (const name of BAR_COLUMNS) {
    const buffer = new SharedArrayBuffer(bars.length * Float64Array.BYTES_PER_ELEMENT);
    new Float64Array(buffer).set(bars[name]);
    columns[name] = buffer;
  }
  return { hash, symbol: bars.symbol, columns };
}

/** A `BarSeries` over shared columns (no copy; validated once). */
export function barsFromShared(shared: SharedBars): BarSeries {
  const c = shared.columns;
  return BarSeries.fromValidatedColumns(
    {
      time: new Float64Array(c.time),
      open: new Float64Array(c.open),
      high: new Float64Array(c.high),
      low: new Float64Array(c.low),
      close: new Float64Array(c.close),
      volume: new Float64Array(c.volume),
    },
    shared.symbol === undefined ? undefined : { symbol: shared.symbol },
  );
}
