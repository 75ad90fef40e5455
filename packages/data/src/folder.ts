import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AlgoTradingError, describeValue, parseOptions, universeOf, type BarSeries, type Universe } from '@algo-trading/core';
import { z } from 'zod';
import { singleSeries } from './build-series';
import { readGroups } from './csv';
import { parseBarsCsvOptionsSchema, resolveCsvOptions, type ParseBarsCsvOptions } from './options';

/** Options of {@link readBarsFolder}: the CSV options (applied to every file) and how files map to symbols. */
export interface ReadBarsFolderOptions extends Omit<ParseBarsCsvOptions, 'symbol'> {
  /** Which files to read (by name). Default: names ending in `.csv`, any case; hidden files never. */
  readonly match?: RegExp | ((fileName: string) => boolean) | undefined;
  /**
   * The symbol of a file, from its name. Default: the name without its last extension
   * (`AAPL.csv` is `AAPL`, `brk.b.csv` is `brk.b`); the case is kept.
   */
  readonly symbolOf?: ((fileName: string) => string) | undefined;
  /** Files read at the same time. Default 4. */
  readonly concurrency?: number | undefined;
}

const folderOptionsSchema = parseBarsCsvOptionsSchema.omit({ symbol: true }).extend({
  match: z
    .union([z.instanceof(RegExp), z.custom<(fileName: string) => boolean>((v) => typeof v === 'function')], {
      error: 'expected a RegExp or a function (fileName) => boolean',
    })
    .optional(),
  symbolOf: z.custom<(fileName: string) => string>((v) => typeof v === 'function', { error: 'expected a function (fileName) => symbol' }).optional(),
  concurrency: z.number().int().min(1).max(64).default(4),
});

/** The default symbol of a file: its name without the last extension. */
export function symbolFromFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((n) => JSON.stringify(n));
  return names.length > 10 ? `${shown.join(', ')} and ${names.length - 10} more` : shown.join(', ') || 'nothing';
}

/**
 * Reads a folder of CSV files, one symbol per file, into a {@link Universe} (sorted by symbol):
 * `prices/AAPL.csv` and `prices/MSFT.csv` give `AAPL` and `MSFT`. Every file is read with
 * `readBarsCsv`'s rules and the given CSV options; the folder is not searched recursively.
 *
 * Errors: `IO_ERROR` for a folder that cannot be listed; `NOT_FOUND` when no file matches (naming
 * what is there); `INVALID_DATA` when two files give the same symbol, when a symbol is empty, or
 * when a file's symbol column names another symbol than its file; every error of a file starts with
 * its path.
 *
 * @example
 * const universe = await readBarsFolder('./prices', { useAdjusted: true });
 * [...universe.keys()]; // ['AAPL', 'MSFT']
 */
export async function readBarsFolder(dir: string, options: ReadBarsFolderOptions = {}): Promise<Universe> {
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `readBarsFolder: dir must be a non-empty string, got ${describeValue(dir)}`, {
      details: { field: 'dir', value: dir },
    });
  }
  const { match, symbolOf, concurrency } = parseOptions(folderOptionsSchema, options ?? {}, { what: 'readBarsFolder options' });
  const { match: _match, symbolOf: _symbolOf, concurrency: _concurrency, ...csvOptions } = options ?? {};
  const resolved = resolveCsvOptions(csvOptions, 'readBarsFolder');
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const reason = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'it is not a folder' : ((cause as Error)?.message ?? String(cause));
    throw new AlgoTradingError('IO_ERROR', `readBarsFolder: cannot list ${dir}: ${reason}`, {
      cause,
      details: { field: 'dir', value: dir, ...(code === undefined ? {} : { errno: code }) },
    });
  }
  const accepts = match === undefined ? (name: string) => /\.csv$/i.test(name) : match instanceof RegExp ? (name: string) => match.test(name) : match;
  const visible = entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => e.name).sort();
  const files = visible.filter((name) => accepts(name));
  if (files.length === 0) {
    throw new AlgoTradingError('NOT_FOUND', `readBarsFolder: no ${match === undefined ? '.csv ' : 'matching '}files in ${dir} (files there: ${listNames(visible)})`, {
      details: { field: 'dir', value: dir, files: visible },
    });
  }
  const symbols = files.map((name) => {
    const symbol = (symbolOf ?? symbolFromFileName)(name);
    if (typeof symbol !== 'string' || symbol.trim() === '') {
      throw new AlgoTradingError('INVALID_DATA', `readBarsFolder: the symbol of ${join(dir, name)} must be a non-empty string, got ${describeValue(symbol)}`, {
        details: { field: 'symbol', value: symbol, path: join(dir, name) },
      });
    }
    return symbol.trim();
  });
  const seen = new Map<string, string>();
  symbols.forEach((symbol, i) => {
    const other = seen.get(symbol);
    if (other !== undefined) {
      throw new AlgoTradingError('INVALID_DATA', `readBarsFolder: ${other} and ${files[i]} in ${dir} both give the symbol ${JSON.stringify(symbol)}`, {
        details: { field: 'symbol', value: symbol, files: [other, files[i]] },
      });
    }
    seen.set(symbol, files[i]!);
  });

  const series: BarSeries[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const path = join(dir, files[i]!);
      const groups = await readGroups(path, resolved, 'readBarsFolder');
      const symbol = symbols[i]!;
      const own = groups.length === 1 ? groups[0]!.symbol : undefined;
      if (own !== undefined && own !== symbol) {
        throw new AlgoTradingError('INVALID_DATA', `${path}: its symbol column holds ${JSON.stringify(own)}, but the file name gives ${JSON.stringify(symbol)}`, {
          details: { field: 'symbol', value: own, path },
        });
      }
      let one: BarSeries;
      try {
        one = singleSeries(groups);
      } catch (error) {
        throw new AlgoTradingError('INVALID_DATA', `${path}: ${(error as Error).message}; a folder holds one symbol per file`, { cause: error, details: { field: 'symbol', path } });
      }
      series[i] = one.withSymbol(symbol);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return universeOf(series);
}
