import { isAlgoTradingError, type Logger } from '@algo-trading/core';
import type { AppConfig } from '../config/schema';
import { isUsageError } from '../exit-codes';
import { loadBars, resolveDataSpec, STORE_PREFIX, type LoadBarsOptions, type LoadedBars } from './load-data';
import { loadUniverse, type LoadedUniverse } from './load-universe';

/**
 * Share of the portfolio equity a universe run of N symbols may put in each symbol when no
 * config file is given: 0.95 / N. N positions then hold 95% of the equity; the 5% left pays the
 * commissions and the price moves between the decision and the fill, so all N entries fit in the
 * cash, and N positions stopped at the default hard stop risk 0.95 x hard_stop_pct, inside the
 * default portfolio heat limit (which equals the hard stop).
 */
export const UNIVERSE_INVESTED_SHARE = 0.95;

/**
 * The configuration a universe run of `symbols` symbols uses: with a config file, that file as
 * written; without one, the defaults with `risk_management.position_sizing.max_position_size`
 * lowered to {@link UNIVERSE_INVESTED_SHARE} / N (when that is below the default), so every
 * symbol can be held at once. The sizer gets the portfolio equity either way. Also returns the
 * sizing rule in words.
 */
export function universeConfig(
  config: AppConfig,
  symbols: number,
  options: { readonly configFile: boolean; readonly logger: Logger },
): { config: AppConfig; sizing: string } {
  const sizing = config.risk_management.position_sizing;
  const slot = Math.floor((UNIVERSE_INVESTED_SHARE / symbols) * 10_000) / 10_000;
  const describe = (max: number, why: string) =>
    `${sizing.method} sizing on the portfolio equity (risk_per_trade ${sizing.risk_per_trade}), each position at most ${(max * 100).toFixed(2)}% of it (max_position_size ${max}${why})`;
  if (options.configFile || slot >= sizing.max_position_size) {
    return { config, sizing: describe(sizing.max_position_size, options.configFile ? ', from the config file' : '') };
  }
  options.logger.info(
    { symbols, maxPositionSize: slot },
    `${symbols} symbols without a config file: each position is capped at ${UNIVERSE_INVESTED_SHARE} / ${symbols} = ${slot} of the portfolio equity (risk_management.position_sizing.max_position_size; set it in a config.yaml to change it)`,
  );
  return {
    config: { ...config, risk_management: { ...config.risk_management, position_sizing: { ...sizing, max_position_size: slot } } },
    sizing: describe(slot, `: ${UNIVERSE_INVESTED_SHARE} / ${symbols} symbols, the default for a universe without a config file`),
  };
}

/** The data of a run: one series, or a universe of several symbols. */
export type LoadedRunData = { readonly type: 'series'; readonly series: LoadedBars } | { readonly type: 'universe'; readonly universe: LoadedUniverse };

/**
 * Loads what `backtest --data` names, one series or a universe: a folder of CSV files (one
 * symbol per file), a universe sample (`sample:stocks`), a `store:A,B[@TIMEFRAME]` reference
 * naming several symbols and a CSV file whose symbol column names several are universes; a CSV
 * file of one symbol, a one-series sample and `store:A[@TIMEFRAME]` are one series.
 *
 * @throws the errors of {@link loadBars} and {@link loadUniverse}.
 */
export async function loadRunData(spec: string, resolvePath: (path: string) => string, logger: Logger, options: LoadBarsOptions = {}): Promise<LoadedRunData> {
  const data = resolveDataSpec(spec, resolvePath);
  const text = spec.trim();
  const severalInStore = text.startsWith(STORE_PREFIX) && text.slice(STORE_PREFIX.length).split('@')[0]!.includes(',');
  if (data.kind === 'folder' || severalInStore) return { type: 'universe', universe: await loadUniverse(spec, resolvePath, logger, options) };
  try {
    return { type: 'series', series: await loadBars(spec, resolvePath, logger, options) };
  } catch (error) {
    // loadBars refuses several symbols (a universe sample, a CSV file with several in its symbol column).
    const cause = isUsageError(error) ? (error as Error).cause : undefined;
    const csvOfSeveral = isAlgoTradingError(cause, 'INVALID_DATA') && cause.details.field === 'symbol';
    if (data.kind === 'sample' && isUsageError(error)) return { type: 'universe', universe: await loadUniverse(spec, resolvePath, logger, options) };
    if (csvOfSeveral) return { type: 'universe', universe: await loadUniverse(spec, resolvePath, logger, options) };
    throw error;
  }
}
