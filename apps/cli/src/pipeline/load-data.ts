import { statSync } from 'node:fs';
import { AlgoTradingError, isAlgoTradingError, isBarSeries, type BarSeries, type Logger } from '@algo-trading/core';
import { loadSampleBars, parseSampleSpec, readBarsCsv, type SampleName } from '@algo-trading/data';
import { DEFAULT_STORE_FILE, DEFAULT_STORE_LOCK_TIMEOUT_MS, type AppConfig } from '../config/schema';
import { UsageError } from '../exit-codes';
import type { StoreAccess } from '../store/access';

/** `--data` value that selects the bundled S&P 500 daily bars. */
export const SP500_SAMPLE = 'sample:sp500';

/** Prefix of a `--data` or `--benchmark` value naming a bundled sample: `sample:<name>`. */
export const SAMPLE_PREFIX = 'sample:';

/**
 * The bundled sample a `--data` / `--benchmark` value names (`sample:sp500`, any case), or
 * undefined for a file path.
 * @throws UsageError for `sample:<unknown>`, listing the samples.
 */
export function sampleNameOf(spec: string): SampleName | undefined {
  try {
    return parseSampleSpec(spec);
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
}

/**
 * The lot size each bundled sample is traded in when no configuration is given: the S&P 500 index
 * costs 800 to 3,400 a unit over the sample, so whole units on the default 10,000 of capital with
 * a 25% position cap buy 1 or 2 units, then none once the index passes 2,500. Hundredths of a
 * unit (as index CFDs and fractional ETF shares trade) let the sizing rules work as written.
 */
export const SAMPLE_LOT_SIZES: Readonly<Partial<Record<SampleName, number>>> = { sp500: 0.01 };

/** Prefix of a `--data` or `--benchmark` value naming bars in the store: `store:SYMBOL[@TIMEFRAME]`. */
export const STORE_PREFIX = 'store:';

/** Bars and where they came from. */
export interface LoadedBars {
  readonly bars: BarSeries;
  /** The file's absolute path, `sample:sp500`, or `store:SPY@1d`. */
  readonly source: string;
  /** A bundled sample's own lot size ({@link SAMPLE_LOT_SIZES}); undefined for a file. */
  readonly defaultLotSize?: number | undefined;
  /** The timeframe of bars from the store (`1d`); undefined otherwise. */
  readonly timeframe?: string | undefined;
}

/** Options of {@link loadBars} from the command line. */
export interface LoadBarsOptions {
  /** `--sort-unordered`: sort rows out of time order (logged) instead of failing. */
  readonly sortUnordered?: boolean | undefined;
  /**
   * The store `store:` references load from (`--db` or `store.path`); default
   * `./algo-trading.duckdb` in the folder of `resolvePath`, waiting up to 10 s for it.
   */
  readonly store?: StoreAccess | undefined;
  /** The option the value came from, for messages (default `--data`). */
  readonly option?: string | undefined;
  /** The command, for the message refusing several symbols (default `this command`). */
  readonly command?: string | undefined;
}

/**
 * The configuration a run uses on `data`: the given one, except that without a config file a
 * bundled sample trades in its own lot size ({@link SAMPLE_LOT_SIZES}) instead of whole units,
 * and the log says so. A config file is always used as written.
 */
export function configForData(config: AppConfig, data: LoadedBars, options: { readonly configFile: boolean; readonly logger: Logger }): AppConfig {
  const lot = data.defaultLotSize;
  if (options.configFile || lot === undefined || lot === config.backtesting.lot_size) return config;
  options.logger.info(
    { lotSize: lot, data: data.source },
    `${data.source} trades in lots of ${lot} (the sample's own lot size, used without a config file); set backtesting.lot_size in a config.yaml to change it`,
  );
  return { ...config, backtesting: { ...config.backtesting, lot_size: lot } };
}

/** Where a `--data` value points: a bundled sample, a folder of CSV files, or a file. */
export type DataSpec =
  | { readonly kind: 'sample'; readonly name: SampleName }
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'file'; readonly path: string };

/**
 * Reads a `--data` value: `sample:<name>`, else a path resolved from the working folder, a folder
 * when one exists there (anything else, missing paths included, is a file for the reader to report).
 *
 * @throws UsageError for `sample:<unknown>`, listing the samples.
 */
export function resolveDataSpec(spec: string, resolvePath: (path: string) => string): DataSpec {
  const sample = sampleNameOf(spec);
  if (sample !== undefined) return { kind: 'sample', name: sample };
  const path = resolvePath(spec);
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    // missing or unreadable: the CSV reader reports it with its own error
  }
  return folder ? { kind: 'folder', path } : { kind: 'file', path };
}

/**
 * A data library error as the command line reports it: the library's hint names its option
 * (`sortUnordered: true`); on the command line it is the `--sort-unordered` flag.
 */
export function withCliHints(error: unknown): unknown {
  if (isAlgoTradingError(error) && error.message.includes('sortUnordered: true')) {
    return new AlgoTradingError(error.code, error.message.replace(/pass sortUnordered: true/g, 'pass --sort-unordered'), {
      cause: error,
      details: error.details,
    });
  }
  return error;
}

/** Where a universe can go instead of a single-series command. */
const UNIVERSE_COMMAND = '`algo-trading backtest`, `portfolio backtest` and `portfolio optimize` take several';

/** The usage error of a single-series command given several symbols. */
function severalSymbols(source: string, symbols: readonly string[], cause?: unknown): UsageError {
  return new UsageError(
    `${source} holds ${symbols.length} symbols (${symbols.join(', ')}); the commands run one series: use ${SAMPLE_PREFIX}sp500 or a CSV file of one symbol (${UNIVERSE_COMMAND})`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Loads the bars a `--data` (or `--benchmark`) option names: `sample:<name>` for a bundled sample
 * (`sample:sp500`, the S&P 500), `store:SYMBOL[@TIMEFRAME]` for one series of the store (the
 * store package is imported only then), otherwise an OHLCV CSV file (columns detected from the
 * header; see `@algo-trading/data`).
 *
 * @param resolvePath resolves a command-line path from the working folder.
 * @throws UsageError for data of several symbols (a universe sample, a folder, a CSV file with a
 *   symbol column naming several, a `store:` reference naming several); AlgoTradingError from the
 *   data package: `NOT_FOUND` naming a missing file, `INVALID_DATA` or `PARSE_ERROR` naming the line
 *   of a malformed row (its hint for rows out of order names the `--sort-unordered` option); for
 *   `store:`, `NOT_FOUND` naming a missing database file or an unknown symbol.
 */
export async function loadBars(
  spec: string,
  resolvePath: (path: string) => string,
  logger: Logger,
  options: LoadBarsOptions = {},
): Promise<LoadedBars> {
  const data = resolveDataSpec(spec, resolvePath);
  if (data.kind === 'sample') {
    const loaded = loadSampleBars(data.name);
    if (!isBarSeries(loaded)) throw severalSymbols(SAMPLE_PREFIX + data.name, [...loaded.keys()]);
    return { bars: loaded, source: SAMPLE_PREFIX + data.name, defaultLotSize: SAMPLE_LOT_SIZES[data.name] };
  }
  const { path } = data;
  if (data.kind === 'folder') {
    throw new UsageError(`${path} is a folder; the commands run one series: use ${SAMPLE_PREFIX}sp500 or a CSV file (${UNIVERSE_COMMAND}: a folder of CSV files, one symbol per file)`);
  }
  if (spec.trim().startsWith(STORE_PREFIX)) {
    const { loadStoreSeries } = await import('../store/data-source');
    const loaded = await loadStoreSeries(spec, {
      store: options.store ?? { path: resolvePath(DEFAULT_STORE_FILE), lockTimeoutMs: DEFAULT_STORE_LOCK_TIMEOUT_MS },
      logger,
      option: options.option ?? '--data',
      runner: options.command ?? 'this command',
    });
    return { bars: loaded.bars, source: loaded.source, timeframe: loaded.timeframe };
  }
  let bars: BarSeries;
  try {
    bars = await readBarsCsv(path, { logger, sortUnordered: options.sortUnordered === true });
  } catch (error) {
    // A symbol column naming several symbols: the data package lists them in the details.
    if (isAlgoTradingError(error, 'INVALID_DATA') && error.details.field === 'symbol' && Array.isArray(error.details.value)) {
      throw severalSymbols(path, error.details.value.map(String), error);
    }
    throw withCliHints(error);
  }
  logger.info({ path, bars: bars.length, symbol: bars.symbol }, 'bars loaded');
  return { bars, source: path };
}
