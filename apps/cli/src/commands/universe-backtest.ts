import type { BarSeries } from '@algo-trading/core';
import { getSignalStatistics, smaCrossSignals } from '@algo-trading/strategies';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import type { StrategyChoice } from '../options';
import type { RunResults } from '../output/results-file';
import { runUniverseBenchmark } from '../pipeline/benchmark';
import { runConfiguredUniverseBacktest } from '../pipeline/engine-run';
import type { LoadedUniverse } from '../pipeline/load-universe';
import { buildUniverseRunResults } from '../pipeline/run-results';
import { readUniverseSignalsCsv } from '../pipeline/signals-file';
import { universeConfig } from '../pipeline/universe-run';
import { buildManifest } from '../report/manifest';

/** What {@link universeSignalsBacktest} needs from `backtest`'s options. */
export interface UniverseBacktestOptions {
  readonly data: string;
  readonly strategy: StrategyChoice;
  readonly signals?: string | undefined;
  readonly model?: string | undefined;
  readonly fast: number;
  readonly slow: number;
}

/** The usage error of `--strategy ml` on several symbols. */
function mlRefused(symbols: readonly string[]): UsageError {
  return new UsageError(
    `--strategy ml runs one series, and --data holds ${symbols.length} symbols (${symbols.join(', ')}): on a universe use --strategy sma-cross, --signals <file> (columns date,symbol,signal[,confidence]) or \`algo-trading portfolio backtest\`; or train and backtest each symbol's CSV file on its own`,
  );
}

/**
 * `backtest` on a universe: per-symbol signals (the SMA crossover on each symbol's closes, or a
 * signals file with a symbol column) run through the one engine with one cash ledger, the
 * configured risk manager and sizer on the portfolio equity ({@link universeConfig}), compared
 * with the equal-weight portfolio of the same symbols (or `--benchmark`).
 *
 * @throws UsageError for `--strategy ml` or `--model` (one series only).
 */
export async function universeSignalsBacktest(
  ctx: CommandContext,
  options: UniverseBacktestOptions,
  loaded: LoadedUniverse,
  benchmarkData: { readonly bars: BarSeries; readonly source: string } | undefined,
): Promise<RunResults> {
  const { universe, source } = loaded;
  const symbols = [...universe.keys()];
  if (options.model !== undefined || (options.signals === undefined && options.strategy === 'ml')) throw mlRefused(symbols);
  const { config, sizing } = universeConfig(ctx.config, symbols.length, { configFile: ctx.configFile !== undefined, logger: ctx.logger });
  let signals: Record<string, ArrayLike<number>>;
  let confidences: Record<string, ArrayLike<number>> | undefined;
  let strategyName: string;
  let parameters: Record<string, unknown>;
  if (options.signals !== undefined) {
    const file = await readUniverseSignalsCsv(ctx.resolvePath(options.signals), universe);
    ({ signals, confidences } = file);
    strategyName = 'Signals file';
    parameters = { file: ctx.resolvePath(options.signals), rows: file.rows };
  } else {
    signals = Object.fromEntries(symbols.map((s) => [s, smaCrossSignals(universe.get(s)!.close, { fast: options.fast, slow: options.slow })]));
    confidences = undefined;
    strategyName = `SMA crossover (${options.fast}/${options.slow})`;
    parameters = { fast: options.fast, slow: options.slow };
  }
  let buySignals = 0;
  let sellSignals = 0;
  for (const s of symbols) {
    const stats = getSignalStatistics(signals[s]!, confidences?.[s]);
    buySignals += stats.buySignals;
    sellSignals += stats.sellSignals;
  }
  const run = await runConfiguredUniverseBacktest({ universe, signals, confidences, config, logger: ctx.logger, engineLogger: ctx.engineLogger });
  return buildUniverseRunResults({
    command: 'backtest',
    title: `${strategyName} on ${symbols.length} symbols (${symbols.join(', ')})`,
    strategyName,
    strategyParameters: { ...parameters, symbols: symbols.join(','), buy_signals: buySignals, sell_signals: sellSignals },
    config,
    universe,
    source,
    run,
    sizing,
    manifest: buildManifest({ config, bars: universe, seed: null, argv: ctx.argv }),
    benchmark: await runUniverseBenchmark({ universe, config, run, other: benchmarkData, logger: ctx.logger }),
    buySignals,
  });
}
