import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlgoTradingError, describeValue, type BarSeries, type Logger, type Universe } from '@algo-trading/core';
import { parseBarsCsv, parseBarsCsvBySymbol } from './csv';

/**
 * Real market data shipped inside this package (folder `samples/`, about 430 KB), copied from the
 * vega-datasets project; see `samples/NOTICE.md` for origin and terms.
 */

/** Names of the bundled sample data sets. */
export const SAMPLE_NAMES = ['sp500', 'stocks'] as const;
/** One of {@link SAMPLE_NAMES}. */
export type SampleName = (typeof SAMPLE_NAMES)[number];

/** What {@link loadSampleBars} returns for each sample: one series, or a universe of several symbols. */
export interface SampleData {
  readonly sp500: BarSeries;
  readonly stocks: Universe;
}

interface SampleSpec {
  readonly file: string;
  readonly description: string;
}

const SAMPLES: Readonly<Record<SampleName, SampleSpec>> = {
  sp500: {
    file: 'sp500-2000.csv',
    description: 'the S&P 500 index, daily OHLCV, 2000-01-03 to 2020-04-17, 5,105 bars, symbol SP500',
  },
  stocks: {
    file: 'stocks.csv',
    description: 'monthly prices of AAPL, AMZN, GOOG, IBM and MSFT, 2000-01 to 2010-03 (GOOG from 2004-08), price only',
  },
};

/** Every sample with its description, for messages. */
function listSamples(): string {
  return SAMPLE_NAMES.map((name) => `${name} (${SAMPLES[name].description})`).join(', ');
}

function specOf(name: unknown, what: string): SampleSpec {
  const spec = typeof name === 'string' && Object.hasOwn(SAMPLES, name) ? SAMPLES[name as SampleName] : undefined;
  if (spec === undefined) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${what}: unknown sample ${describeValue(name)}; the samples are ${listSamples()}`, {
      details: { field: 'name', value: name, samples: [...SAMPLE_NAMES] },
    });
  }
  return spec;
}

/** This package's folder: the nearest folder above this module with the package's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@algo-trading/data') return dir;
      } catch {
        // Not a readable manifest: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new AlgoTradingError('NOT_FOUND', `cannot find the folder of @algo-trading/data above ${fileURLToPath(import.meta.url)} (is the package bundled?)`, {
    details: { field: 'samples' },
  });
}

/**
 * Absolute path of a sample's CSV file inside this package, e.g. `samplePath('sp500')` ends with
 * `@algo-trading/data/samples/sp500-2000.csv`. `INVALID_ARGUMENT` listing the samples for an
 * unknown name.
 */
export function samplePath(name: SampleName): string {
  const spec = specOf(name, 'samplePath');
  return join(packageRoot(), 'samples', spec.file);
}

/**
 * The sample named by a data source such as `sample:sp500` (case-insensitive, spaces trimmed), or
 * undefined when `spec` does not start with `sample:`. `INVALID_ARGUMENT` listing the samples when
 * the name is unknown: apps call it on every `--data` value before treating it as a path.
 *
 * @example
 * parseSampleSpec('sample:stocks'); // 'stocks'
 * parseSampleSpec('./SPY.csv');     // undefined
 */
export function parseSampleSpec(spec: string): SampleName | undefined {
  if (typeof spec !== 'string') return undefined;
  const match = /^\s*sample:(.*)$/i.exec(spec);
  if (match === null) return undefined;
  const name = match[1]!.trim().toLowerCase();
  specOf(name, `data source ${JSON.stringify(spec.trim())}`);
  return name as SampleName;
}

/** Options of {@link loadSampleBars}. */
export interface LoadSampleOptions {
  /** Receives loader warnings. Default: silent. */
  readonly logger?: Logger | undefined;
}

/**
 * Loads a bundled sample, synchronously:
 * - `sp500`: the real S&P 500 index daily OHLCV, 2000-01-03 to 2020-04-17 (5,105 bars, symbol
 *   `SP500`; its adjusted close equals its close), a {@link BarSeries};
 * - `stocks`: real monthly prices of AAPL, AMZN, GOOG, IBM and MSFT from January 2000 to March 2010
 *   (GOOG from August 2004; 123 months, 68 for GOOG), a {@link Universe} in sorted symbol order.
 *   Price only (open = high = low = close, volume 0): backtest it with `fillAt: 'close'`. Each
 *   price is dated the first day of its month, as in the source.
 *
 * @example
 * const spx = loadSampleBars('sp500');
 * spx.length; // 5105
 * const stocks = loadSampleBars('stocks');
 * [...stocks.keys()]; // ['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']
 */
export function loadSampleBars<N extends SampleName>(name: N, options: LoadSampleOptions = {}): SampleData[N] {
  specOf(name, 'loadSampleBars');
  const path = samplePath(name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AlgoTradingError('IO_ERROR', `cannot read sample file ${path}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      details: { field: 'path', value: path },
    });
  }
  const logger = options.logger === undefined ? {} : { logger: options.logger };
  const data = name === 'stocks' ? parseBarsCsvBySymbol(text, logger) : parseBarsCsv(text, { symbol: 'SP500', ...logger });
  return data as SampleData[N];
}
