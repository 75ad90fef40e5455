import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlgoTradingError, describeValue, type BarSeries, type Logger } from '@algo-trading/core';
import { parseBarsCsv } from './csv';
import { resolvePackageRoot } from './optional-module';

/** Names of the bundled sample data sets. */
export const SAMPLE_NAMES = ['sp500'] as const;
/** One of {@link SAMPLE_NAMES}. */
export type SampleName = (typeof SAMPLE_NAMES)[number];

interface SampleSpec {
  readonly packageName: string;
  readonly file: string;
  readonly symbol: string;
}

const SAMPLES: Readonly<Record<SampleName, SampleSpec>> = {
  // S&P 500 index daily OHLCV, 2000-01-03 .. 2020-04-17 (5,104 bars; adjclose equals close).
  sp500: { packageName: 'vega-datasets', file: 'data/sp500-2000.csv', symbol: 'SP500' },
};

const INSTALL_HINT = 'install it with `npm install vega-datasets@^3.2.1` (it ships the sample CSV files)';

function specOf(name: SampleName, what: string): SampleSpec {
  const spec = typeof name === 'string' && Object.hasOwn(SAMPLES, name) ? SAMPLES[name] : undefined;
  if (spec === undefined) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${what}: name must be one of ${SAMPLE_NAMES.join(', ')}, got ${describeValue(name)}`, {
      details: { field: 'name', value: name },
    });
  }
  return spec;
}

/**
 * Absolute path of a sample CSV file, e.g. `samplePath('sp500')` is `.../vega-datasets/data/sp500-2000.csv`.
 * Throws `UNSUPPORTED` when the optional peer `vega-datasets` is not installed, `INVALID_ARGUMENT`
 * for an unknown name.
 */
export function samplePath(name: SampleName): string {
  const spec = specOf(name, 'samplePath');
  const root = resolvePackageRoot(spec.packageName, `sample data ${JSON.stringify(name)}`, INSTALL_HINT);
  const path = join(root, spec.file);
  if (!existsSync(path)) {
    throw new AlgoTradingError(
      'UNSUPPORTED',
      `sample data ${JSON.stringify(name)}: ${spec.packageName} at ${root} has no ${spec.file} (a different version?); ${INSTALL_HINT}`,
      { details: { field: 'name', value: name, path } },
    );
  }
  return path;
}

/** Options of {@link loadSampleBars}. */
export interface LoadSampleOptions {
  /** Receives loader warnings. Default: silent. */
  readonly logger?: Logger | undefined;
}

/**
 * Loads a bundled sample as a validated {@link BarSeries}: `sp500` is the real S&P 500 index daily
 * OHLCV from 2000-01-03 to 2020-04-17 (5,104 bars, symbol `SP500`) shipped by the optional peer
 * `vega-datasets` (file `data/sp500-2000.csv`). Synchronous; throws `UNSUPPORTED` when
 * `vega-datasets` is not installed.
 *
 * @example
 * const bars = loadSampleBars('sp500');
 * bars.length; // 5104
 */
export function loadSampleBars(name: SampleName, options: LoadSampleOptions = {}): BarSeries {
  const spec = specOf(name, 'loadSampleBars');
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
  return parseBarsCsv(text, { symbol: spec.symbol, ...(options.logger === undefined ? {} : { logger: options.logger }) });
}
