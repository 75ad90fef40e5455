import { AlgoTradingError, isAlgoTradingError, type BarSeries, type Logger } from '@algo-trading/core';
import { loadSampleBars, readBarsCsv } from '@algo-trading/data';

/** `--data` value that selects the bundled S&P 500 daily bars (vega-datasets). */
export const SP500_SAMPLE = 'sample:sp500';

/** Bars and where they came from. */
export interface LoadedBars {
  readonly bars: BarSeries;
  /** The file's absolute path, or `sample:sp500`. */
  readonly source: string;
}

/** Options of {@link loadBars} from the command line. */
export interface LoadBarsOptions {
  /** `--sort-unordered`: sort rows out of time order (logged) instead of failing. */
  readonly sortUnordered?: boolean | undefined;
}

/**
 * Loads the bars a `--data` option names: `sample:sp500` for the bundled S&P 500 sample, otherwise
 * an OHLCV CSV file (columns detected from the header; see `@algo-trading/data`).
 *
 * @param resolvePath resolves a command-line path from the working folder.
 * @throws AlgoTradingError from the data package: `NOT_FOUND` naming a missing file, `INVALID_DATA`
 *   or `PARSE_ERROR` naming the line of a malformed row (its hint for rows out of order names the
 *   `--sort-unordered` option).
 */
export async function loadBars(
  spec: string,
  resolvePath: (path: string) => string,
  logger: Logger,
  options: LoadBarsOptions = {},
): Promise<LoadedBars> {
  if (spec.trim().toLowerCase() === SP500_SAMPLE) {
    return { bars: await loadSampleBars('sp500'), source: SP500_SAMPLE };
  }
  const path = resolvePath(spec);
  let bars: BarSeries;
  try {
    bars = await readBarsCsv(path, { logger, sortUnordered: options.sortUnordered === true });
  } catch (error) {
    // The library's hint names its option; on the command line it is a flag.
    if (isAlgoTradingError(error) && error.message.includes('sortUnordered: true')) {
      throw new AlgoTradingError(error.code, error.message.replace(/pass sortUnordered: true/g, 'pass --sort-unordered'), {
        cause: error,
        details: error.details,
      });
    }
    throw error;
  }
  logger.info({ path, bars: bars.length, symbol: bars.symbol }, 'bars loaded');
  return { bars, source: path };
}
