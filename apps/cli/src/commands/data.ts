import { existsSync, rmSync } from 'node:fs';
import { AlgoTradingError, isAlgoTradingError, type BarSeries } from '@algo-trading/core';
import { loadSampleBars, type SampleName } from '@algo-trading/data';
import type { BarConflict, ConflictPolicy, ImportBarsResult, PeekedBars, SymbolSummary } from '@algo-trading/store';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { csvNumber } from '../output/csv';
import { barTime } from '../output/store-text';
import { renderTextTable } from '../output/text-table';
import { SAMPLE_PREFIX, sampleNameOf } from '../pipeline/load-data';
import { openCliStore, storeAccess, withStore } from '../store/access';

/** Conflicts listed on the console; every reported one is in the `--json` document. */
const CONSOLE_CONFLICTS = 20;

/** Options of `algo-trading data import`. */
export interface DataImportOptions {
  readonly symbol?: string | undefined;
  readonly timeframe?: string | undefined;
  readonly onConflict: ConflictPolicy;
  readonly recursive?: boolean | undefined;
  /** `--adjusted`: rescale open, high and low by adj close / close and store adj close as the close. */
  readonly adjusted?: boolean | undefined;
  readonly db?: string | undefined;
  readonly json?: boolean | undefined;
}

/** What `data import` did, summed over its files and samples. */
export interface DataImportSummary {
  readonly store: string;
  /** True when this import created the database file. */
  readonly created: boolean;
  readonly files: ImportBarsResult['files'];
  readonly series: ImportBarsResult['series'];
  readonly rowsRead: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly conflicting: number;
  readonly conflicts: readonly BarConflict[];
}

function sum(results: readonly ImportBarsResult[], key: 'rowsRead' | 'inserted' | 'unchanged' | 'conflicting'): number {
  return results.reduce((total, r) => total + r[key], 0);
}

function conflictRows(conflicts: readonly BarConflict[]): string[][] {
  return conflicts.map((c) => {
    const fields = (['open', 'high', 'low', 'close', 'volume'] as const).filter((k) => !Object.is(c.stored[k], c.incoming[k]));
    return [
      c.symbol,
      c.timeframe,
      barTime(c.time),
      fields.join(','),
      fields.map((k) => csvNumber(c.stored[k])).join(','),
      fields.map((k) => csvNumber(c.incoming[k])).join(','),
      c.source,
    ];
  });
}

/** The console table of conflicting bars (at most {@link CONSOLE_CONFLICTS}). */
export function conflictTable(conflicts: readonly BarConflict[], total: number): string {
  const shown = conflicts.slice(0, CONSOLE_CONFLICTS);
  const table = renderTextTable(['symbol', 'timeframe', 'time', 'differs', 'stored', 'incoming', 'from'], conflictRows(shown));
  return total > shown.length ? `${table}... and ${total - shown.length} more (${conflicts.length} listed with --json)\n` : table;
}

/** A failed import's conflict error in the CLI's words: the options named as flags, the conflicts listed. */
function conflictError(error: AlgoTradingError): AlgoTradingError {
  const conflicts = (error.details.conflicts ?? []) as BarConflict[];
  const total = typeof error.details.conflictingRows === 'number' ? error.details.conflictingRows : conflicts.length;
  const message = error.message.replace(
    /pass onConflict: 'keep' to keep the stored bars or 'replace' to overwrite them/,
    'pass --on-conflict keep to import the new bars and keep the stored ones, or --on-conflict replace to overwrite them',
  );
  return new AlgoTradingError(error.code, `${message}\n${conflictTable(conflicts, total).trimEnd()}`, { cause: error, details: error.details });
}

/** `3 files and 1 sample`. */
function describeSources(files: number, samples: number): string {
  const parts = [files > 0 ? `${files} file${files === 1 ? '' : 's'}` : '', samples > 0 ? `${samples} sample${samples === 1 ? '' : 's'}` : ''];
  return parts.filter((p) => p !== '').join(' and ');
}

/** The samples named among the inputs (`sample:<name>`) and the file paths. */
function splitInputs(ctx: CommandContext, inputs: readonly string[]): { samples: SampleName[]; files: string[] } {
  const samples: SampleName[] = [];
  const files: string[] = [];
  for (const input of inputs) {
    const sample = sampleNameOf(input);
    if (sample !== undefined) samples.push(sample);
    else files.push(ctx.resolvePath(input));
  }
  return { samples, files };
}

/**
 * `algo-trading data import <files or folders...>`: imports OHLCV bars from CSV and Parquet files,
 * folders of them, and bundled samples (`sample:sp500`) into the store, creating its database
 * file when there is none. The files are imported in one transaction (each sample in its own):
 * bars already stored with the same values are left alone (unchanged), a bar stored with other
 * values is a conflict, handled by `--on-conflict` (`error`, the default: nothing is imported and
 * the conflicts are listed). A failed first import removes the file it created.
 */
export async function runDataImportCommand(ctx: CommandContext, inputs: readonly string[], options: DataImportOptions): Promise<DataImportSummary> {
  const { samples, files } = splitInputs(ctx, inputs);
  if (options.symbol !== undefined && samples.length > 0 && samples.length + files.length > 1) {
    throw new UsageError('--symbol applies to every input: import a sample (it has its own symbols) separately from other files');
  }
  const access = storeAccess(ctx, options.db);
  const created = !existsSync(access.path);
  const results: ImportBarsResult[] = [];
  let failed = true;
  try {
    const store = await openCliStore(access, { logger: ctx.logger, create: true, what: 'data import' });
    try {
      if (created) ctx.logger.info({ store: access.path }, `created the store ${access.path}`);
      if (files.length > 0) {
        results.push(
          await store.importBars({
            files,
            symbol: options.symbol,
            timeframe: options.timeframe,
            onConflict: options.onConflict,
            recursive: options.recursive === true,
            useAdjusted: options.adjusted === true,
          }),
        );
      }
      for (const sample of samples) {
        results.push(
          await store.writeBars({ bars: loadSampleBars(sample), symbol: options.symbol, timeframe: options.timeframe, onConflict: options.onConflict, source: SAMPLE_PREFIX + sample }),
        );
      }
      failed = false;
    } finally {
      await store.close();
    }
  } catch (error) {
    if (isAlgoTradingError(error, 'INVALID_DATA') && Array.isArray(error.details.conflicts)) throw conflictError(error);
    throw error;
  } finally {
    // An import that fails leaves the store as it was: here, not there at all.
    if (failed && created) for (const file of [access.path, `${access.path}.wal`]) rmSync(file, { force: true });
  }

  const summary: DataImportSummary = {
    store: access.path,
    created,
    files: results.flatMap((r) => r.files),
    series: results.flatMap((r) => r.series),
    rowsRead: sum(results, 'rowsRead'),
    inserted: sum(results, 'inserted'),
    unchanged: sum(results, 'unchanged'),
    conflicting: sum(results, 'conflicting'),
    conflicts: results.flatMap((r) => r.conflicts),
  };
  ctx.printJson({ ok: true, ...summary, conflicts: summary.conflicts.map((c) => ({ ...c, time: new Date(c.time).toISOString() })) });
  ctx.print(
    `Imported ${describeSources(files.length === 0 ? 0 : results[0]!.files.length, samples.length)} into ${summary.store}${created ? ' (created)' : ''}: ${summary.rowsRead.toLocaleString('en-US')} bars read, ` +
      `${summary.inserted.toLocaleString('en-US')} new, ${summary.unchanged.toLocaleString('en-US')} unchanged, ${summary.conflicting.toLocaleString('en-US')} conflicting`,
  );
  ctx.print(
    renderTextTable(
      ['symbol', 'timeframe', 'rows', 'new', 'unchanged', 'conflicting'],
      summary.series.map((s) => [s.symbol, s.timeframe, String(s.rows), String(s.inserted), String(s.unchanged), String(s.conflicting)]),
    ),
  );
  if (summary.conflicting > 0) {
    ctx.print(
      `${summary.conflicting} bar(s) differ from the stored ones; ${options.onConflict === 'keep' ? 'the stored bars were kept' : 'the stored bars were replaced'}:`,
    );
    ctx.print(conflictTable(summary.conflicts, summary.conflicting));
  }
  return summary;
}

/** Options of `algo-trading data ls`. */
export interface DataListOptions {
  readonly symbol?: string | undefined;
  readonly timeframe?: string | undefined;
  readonly db?: string | undefined;
  readonly json?: boolean | undefined;
}

function summaryJson(s: SymbolSummary): Record<string, unknown> {
  return { symbol: s.symbol, timeframe: s.timeframe, bars: s.bars, first: new Date(s.first).toISOString(), last: new Date(s.last).toISOString() };
}

/** `algo-trading data ls`: every stored symbol and timeframe with its bar count and time range. */
export async function runDataListCommand(ctx: CommandContext, options: DataListOptions): Promise<SymbolSummary[]> {
  const access = storeAccess(ctx, options.db);
  const series = await withStore(access, { logger: ctx.logger, readOnly: true, what: 'data ls' }, (store) =>
    store.listSymbols({ symbol: options.symbol, timeframe: options.timeframe }),
  );
  ctx.printJson({ ok: true, store: access.path, series: series.map(summaryJson) });
  if (series.length === 0) {
    const filtered = options.symbol !== undefined || options.timeframe !== undefined;
    ctx.print(`The store ${access.path} holds no bars${filtered ? ' of that symbol or timeframe' : ' yet: `algo-trading data import <files>` adds some'}.`);
    return series;
  }
  const total = series.reduce((n, s) => n + s.bars, 0);
  ctx.print(`${series.length} series, ${total.toLocaleString('en-US')} bars in ${access.path}:`);
  ctx.print(renderTextTable(['symbol', 'timeframe', 'bars', 'first', 'last'], series.map((s) => [s.symbol, s.timeframe, String(s.bars), barTime(s.first), barTime(s.last)])));
  return series;
}

/** Options of `algo-trading data show`. */
export interface DataShowOptions {
  readonly timeframe?: string | undefined;
  /** Bars shown at each end. */
  readonly rows: number;
  readonly db?: string | undefined;
  readonly json?: boolean | undefined;
}

function barRows(bars: BarSeries): string[][] {
  return Array.from({ length: bars.length }, (_, i) => [
    barTime(bars.time[i]!),
    csvNumber(bars.open[i]!),
    csvNumber(bars.high[i]!),
    csvNumber(bars.low[i]!),
    csvNumber(bars.close[i]!),
    csvNumber(bars.volume[i]!),
  ]);
}

function barObjects(bars: BarSeries): Record<string, unknown>[] {
  return Array.from({ length: bars.length }, (_, i) => ({
    time: new Date(bars.time[i]!).toISOString(),
    open: bars.open[i],
    high: bars.high[i],
    low: bars.low[i],
    close: bars.close[i],
    volume: bars.volume[i],
  }));
}

const BAR_HEADER = ['time', 'open', 'high', 'low', 'close', 'volume'];

/**
 * `algo-trading data show SYMBOL`: each stored timeframe of the symbol (or the one asked for) with
 * its bar count, time range, and first and last bars.
 */
export async function runDataShowCommand(ctx: CommandContext, symbol: string, options: DataShowOptions): Promise<PeekedBars[]> {
  const access = storeAccess(ctx, options.db);
  const peeked = await withStore(access, { logger: ctx.logger, readOnly: true, what: `data show ${symbol}` }, async (store) => {
    const timeframes = options.timeframe !== undefined ? [options.timeframe] : (await store.listSymbols({ symbol })).map((s) => s.timeframe);
    // No timeframe stored: peekBars names the symbols the store does hold.
    if (timeframes.length === 0) return [await store.peekBars({ symbol, rows: options.rows })];
    const out: PeekedBars[] = [];
    for (const timeframe of timeframes) out.push(await store.peekBars({ symbol, timeframe, rows: options.rows }));
    return out;
  });
  ctx.printJson({
    ok: true,
    store: access.path,
    series: peeked.map((p) => ({ ...summaryJson(p.summary), head: barObjects(p.head), tail: barObjects(p.tail) })),
  });
  for (const { summary, head, tail } of peeked) {
    ctx.print(`${summary.symbol} ${summary.timeframe}: ${summary.bars.toLocaleString('en-US')} bars from ${barTime(summary.first)} to ${barTime(summary.last)} (${access.path})`);
    if (summary.bars <= head.length) {
      ctx.print(renderTextTable(BAR_HEADER, barRows(head)));
    } else {
      ctx.print(`First ${head.length}:`);
      ctx.print(renderTextTable(BAR_HEADER, barRows(head)));
      ctx.print(`Last ${tail.length}:`);
      ctx.print(renderTextTable(BAR_HEADER, barRows(tail)));
    }
  }
  return peeked;
}
