import { AlgoTradingError, isAlgoTradingError, type BarSeries, type Logger } from '@algo-trading/core';
import type { DataResolver } from '@algo-trading/sweep';
import { UsageError } from '../exit-codes';
import { loadStoreModule, withStore, type StoreAccess } from './access';

/**
 * `store:` data references (`--data store:SPY@1d`, `--benchmark store:QQQ@1d`, a sweep spec's
 * `data: store:SPY@1d`): bars loaded from the store, read-only, the file released as soon as
 * they are in memory.
 */

/** Bars loaded from the store and the reference they answer. */
export interface StoreBars {
  readonly bars: BarSeries;
  /** The reference written back in full: `store:SPY@1d` (the timeframe filled in when it was left out). */
  readonly source: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** The database file. */
  readonly path: string;
}

/** Parses a `store:` reference; a malformed one is a usage error naming `option`. */
async function parseReference(reference: string, option: string) {
  const { parseStoreReference, formatStoreReference } = await loadStoreModule();
  const text = reference.trim();
  try {
    return { parsed: parseStoreReference(text), label: `${option} ${text}`, formatStoreReference };
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`, { cause: error });
  }
}

/** Options of {@link loadStoreSeries}. */
export interface LoadStoreSeriesOptions {
  readonly store: StoreAccess;
  readonly logger: Logger;
  /** The option or spec key the reference came from, for messages: `--data`, `--benchmark`, `data`. */
  readonly option: string;
  /** What runs one series, for the message refusing several symbols: `backtest`, `a sweep`. */
  readonly runner: string;
}

/**
 * Loads the one series a `store:SYMBOL[@TIMEFRAME]` reference names.
 *
 * @throws UsageError for a malformed reference or one naming several symbols (checked before the
 *   store is opened); AlgoTradingError `NOT_FOUND` for a missing database file (naming it) or an
 *   unknown symbol or timeframe (listing what the store holds), and the store's errors for a
 *   locked or corrupt file.
 */
export async function loadStoreSeries(reference: string, options: LoadStoreSeriesOptions): Promise<StoreBars> {
  const { parsed, label, formatStoreReference } = await parseReference(reference, options.option);
  if (parsed.symbols.length > 1) {
    const at = parsed.timeframe === undefined ? '' : `@${parsed.timeframe}`;
    throw new UsageError(
      `${label} names ${parsed.symbols.length} symbols (${parsed.symbols.join(', ')}), but ${options.runner} runs one series: name one symbol, e.g. store:${parsed.symbols[0]}${at}`,
    );
  }
  const symbol = parsed.symbols[0]!;
  const loaded = await withStore(options.store, { logger: options.logger, readOnly: true, what: label }, async (store) => {
    try {
      const bars = await store.loadBars({ symbols: symbol, timeframe: parsed.timeframe });
      const timeframe = parsed.timeframe ?? (await store.listSymbols({ symbol }))[0]!.timeframe;
      return { bars, timeframe };
    } catch (error) {
      if (!isAlgoTradingError(error)) throw error;
      throw new AlgoTradingError(error.code, `${label} (${options.store.path}): ${error.message}`, { cause: error, details: { ...error.details, path: options.store.path } });
    }
  });
  const source = formatStoreReference({ symbols: [symbol], timeframe: loaded.timeframe });
  options.logger.info({ store: options.store.path, symbol, timeframe: loaded.timeframe, bars: loaded.bars.length }, `${source}: ${loaded.bars.length} bars loaded from ${options.store.path}`);
  return { bars: loaded.bars, source, symbol, timeframe: loaded.timeframe, path: options.store.path };
}

/** A universe loaded from the store and the reference it answers. */
export interface StoreUniverse {
  readonly universe: Record<string, BarSeries>;
  /** `store:A,B@1d` (the timeframe filled in when it was left out). */
  readonly source: string;
  readonly timeframe: string;
}

/**
 * Loads the symbols a `store:A,B[@TIMEFRAME]` reference names, as a universe (one series per
 * symbol, each on its own calendar).
 *
 * @throws UsageError for a malformed reference; AlgoTradingError `NOT_FOUND` for a missing
 *   database file or an unknown symbol or timeframe, and the store's errors.
 */
export async function loadStoreUniverse(reference: string, options: Omit<LoadStoreSeriesOptions, 'runner'>): Promise<StoreUniverse> {
  const { parsed, label, formatStoreReference } = await parseReference(reference, options.option);
  const loaded = await withStore(options.store, { logger: options.logger, readOnly: true, what: label }, async (store) => {
    try {
      const universe = await store.loadBars({ symbols: parsed.symbols, timeframe: parsed.timeframe });
      const timeframe = parsed.timeframe ?? (await store.listSymbols({ symbol: parsed.symbols[0]! }))[0]!.timeframe;
      return { universe, timeframe };
    } catch (error) {
      if (!isAlgoTradingError(error)) throw error;
      throw new AlgoTradingError(error.code, `${label} (${options.store.path}): ${error.message}`, { cause: error, details: { ...error.details, path: options.store.path } });
    }
  });
  const source = formatStoreReference({ symbols: parsed.symbols, timeframe: loaded.timeframe });
  options.logger.info({ store: options.store.path, symbols: parsed.symbols, timeframe: loaded.timeframe }, `${source}: ${parsed.symbols.length} symbols loaded from ${options.store.path}`);
  return { universe: loaded.universe, source, timeframe: loaded.timeframe };
}

/**
 * The sweep's resolver of `store:` references (`dataResolvers.store`): the producer and every
 * worker process load the bars from their store (a database on a shared path, or a copy), and
 * the sweep checks their content hash. `onLoad` sees each series loaded (its timeframe, file).
 */
export function storeDataResolver(store: StoreAccess, logger: Logger, onLoad?: (loaded: StoreBars) => void): DataResolver {
  return async (reference) => {
    const loaded = await loadStoreSeries(`store:${reference}`, { store, logger, option: 'data', runner: 'a sweep' });
    onLoad?.(loaded);
    return { bars: loaded.bars };
  };
}
