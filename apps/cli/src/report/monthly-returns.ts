/** The return of one calendar month (UTC), from month-end equity to month-end equity. */
export interface MonthlyReturn {
  readonly year: number;
  /** 0 = January ... 11 = December. */
  readonly month: number;
  /** Simple return of the month: equity at its last bar / equity at the previous month's last bar - 1. */
  readonly value: number;
}

/** The return of one calendar year (UTC), from year-end equity to year-end equity. */
export interface YearlyReturn {
  readonly year: number;
  /** Simple return of the year: equity at its last bar / equity at the previous year's last bar - 1. */
  readonly value: number;
}

/** UTC month (0..11) and year of a time, and the first millisecond of the following month. */
function monthOf(ms: number): { year: number; month: number; next: number } {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return { year, month, next: Date.UTC(year, month + 1, 1) };
}

/**
 * Returns per calendar period (UTC) of an equity curve, in time order. The first period is
 * measured from `start` (the run's initial capital) when given, else from the first bar's
 * equity; every later period from the previous period's last bar. Periods without bars do not
 * appear. Non-finite equities are skipped. Creates one Date per period, not per bar.
 */
function periodReturns(
  time: ArrayLike<number>,
  equity: ArrayLike<number>,
  unit: 'month' | 'year',
  start: number | undefined,
): { year: number; month: number; value: number }[] {
  const out: { year: number; month: number; value: number }[] = [];
  const n = Math.min(time.length, equity.length);
  let base = start ?? Number.NaN;
  let last = Number.NaN;
  let current: { year: number; month: number; next: number } | undefined;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (!Number.isFinite(e)) continue;
    const t = time[i]!;
    if (current === undefined || t >= current.next) {
      const period = monthOf(t);
      if (unit === 'year') period.next = Date.UTC(period.year + 1, 0, 1);
      if (current !== undefined) {
        out.push({ year: current.year, month: current.month, value: last / base - 1 });
        base = last;
      } else if (Number.isNaN(base)) {
        base = e;
      }
      current = period;
    }
    last = e;
  }
  if (current !== undefined) out.push({ year: current.year, month: current.month, value: last / base - 1 });
  return out;
}

/**
 * Monthly returns of an equity curve, in time order. The first month is measured from the first
 * bar's equity (or from `start`, the initial capital), every later month from the previous month's
 * last bar. Months without bars do not appear. Non-finite equities are skipped.
 */
export function monthlyReturns(time: ArrayLike<number>, equity: ArrayLike<number>, start?: number): MonthlyReturn[] {
  return periodReturns(time, equity, 'month', start);
}

/**
 * Calendar-year returns of an equity curve (UTC), in time order: the first year from the first
 * bar's equity (or from `start`, the initial capital), every later year from the previous year's
 * last bar. A first or last year with only part of its bars is measured over those bars.
 */
export function yearlyReturns(time: ArrayLike<number>, equity: ArrayLike<number>, start?: number): YearlyReturn[] {
  return periodReturns(time, equity, 'year', start).map(({ year, value }) => ({ year, value }));
}
