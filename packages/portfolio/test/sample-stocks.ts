import type { BarSeries } from '@algo-trading/core';
import { loadSampleBars } from '@algo-trading/data';

/**
 * The data package's `stocks` sample (monthly closes of MSFT, AMZN, IBM, GOOG, AAPL, 2000-01 to
 * 2010-03; GOOG from 2004-08), in the file's symbol order, which the pinned results below follow.
 */
export function loadStocks(): Map<string, BarSeries> {
  const universe = loadSampleBars('stocks');
  return new Map(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL'].map((symbol) => [symbol, universe.get(symbol)!]));
}
