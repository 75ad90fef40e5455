/** The return of one calendar month (UTC), from month-end equity to month-end equity. */
export interface MonthlyReturn {
  readonly year: number;
  /** 0 = January ... 11 = December. */
  readonly month: number;
  /** Simple return of the month: equity at its last bar / equity at the previous month's last bar - 1. */
  readonly value: number;
}

/**
 * Monthly returns of an equity curve, in time order. The first month is measured from the first
 * bar's equity (the run's starting point), every later month from the previous month's last bar.
 * Months without bars do not appear. Non-finite equities are skipped.
 */
export function monthlyReturns(time: ArrayLike<number>, equity: ArrayLike<number>): MonthlyReturn[] {
  const out: MonthlyReturn[] = [];
  const n = Math.min(time.length, equity.length);
  let base = NaN;
  let currentKey = -1;
  let last = NaN;
  let year = 0;
  let month = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (!Number.isFinite(e)) continue;
    const d = new Date(time[i]!);
    const key = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (Number.isNaN(base)) {
      base = e;
      currentKey = key;
      year = d.getUTCFullYear();
      month = d.getUTCMonth();
    } else if (key !== currentKey) {
      out.push({ year, month, value: last / base - 1 });
      base = last;
      currentKey = key;
      year = d.getUTCFullYear();
      month = d.getUTCMonth();
    }
    last = e;
  }
  if (!Number.isNaN(base)) out.push({ year, month, value: last / base - 1 });
  return out;
}
