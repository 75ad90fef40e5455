import { readFile } from 'node:fs/promises';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { AlgoTradingError, hashBarSeries, isAlgoTradingError, isBarSeries, sha256Hex, type BarSeries, type Logger } from '@algo-trading/core';
import { loadSampleBars, parseBarsCsv, parseSampleSpec, samplePath, type ParseBarsCsvOptions, type SampleName } from '@algo-trading/data';

/**
 * Data references of a sweep. The producer loads the bars once and records a content hash; a
 * worker (a thread, or a process on another machine) loads the same reference and checks the
 * hash before it runs anything, so every result of a sweep comes from the same bars.
 *
 * - a CSV file: the sha256 of the file's bytes. Workers on other machines read a content-addressed
 *   copy `<dataDir>/<sha256>.csv` that the producer published to a shared folder
 *   ({@link publishData}), or else the same path (a shared mount at the same place);
 * - `sample:<name>`: a sample of `@algo-trading/data`, which each worker loads from its own
 *   installation, hashed like a file;
 * - `<scheme>:<reference>` (e.g. `store:SPY@1d`): a {@link DataResolver} registered under the
 *   scheme, on the producer and on every worker. The hash is the resolver's, or the sha256 of the
 *   bar columns (`hashBarSeries`).
 */

/** Loads the bars a `<scheme>:<reference>` names, e.g. the store package for `store:SPY@1d`. */
export type DataResolver = (reference: string, context: { readonly baseDir: string }) => Promise<ResolvedData> | ResolvedData;

/** What a {@link DataResolver} returns: the bars and, optionally, their content hash. */
export interface ResolvedData {
  readonly bars: BarSeries;
  /** A content hash of the bars; default `hashBarSeries(bars)`. */
  readonly hash?: string | undefined;
}

/** Resolvers by scheme (`store` for `store:` references). */
export type DataResolvers = Readonly<Record<string, DataResolver>>;

/** A data reference as resolved by the producer: what workers load and the hash they check. */
export interface DataRef {
  /** The reference as written in the spec. */
  readonly source: string;
  readonly kind: 'file' | 'sample' | 'resolver';
  /** Absolute path of a file. */
  readonly path?: string | undefined;
  /** Sample name or resolver scheme. */
  readonly name?: string | undefined;
  /** The part after `<scheme>:` for a resolver. */
  readonly reference?: string | undefined;
  /** CSV reader options (files). */
  readonly csv?: Readonly<Record<string, unknown>> | undefined;
  /** sha256 of the file's bytes (file, sample) or the resolver's content hash. */
  readonly hash: string;
  /** Number of bars (checked again after loading). */
  readonly length: number;
  readonly symbol?: string | undefined;
}

/** Bars and their reference. */
export interface LoadedData {
  readonly bars: BarSeries;
  readonly ref: DataRef;
}

/** The `<scheme>:` of a data reference (`sample:` is the data package's; any other needs a resolver). */
function schemeOf(source: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(source);
  // One-letter schemes are Windows drives (C:\data.csv), and file: URLs are paths.
  if (match === null || match[1]!.length < 2 || match[1]!.toLowerCase() === 'file') return undefined;
  return match[1]!.toLowerCase();
}

function withPath(error: unknown, path: string): unknown {
  if (!isAlgoTradingError(error)) return error;
  return new AlgoTradingError(error.code, `${path}: ${error.message}`, { cause: error, details: { ...error.details, path } });
}

async function readBytes(path: string, field: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new AlgoTradingError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `${field}: cannot read ${path}: ${(cause as Error).message}`, {
      cause,
      details: { field, value: path },
    });
  }
}

function parseCsvBytes(bytes: Buffer, path: string, csv: Readonly<Record<string, unknown>> | undefined, logger: Logger | undefined): BarSeries {
  try {
    return parseBarsCsv(bytes.toString('utf8'), { ...(csv as ParseBarsCsvOptions), ...(logger === undefined ? {} : { logger }) });
  } catch (error) {
    throw withPath(error, path);
  }
}

/** Options of {@link loadData}. */
export interface LoadDataOptions {
  /** Folder relative paths are resolved from (the spec's folder). */
  readonly baseDir: string;
  readonly resolvers?: DataResolvers | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * Loads the bars of a spec's `data` and builds the reference workers will load.
 *
 * @throws AlgoTradingError naming `data`: `NOT_FOUND` for a missing file, the data package's
 *   `PARSE_ERROR` / `INVALID_DATA` (with the path), `INVALID_CONFIG` for an unknown sample or a
 *   scheme without a resolver.
 */
export async function loadData(
  data: string | { readonly source: string; readonly csv?: Readonly<Record<string, unknown>> | undefined },
  options: LoadDataOptions,
): Promise<LoadedData> {
  const source = typeof data === 'string' ? data : data.source;
  const csv = typeof data === 'string' ? undefined : data.csv;
  const scheme = schemeOf(source);
  let name: SampleName | undefined;
  try {
    name = parseSampleSpec(source);
  } catch (cause) {
    throw new AlgoTradingError('INVALID_CONFIG', `data: ${(cause as Error).message}`, { cause, details: { field: 'data', value: source } });
  }
  if (name !== undefined) {
    const bars = loadSampleBars(name, options.logger === undefined ? {} : { logger: options.logger });
    if (!isBarSeries(bars)) {
      throw new AlgoTradingError('INVALID_CONFIG', `data: sample ${JSON.stringify(name)} holds ${bars.size} symbols; a sweep runs one series`, {
        details: { field: 'data', value: source },
      });
    }
    const hash = sha256Hex(await readBytes(samplePath(name), 'data'));
    return { bars, ref: { source, kind: 'sample', name, hash, length: bars.length, symbol: bars.symbol } };
  }
  if (scheme !== undefined) {
    const resolver = options.resolvers?.[scheme];
    if (resolver === undefined) {
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `data: no resolver for ${JSON.stringify(`${scheme}:`)} references (${source})` +
          (scheme === 'store' ? '; store references are loaded by @algo-trading/store: pass its resolver as dataResolvers.store' : `; pass one as dataResolvers.${scheme}`),
        { details: { field: 'data', value: source } },
      );
    }
    const reference = source.slice(scheme.length + 1);
    const resolved = await resolveWith(resolver, scheme, reference, options.baseDir);
    return {
      bars: resolved.bars,
      ref: { source, kind: 'resolver', name: scheme, reference, hash: resolved.hash, length: resolved.bars.length, symbol: resolved.bars.symbol },
    };
  }
  const path = source.startsWith('file:') ? new URL(source).pathname : isAbsolute(source) ? source : resolve(options.baseDir, source);
  const bytes = await readBytes(path, 'data');
  const bars = parseCsvBytes(bytes, path, csv, options.logger);
  return {
    bars,
    ref: { source, kind: 'file', path, csv, hash: sha256Hex(bytes), length: bars.length, symbol: bars.symbol },
  };
}

async function resolveWith(resolver: DataResolver, scheme: string, reference: string, baseDir: string): Promise<{ bars: BarSeries; hash: string }> {
  const resolved = await resolver(reference, { baseDir });
  if (typeof resolved !== 'object' || resolved === null || !isBarSeries(resolved.bars)) {
    throw new AlgoTradingError('INVALID_STATE', `data: the ${scheme}: resolver returned no BarSeries for ${JSON.stringify(reference)}`, {
      details: { field: 'data', value: `${scheme}:${reference}` },
    });
  }
  return { bars: resolved.bars, hash: resolved.hash ?? hashBarSeries(resolved.bars) };
}

/** Where a worker looks for data besides the reference itself. */
export interface LoadDataRefOptions {
  /** A folder holding content-addressed copies `<sha256>.csv` (see {@link publishData}). */
  readonly dataDir?: string | undefined;
  readonly resolvers?: DataResolvers | undefined;
  readonly logger?: Logger | undefined;
}

function hashMismatch(ref: DataRef, where: string, found: string): AlgoTradingError {
  return new AlgoTradingError(
    'INVALID_DATA',
    `data ${ref.source}: ${where} has content hash ${found}, the sweep was planned on ${ref.hash}: the data changed or is not the same file on this machine`,
    { details: { field: 'data', value: ref.source, expected: ref.hash, found } },
  );
}

/**
 * Loads the bars of a {@link DataRef} on a worker and checks them against its hash: a
 * content-addressed copy in `dataDir` first, then the reference itself (the same path, the
 * worker's own sample, the worker's resolver).
 *
 * @throws AlgoTradingError `INVALID_DATA` when the content hash differs (naming both hashes and
 *   the file), and the errors of {@link loadData}.
 */
export async function loadDataRef(ref: DataRef, options: LoadDataRefOptions = {}): Promise<BarSeries> {
  let bars: BarSeries;
  if (ref.kind === 'file') {
    const copy = options.dataDir === undefined ? undefined : join(options.dataDir, `${ref.hash}.csv`);
    const path = copy !== undefined && existsSync(copy) ? copy : ref.path!;
    const bytes = await readBytes(path, 'data');
    const found = sha256Hex(bytes);
    if (found !== ref.hash) throw hashMismatch(ref, path, found);
    bars = parseCsvBytes(bytes, path, ref.csv, options.logger);
  } else {
    const loaded = await loadData(ref.source, { baseDir: process.cwd(), resolvers: options.resolvers, logger: options.logger });
    if (loaded.ref.hash !== ref.hash) throw hashMismatch(ref, ref.kind === 'sample' ? `the sample file of this machine` : `the ${ref.name}: resolver`, loaded.ref.hash);
    bars = loaded.bars;
  }
  if (bars.length !== ref.length) {
    throw new AlgoTradingError('INVALID_DATA', `data ${ref.source}: ${bars.length} bars loaded, the sweep was planned on ${ref.length}`, {
      details: { field: 'data', value: ref.source },
    });
  }
  return bars;
}

/**
 * Publishes the data of a file reference to a shared folder as the content-addressed copy
 * `<dir>/<sha256>.csv` (written to a temporary name and renamed, so a reader never sees a partial
 * file; nothing is written when the copy exists). Workers started with that folder as their data
 * folder load it from there. Returns the path, or undefined for a sample (every worker has the
 * samples) or a resolver reference (resolvers are run by every worker).
 *
 * @throws AlgoTradingError `IO_ERROR` naming the folder.
 */
export async function publishData(ref: DataRef, dir: string): Promise<string | undefined> {
  if (ref.kind !== 'file') return undefined;
  const target = join(dir, `${ref.hash}.csv`);
  if (existsSync(target)) return target;
  const bytes = await readBytes(ref.path!, 'data');
  if (sha256Hex(bytes) !== ref.hash) throw hashMismatch(ref, ref.path ?? ref.source, sha256Hex(bytes));
  const temp = join(dir, `.${ref.hash}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  } catch (cause) {
    throw new AlgoTradingError('IO_ERROR', `cannot publish the data to ${dir}: ${(cause as Error).message}`, {
      cause,
      details: { field: 'shareDir', value: dir },
    });
  }
  return target;
}
