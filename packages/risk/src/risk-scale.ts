import { AlgoTradingError, checkRiskScaleSeries, type AlgoTradingErrorCode, type RiskScaleSeries } from '@algo-trading/core';

/** What {@link RiskManager.setRiskScale} accepts: a series keyed by time, a constant, or null (none: 1). */
export type RiskScaleInput = RiskScaleSeries | number | null;

function iso(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}

/**
 * The external risk multiplier of a risk manager, read at each mark: a {@link RiskScaleSeries}
 * (as-of the mark's time: its latest entry at or before it), or a constant. Between marks the
 * value read at the last mark holds, like the drawdown zone; before the first mark of a run it is
 * 1 (no information yet). Allocation-free per mark: a cursor walks the series forward.
 */
export class RiskScaleCursor {
  #time: Float64Array | null = null;
  #values: Float64Array | null = null;
  #constant = 1;
  /** Index of the next series entry not yet reached. */
  #next = 0;
  /** Time of the last mark (NaN before the first). */
  #markTime = Number.NaN;
  /** The multiplier in force. */
  current = 1;

  /**
   * Replaces the source. A series is validated (a copy is kept) and read as of the last mark's
   * time (1 before the first mark); a constant applies at once.
   *
   * @throws AlgoTradingError `code` naming the field, index and value of a bad entry, or a
   * constant outside [0, 1]; `INVALID_STATE` for a series that starts after the last mark.
   */
  set(input: RiskScaleInput, field: string, code: AlgoTradingErrorCode): void {
    if (input === null || typeof input === 'number') {
      const value = input ?? 1;
      if (!(value >= 0 && value <= 1)) {
        throw new AlgoTradingError(code, `${field} must be a multiplier in [0, 1], a { time, values } series or null, got ${String(value)}`, {
          details: { field, value },
        });
      }
      this.#time = null;
      this.#values = null;
      this.#constant = value;
      this.current = value;
      return;
    }
    const checked = checkRiskScaleSeries(input, field, code);
    // Mid-run, the new series must cover the last mark (checked before anything changes).
    if (this.#markTime === this.#markTime && this.#markTime < checked.time[0]!) this.#throwBefore(this.#markTime, checked.time[0]!);
    this.#time = checked.time;
    this.#values = checked.values;
    this.#constant = 1;
    this.#next = 0;
    this.current = 1;
    if (this.#markTime === this.#markTime) this.advance(this.#markTime);
  }

  /** A new run: the series is read from its start again; 1 until the first mark. */
  rewind(): void {
    this.#next = 0;
    this.#markTime = Number.NaN;
    this.current = this.#time === null ? this.#constant : 1;
  }

  /**
   * A run (re)starting at `time`: throws when a series has no value at or before it, so a
   * misaligned series fails before the first bar rather than at its mark.
   */
  checkStart(time: number): void {
    const first = this.#time?.[0];
    if (first !== undefined && time < first) this.#throwBefore(time, first);
  }

  /**
   * The mark at `time`: the multiplier becomes the series' latest value at or before `time`.
   *
   * @throws AlgoTradingError `INVALID_STATE` when the series starts after `time` (no multiplier
   * is known there: the series does not cover the run).
   */
  advance(time: number): void {
    this.#markTime = time;
    const times = this.#time;
    if (times === null) return;
    let next = this.#next;
    const n = times.length;
    while (next < n && times[next]! <= time) next++;
    if (next === 0) this.#throwBefore(time, times[0]!);
    this.#next = next;
    this.current = this.#values![next - 1]!;
  }

  #throwBefore(time: number, first: number): never {
    throw new AlgoTradingError(
      'INVALID_STATE',
      `riskScale has no multiplier at ${iso(time)}: its first time is ${iso(first)} (riskScale.time[0] = ${first}); the series must start at or before the run's first bar`,
      { details: { field: 'riskScale.time', index: 0, value: first, time } },
    );
  }
}
