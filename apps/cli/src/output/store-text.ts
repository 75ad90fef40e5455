import type { RunSummary } from '@algo-trading/store';

/**
 * How the store's bars and runs read on the console and in the comparison page (type-only use of
 * the store package: nothing of it is loaded here).
 */

/** A bar time for people: the date alone at midnight UTC, else the UTC date-time to the second (or millisecond). */
export function barTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** When a run was made, for people: `2024-01-02 09:30:00` (UTC). */
export function runTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A run's data: `sample:sp500 (SP500@1d)`, `store:SPY@1d` (the series named once when the source names it). */
export function runDataLabel(run: Pick<RunSummary, 'dataSource' | 'symbols' | 'timeframe'>): string {
  const series = run.symbols.length === 0 ? '' : `${run.symbols.join(',')}${run.timeframe === null ? '' : `@${run.timeframe}`}`;
  if (run.dataSource === null) return series;
  return series === '' || run.dataSource.includes(series) ? run.dataSource : `${run.dataSource} (${series})`;
}
