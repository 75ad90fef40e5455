import type { Rejection } from '@algo-trading/backtesting';
import type { BarSeries, Fill } from '@algo-trading/core';
import type { AppConfig } from '../config/schema';

/**
 * Warnings for a run that did nothing useful, shown on the console, in `results.json` and at the
 * top of the report: a run without a single fill, a run whose trades all stayed open, and a run
 * whose entry orders were mostly rejected because one lot was more than the sizing allowed.
 */

/** Share of entry orders rejected for the lot size above which a run is flagged. */
export const LOT_REJECTION_WARNING_SHARE = 0.5;

/** Rejection codes that mean "one lot is too much": the sized quantity is below one lot, or the cash does not cover one. */
const LOT_CODES: ReadonlySet<string> = new Set(['lot', 'cash']);

/**
 * Share of the run after the last entry fill from which a run whose later orders were all
 * rejected for the lot size is flagged as having stopped trading.
 */
export const STALLED_TAIL_SHARE = 0.1;

/** What {@link runWarnings} reads from a run. */
export interface RunWarningsInput {
  /** The bars backtested (of a universe: its time slices, and every symbol's closes). */
  readonly bars: Pick<BarSeries, 'time' | 'close' | 'length'>;
  readonly config: AppConfig;
  readonly fills: readonly Fill[];
  readonly rejections: readonly Rejection[];
  /** Closed trades. */
  readonly trades: number;
  readonly openPositions: number;
  /** Signal statistics, when the run had signals: a run without a buy signal is told so. */
  readonly buySignals?: number | undefined;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** `the only entry order was` / `all 5 entry orders were`. */
function allOf(n: number): string {
  return n === 1 ? 'the only entry order was' : `all ${plural(n, 'entry order')} were`;
}

/**
 * A lot size that would have let the run trade: a power of ten at most a tenth of the
 * largest position the sizing allows at the median price (max_position_size x capital / price).
 */
export function suggestedLotSize(config: AppConfig, price: number): number {
  const units = (config.risk_management.position_sizing.max_position_size * config.backtesting.initial_capital) / price;
  if (!(units > 0) || !Number.isFinite(units)) return config.backtesting.lot_size;
  return Math.min(config.backtesting.lot_size, 10 ** Math.floor(Math.log10(units / 10)));
}

function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)]!;
}

/** The warnings of a run (empty when there is nothing to say), in order of importance. */
export function runWarnings(input: RunWarningsInput): string[] {
  const { bars, config, fills, rejections } = input;
  const warnings: string[] = [];
  const entries = fills.filter((f) => f.effect === 'open');
  let rejected = 0;
  let lotRejected = 0;
  let lotRejectedAfterLastEntry = 0;
  let otherRejectedAfterLastEntry = 0;
  const lotPrices: number[] = [];
  const lastEntry = entries.length === 0 ? Number.NEGATIVE_INFINITY : entries[entries.length - 1]!.time;
  for (const r of rejections) {
    // A sell signal while flat (no short selling) is no order that could have filled.
    if (r.reasons.every((reason) => reason.code === 'no_short')) continue;
    rejected += r.count;
    const forLot = r.reasons.some((reason) => LOT_CODES.has(reason.code));
    if (forLot) {
      lotRejected += r.count;
      if (Number.isFinite(r.price) && r.price > 0) lotPrices.push(r.price);
    }
    if (r.time > lastEntry) {
      if (forLot) lotRejectedAfterLastEntry += r.count;
      else otherRejectedAfterLastEntry += r.count;
    }
  }
  const orders = entries.length + rejected;
  const lot = config.backtesting.lot_size;
  const lotAdvice = () => {
    // The price of the orders rejected for the lot (their median), else of the bars.
    const price = median(lotPrices.length > 0 ? lotPrices : bars.close);
    const suggestion = suggestedLotSize(config, price);
    return `one lot of ${lot} at a price around ${price.toLocaleString('en-US', { maximumFractionDigits: 2 })} is more than the sizing allows (risk_per_trade ${config.risk_management.position_sizing.risk_per_trade}, max_position_size ${config.risk_management.position_sizing.max_position_size} of ${config.backtesting.initial_capital.toLocaleString('en-US')})${suggestion < lot ? `: set backtesting.lot_size to ${suggestion} (fractional units) or raise backtesting.initial_capital` : ''}`;
  };

  if (fills.length === 0) {
    const why =
      input.buySignals === 0
        ? 'the strategy gave no buy signal'
        : rejected === 0
          ? 'no order was placed'
          : lotRejected === rejected
            ? `${allOf(rejected)} rejected because ${lotAdvice()}`
            : `${allOf(rejected)} rejected (see the rejections by reason)`;
    warnings.push(`The run made no trade: ${why}. Every figure is the initial capital standing still.`);
  } else if (input.trades === 0) {
    warnings.push(
      `No trade was closed (${plural(input.openPositions, 'position')} still open, marked at the last close): win rate, profit factor and expectancy are undefined.`,
    );
  }
  const n = bars.length;
  const start = n > 0 ? bars.time[0]! : 0;
  const end = n > 0 ? bars.time[n - 1]! : 0;
  const tail = end > start && Number.isFinite(lastEntry) ? (end - lastEntry) / (end - start) : 0;
  if (fills.length > 0 && orders > 0 && lotRejected / orders > LOT_REJECTION_WARNING_SHARE) {
    const share = `${((lotRejected / orders) * 100).toFixed(0)}%`;
    warnings.push(`${plural(lotRejected, 'entry order')} of ${orders.toLocaleString('en-US')} (${share}) were rejected because ${lotAdvice()}.`);
  } else if (lotRejectedAfterLastEntry > 0 && otherRejectedAfterLastEntry === 0 && tail >= STALLED_TAIL_SHARE) {
    warnings.push(
      `Trading stopped on ${isoDate(lastEntry)}, ${(tail * 100).toFixed(0)}% of the run before its end: ${allOf(lotRejectedAfterLastEntry)} rejected after it because ${lotAdvice()}.`,
    );
  }
  return warnings;
}
