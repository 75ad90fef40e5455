import { createReadStream, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { AlgoTradingError, describeValue } from '@algo-trading/core';

/** A file to import and its format. */
export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  readonly format: 'csv' | 'parquet';
  /** Gzip-compressed CSV (`.csv.gz`); DuckDB reads it directly. */
  readonly gzip: boolean;
}

const CSV_EXTENSIONS = ['.csv', '.tsv', '.csv.gz', '.tsv.gz'];
const PARQUET_EXTENSIONS = ['.parquet', '.pq'];

function lowerName(path: string): string {
  return basename(path).toLowerCase();
}

function hasExtension(path: string, extensions: readonly string[]): boolean {
  const name = lowerName(path);
  return extensions.some((ext) => name.endsWith(ext));
}

/** The symbol a file name implies: the name without its data extensions (`SPY.csv.gz` -> `SPY`). */
export function symbolFromFileName(path: string): string {
  let name = basename(path);
  for (;;) {
    const lower = name.toLowerCase();
    const ext = [...CSV_EXTENSIONS, ...PARQUET_EXTENSIONS, '.txt', '.gz'].find((e) => lower.endsWith(e) && lower.length > e.length);
    if (ext === undefined) return name;
    name = name.slice(0, name.length - ext.length);
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Format of one file: from its first bytes (Parquet magic, gzip magic, NUL bytes) and its name. */
async function classify(path: string): Promise<SourceFile> {
  const head = await readHead(path, 8192);
  const isParquet = head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'PAR1';
  const isGzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (isParquet) return { path, format: 'parquet', gzip: false };
  if (hasExtension(path, PARQUET_EXTENSIONS)) {
    throw new AlgoTradingError('PARSE_ERROR', `${path} is named like a Parquet file but is not one (no PAR1 magic bytes)`, {
      details: { field: 'files', value: path, path },
    });
  }
  if (isGzip) return { path, format: 'csv', gzip: true };
  if (head.length === 0) {
    throw new AlgoTradingError('PARSE_ERROR', `${path} is empty: expected a CSV file with a header line, or a Parquet file`, {
      details: { field: 'files', value: path, path },
    });
  }
  if (head.includes(0)) {
    throw new AlgoTradingError('UNSUPPORTED', `${path} is a binary file, neither CSV text nor Parquet: import CSV (optionally .gz) or Parquet files`, {
      details: { field: 'files', value: path, path },
    });
  }
  return { path, format: 'csv', gzip: false };
}

async function statOrThrow(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    throw new AlgoTradingError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR',
      code === 'ENOENT' ? `no such file or folder: ${path}` : `cannot read ${path}: ${(cause as Error)?.message ?? String(cause)}`,
      { cause, details: { field: 'files', value: path, path } },
    );
  }
}

async function listFolder(folder: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await listFolder(path, true)));
    } else if (hasExtension(path, [...CSV_EXTENSIONS, ...PARQUET_EXTENSIONS])) {
      out.push(path);
    }
  }
  return out;
}

/**
 * The files behind `inputs` (files and folders), each once, in the order given (a folder's data
 * files by name: `.csv`, `.tsv`, their `.gz`, `.parquet`, `.pq`; hidden files skipped;
 * sub-folders only when `recursive`). A given file is imported whatever its name: its format
 * comes from its content.
 *
 * @throws AlgoTradingError `NOT_FOUND` for a missing path or a folder without data files,
 *   `UNSUPPORTED` for a binary file that is not Parquet, `PARSE_ERROR` for an empty file.
 */
export async function expandSources(inputs: readonly string[], recursive: boolean): Promise<SourceFile[]> {
  const seen = new Set<string>();
  const out: SourceFile[] = [];
  for (const input of inputs) {
    if (typeof input !== 'string' || input.trim() === '') {
      throw new AlgoTradingError('INVALID_ARGUMENT', `files must be paths of files or folders, got ${describeValue(input)}`, {
        details: { field: 'files', value: input },
      });
    }
    const path = resolve(input);
    const info = await statOrThrow(path);
    const paths = info.isDirectory() ? await listFolder(path, recursive) : [path];
    if (info.isDirectory() && paths.length === 0) {
      throw new AlgoTradingError('NOT_FOUND', `folder ${path} holds no CSV or Parquet files (.csv, .tsv, .csv.gz, .tsv.gz, .parquet, .pq)${recursive ? '' : '; pass recursive: true to look into sub-folders'}`, {
        details: { field: 'files', value: input, path },
      });
    }
    for (const file of paths) {
      if (seen.has(file)) continue;
      seen.add(file);
      out.push(await classify(file));
    }
  }
  if (out.length === 0) {
    throw new AlgoTradingError('INVALID_ARGUMENT', 'files must name at least one file or folder', { details: { field: 'files', value: inputs } });
  }
  return out;
}

/**
 * The 1-based line on which data record `recordIndex` (0-based, after the header) of a CSV file
 * starts, counting every physical line (blank lines are lines but not records, as DuckDB reads
 * them) and honouring quoted line breaks. Streams the file (gzip too); used only to report an
 * error, never on the import path. Undefined when the file has fewer records.
 */
export async function csvLineOfRecord(
  file: SourceFile,
  recordIndex: number,
  dialect: { readonly quote: string; readonly skipRows: number; readonly header: boolean },
): Promise<number | undefined> {
  const quote = dialect.quote === '' ? -1 : dialect.quote.charCodeAt(0);
  const raw = createReadStream(file.path);
  const stream = file.gzip ? raw.pipe(createGunzip()) : raw;
  let line = 1;
  let record = dialect.header ? -1 : 0;
  let inQuotes = false;
  let hasContent = false;
  let recordLine = 1;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte === 0x0a) {
          if (!inQuotes) {
            if (line > dialect.skipRows && hasContent) {
              if (record === recordIndex) return recordLine;
              record++;
            }
            hasContent = false;
          }
          line++;
          continue;
        }
        if (byte === 0x0d) continue;
        if (!hasContent && !inQuotes) recordLine = line;
        hasContent = true;
        if (byte === quote) inQuotes = !inQuotes;
      }
    }
  } finally {
    raw.destroy();
  }
  if (hasContent && line > dialect.skipRows && record === recordIndex) return recordLine;
  return undefined;
}
