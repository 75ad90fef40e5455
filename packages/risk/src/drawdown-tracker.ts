import { AlgoTradingError, describeValue, type Logger, type RiskAction } from '@algo-trading/core';
import { DrawdownZone, riskMultiplierForZone, zoneDrawdownRange, zoneForDrawdown, type DrawdownZoneThresholds, type ZoneRiskMultipliers } from './drawdown-zone';
import { MS_PER_DAY, TradingDayClock } from './trading-day';

/** The limits a {@link DrawdownTracker} applies. */
export interface DrawdownLimits {
  readonly drawdownZones: DrawdownZoneThresholds;
  readonly zoneRiskMultipliers: ZoneRiskMultipliers;
  /** Day's loss (fraction of the day's starting equity) that halts new entries; null: none. */
  readonly dailyLossLimitPct: number | null;
  readonly timeZone: string;
}

function iso(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}

/**
 * Whether a day that started at `dayStartEquity` has lost `limit` (a fraction) of it at `equity`.
 * Small enough for V8 to inline into the per-bar mark whatever its inlining budget: a double
 * passed to an out-of-line call is boxed, an allocation every bar (docs/architecture.md,
 * Performance).
 */
function dailyLossReached(dayStartEquity: number, equity: number, limit: number): boolean {
  return dayStartEquity > 0 && dayStartEquity - equity >= limit * dayStartEquity;
}

function zoneRank(zone: DrawdownZone): number {
  return zone === DrawdownZone.NORMAL ? 0 : zone === DrawdownZone.CAUTION ? 1 : zone === DrawdownZone.ALERT ? 2 : 3;
}

/**
 * The equity-curve side of the risk manager: the peak, the drawdown and its duration, the zone
 * (with its risk multiplier), the kill switch, the daily loss latch and the per-period returns
 * (for VaR). It sees equity numbers only: the portfolio view inside the engine, the standalone
 * book otherwise.
 *
 * Driven by, in time order: {@link advance} (a new trading day starts at the equity given),
 * {@link mark} (one period ends: a return, the drawdown duration, the kill switch) and
 * {@link observe} (the equity changed between marks, e.g. a standalone booking).
 */
export class DrawdownTracker {
  readonly #limits: DrawdownLimits;
  readonly #logger: Logger;
  readonly #clock: TradingDayClock;

  /** Last time seen, epoch ms. */
  lastTime = Number.NEGATIVE_INFINITY;
  peak = 0;
  peakTime = Number.NaN;
  drawdown = 0;
  maxDrawdown = 0;
  zone: DrawdownZone = DrawdownZone.NORMAL;
  /** The drawdowns of the current zone, [floor, ceiling): the zone is looked up when the drawdown leaves them. */
  #zoneFloor = Number.NEGATIVE_INFINITY;
  #zoneCeiling = Number.NEGATIVE_INFINITY;
  drawdownBars = 0;
  drawdownDays = 0;
  maxDrawdownBars = 0;
  maxDrawdownDays = 0;
  killSwitchEngaged = false;
  killSwitchCount = 0;

  #dayEnd = Number.NEGATIVE_INFINITY;
  dayStartEquity = 0;
  #dailyLimitHit = false;

  /** Number of marks so far. */
  marks = 0;
  /** Equity at the last mark (the starting capital before the first). */
  lastMarkEquity = 0;
  /** Equity at the mark before the last one (for the last period's return). */
  #previousMarkEquity = 0;
  #returns = new Float64Array(256);
  #returnCount = 0;

  constructor(limits: DrawdownLimits, logger: Logger) {
    this.#limits = limits;
    this.#logger = logger;
    this.#clock = new TradingDayClock(limits.timeZone);
    this.#setZone(DrawdownZone.NORMAL);
  }

  /**
   * Starts afresh at `capital` (the first peak). With `expectedPeriods`, the return history is
   * reserved at that size at once (never shrunk; more marks still grow it).
   */
  reset(capital: number, expectedPeriods?: number): void {
    if (expectedPeriods !== undefined && expectedPeriods > this.#returns.length) this.#returns = new Float64Array(expectedPeriods);
    this.lastTime = Number.NEGATIVE_INFINITY;
    this.peak = capital;
    this.peakTime = Number.NaN;
    this.drawdown = 0;
    this.maxDrawdown = 0;
    this.#setZone(DrawdownZone.NORMAL);
    this.drawdownBars = 0;
    this.drawdownDays = 0;
    this.maxDrawdownBars = 0;
    this.maxDrawdownDays = 0;
    this.killSwitchEngaged = false;
    this.killSwitchCount = 0;
    this.#dayEnd = Number.NEGATIVE_INFINITY;
    this.dayStartEquity = capital;
    this.#dailyLimitHit = false;
    this.marks = 0;
    this.lastMarkEquity = capital;
    this.#returnCount = 0;
  }

  /** End of the current trading day, epoch ms. */
  get dayEnd(): number {
    return this.#dayEnd;
  }

  /** Sizing multiplier of the current zone. */
  get riskMultiplier(): number {
    return riskMultiplierForZone(this.zone, this.#limits.zoneRiskMultipliers);
  }

  /** The per-period returns recorded so far (a view of the buffer; copy it to keep it). */
  get returns(): Float64Array {
    return this.#returns.subarray(0, this.#returnCount);
  }

  /**
   * Moves the clock to `time`; when it starts a new trading day, the day starts at `equity`
   * (the equity just before `time`'s prices and fills) and the daily latch is cleared.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for a non-finite time, `INVALID_STATE` for a time
   * before the last one seen.
   */
  advance(time: number, equity: number, field = 'time'): void {
    if (!(Number.isFinite(time) && time >= this.lastTime)) this.#rejectTime(time, field);
    this.lastTime = time;
    if (Number.isNaN(this.peakTime)) this.peakTime = time;
    if (time >= this.#dayEnd) {
      this.dayStartEquity = equity;
      this.#dailyLimitHit = false;
      this.#dayEnd = this.#clock.dayEnd(time);
    }
  }

  /** Throws `INVALID_STATE` when `time` is before the last time seen (for callers that book later). */
  requireForward(time: number, field: string): void {
    if (time < this.lastTime) {
      throw new AlgoTradingError(
        'INVALID_STATE',
        `${field} ${iso(time)} is before the last time seen ${iso(this.lastTime)}: times must not go backwards`,
        { details: { field, value: time, lastTime: this.lastTime } },
      );
    }
  }

  /**
   * One period ends at the equity given (after {@link advance} to its time): its return, peak,
   * drawdown and duration, zone, daily latch. Returns `flatten` when the drawdown reached the
   * kill switch with positions open. Allocation-free (the return history grows by doubling).
   */
  mark(equity: number, hasPositions: boolean): RiskAction {
    this.#previousMarkEquity = this.lastMarkEquity;
    this.lastMarkEquity = equity;
    this.#pushReturn();
    this.marks++;
    this.#refresh(equity, true);
    if (this.drawdown >= this.#limits.drawdownZones.killSwitch && hasPositions) {
      if (!this.killSwitchEngaged) this.#engageKillSwitch();
      return 'flatten';
    }
    return 'none';
  }

  /** The equity changed between marks (a standalone booking): peak, drawdown, zone, daily latch. */
  observe(equity: number): void {
    this.#refresh(equity, false);
  }

  /** Whether the daily loss limit halts entries at `equity` (latched for the rest of the day). */
  isDailyLimitHit(equity: number): boolean {
    const limit = this.#limits.dailyLossLimitPct;
    if (limit === null) return false;
    return this.#dailyLimitHit || dailyLossReached(this.dayStartEquity, equity, limit);
  }

  #refresh(equity: number, isMark: boolean): void {
    if (equity >= this.peak) {
      this.peak = equity;
      this.peakTime = this.lastTime;
      this.drawdownBars = 0;
    } else if (isMark) {
      this.drawdownBars++;
    }
    this.drawdown = (this.peak - equity) / this.peak;
    const days = (this.lastTime - this.peakTime) / MS_PER_DAY;
    this.drawdownDays = this.drawdown > 0 && days > 0 ? days : 0;
    if (this.drawdown > this.maxDrawdown) this.maxDrawdown = this.drawdown;
    if (this.drawdownBars > this.maxDrawdownBars) this.maxDrawdownBars = this.drawdownBars;
    if (this.drawdownDays > this.maxDrawdownDays) this.maxDrawdownDays = this.drawdownDays;
    const thresholds = this.#limits.drawdownZones;
    if (this.drawdown < thresholds.killSwitch) this.killSwitchEngaged = false;
    // The zone depends on the drawdown alone: looked up only when the drawdown left the zone's range
    // (a NaN drawdown leaves every range: the lookup throws).
    if (!(this.drawdown >= this.#zoneFloor && this.drawdown < this.#zoneCeiling)) {
      const zone = zoneForDrawdown(this.drawdown, thresholds);
      if (zone !== this.zone) this.#changeZone(zone);
    }
    const limit = this.#limits.dailyLossLimitPct;
    if (!this.#dailyLimitHit && limit !== null && dailyLossReached(this.dayStartEquity, equity, limit)) {
      this.#dailyLimitHit = true;
      this.#logger.warn(
        { dayStartEquity: this.dayStartEquity, equity, limit: this.#limits.dailyLossLimitPct, barTime: this.lastTime },
        'risk: daily loss limit reached, no new entries until the next day',
      );
    }
  }

  /** Sets the zone and its drawdown range (no log). */
  #setZone(zone: DrawdownZone): void {
    this.zone = zone;
    const range = zoneDrawdownRange(zone, this.#limits.drawdownZones);
    this.#zoneFloor = range.floor;
    this.#zoneCeiling = range.ceiling;
  }

  #changeZone(zone: DrawdownZone): void {
    const from = this.zone;
    this.#setZone(zone);
    const detail = { from, to: zone, drawdown: this.drawdown, riskMultiplier: this.riskMultiplier, barTime: this.lastTime };
    if (zoneRank(zone) > zoneRank(from)) this.#logger.warn(detail, `risk: drawdown zone ${from} -> ${zone}`);
    else this.#logger.info(detail, `risk: drawdown zone ${from} -> ${zone}`);
  }

  #engageKillSwitch(): void {
    this.killSwitchEngaged = true;
    this.killSwitchCount++;
    this.#logger.error(
      { drawdown: this.drawdown, threshold: this.#limits.drawdownZones.killSwitch, time: this.lastTime },
      'risk: emergency kill switch, flattening every position',
    );
  }

  /**
   * Records the return from the previous mark to the last one. It reads both equities from fields:
   * the mark fills V8's inlining budget, and a double passed to an out-of-line call is boxed.
   */
  #pushReturn(): void {
    const previous = this.#previousMarkEquity;
    const value = previous > 0 ? this.lastMarkEquity / previous - 1 : Number.NaN;
    if (this.#returnCount === this.#returns.length) {
      const grown = new Float64Array(this.#returns.length * 2);
      grown.set(this.#returns);
      this.#returns = grown;
    }
    this.#returns[this.#returnCount++] = value;
  }

  #rejectTime(time: number, field: string): never {
    if (!Number.isFinite(time)) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `${field} must be finite epoch milliseconds, got ${describeValue(time)}`, {
        details: { field, value: time },
      });
    }
    this.requireForward(time, field);
    throw new AlgoTradingError('INVARIANT_VIOLATION', `${field} ${time} was rejected without a reason`);
  }
}
