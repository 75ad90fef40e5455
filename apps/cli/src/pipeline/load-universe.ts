import { isBarSeries, toUniverse, type Logger, type Universe } from '@algo-trading/core';
import { loadSampleBars, readBarsCsvBySymbol, readBarsFolder } from '@algo-trading/data';
import { DEFAULT_STORE_FILE, DEFAULT_STORE_LOCK_TIMEOUT_MS } from '../config/schema';
import { SAMPLE_PREFIX, STORE_PREFIX, resolveDataSpec, withCliHints, type LoadBarsOptions } from './load-data';

/** A universe of bar series and where it came from. */
export interface LoadedUniverse {
  /** One series per symbol, sorted by symbol. */
  readonly universe: Universe;
  /** `sample:<name>`, or the absolute path of the folder or file. */
  readonly source: string;
  /** What `--data` named: a bundled sample, a folder of CSV files (one symbol per file), one CSV file, or symbols of the store. */
  readonly kind: 'sample' | 'folder' | 'csv' | 'store';
  /** The timeframe of bars from the store (`1d`); undefined otherwise. */
  readonly timeframe?: string | undefined;
}

/**
 * Loads the universe a `--data` option names:
 * - `sample:<name>`: a bundled sample (`sample:stocks`: five symbols; a single-series sample gives
 *   a universe of one symbol);
 * - a folder: every `*.csv` file in it, one symbol per file named after the file (`AAPL.csv` is
 *   `AAPL`), read with the data package's `readBarsFolder`;
 * - a CSV file: with a symbol column, one series per symbol (`readBarsCsvBySymbol`); without one,
 *   a universe of one symbol;
 * - `store:A,B[@TIMEFRAME]`: those symbols of the store (`--db`).
 *
 * The same `--data` rules as {@link loadBars} (samples, `--sort-unordered`, column detection).
 *
 * @throws UsageError for `sample:<unknown>`; AlgoTradingError from the data package (`NOT_FOUND`,
 *   `IO_ERROR`, `INVALID_DATA`, `PARSE_ERROR`) naming the path and line.
 */
export async function loadUniverse(
  spec: string,
  resolvePath: (path: string) => string,
  logger: Logger,
  options: LoadBarsOptions = {},
): Promise<LoadedUniverse> {
  const data = resolveDataSpec(spec, resolvePath);
  if (data.kind === 'sample') {
    const loaded = loadSampleBars(data.name, { logger });
    const universe = isBarSeries(loaded) ? toUniverse({ [loaded.symbol ?? data.name]: loaded }) : loaded;
    return { universe, source: SAMPLE_PREFIX + data.name, kind: 'sample' };
  }
  if (spec.trim().startsWith(STORE_PREFIX)) {
    const { loadStoreUniverse } = await import('../store/data-source');
    const loaded = await loadStoreUniverse(spec, {
      store: options.store ?? { path: resolvePath(DEFAULT_STORE_FILE), lockTimeoutMs: DEFAULT_STORE_LOCK_TIMEOUT_MS },
      logger,
      option: options.option ?? '--data',
    });
    return { universe: toUniverse(loaded.universe), source: loaded.source, kind: 'store', timeframe: loaded.timeframe };
  }
  const csvOptions = { logger, sortUnordered: options.sortUnordered === true };
  let universe: Universe;
  try {
    universe = data.kind === 'folder' ? await readBarsFolder(data.path, csvOptions) : await readBarsCsvBySymbol(data.path, csvOptions);
  } catch (error) {
    throw withCliHints(error);
  }
  logger.info({ path: data.path, symbols: [...universe.keys()] }, 'universe loaded');
  return { universe, source: data.path, kind: data.kind === 'folder' ? 'folder' : 'csv' };
}
