import { AlgoTradingError, describeValue, isAlgoTradingError, isBarSeries, parseOptions, validateBarColumns, type BarSeries } from '@algo-trading/core';
import type { TimeUnit } from '@algo-trading/data';
import { resolveFileColumns, type ResolvedFileColumns } from './columns';
import { inTransaction, queryObjects, queryRows, type StoreContext } from './context';
import { appendDoubleColumns, duckdbReason, sqlIdentifier, sqlString } from './duckdb';
import {
  importBarsOptionsSchema,
  writeBarsOptionsSchema,
  type ConflictPolicy,
  type ImportBarsOptions,
  type WriteBarsOptions,
} from './options';
import { csvLineOfRecord, expandSources, symbolFromFileName, type SourceFile } from './sources';
import { isTimeframe, isValidSymbol, requireSymbol, timeframeFromSpacing } from './timeframe';

/**
 * Bars enter the store in three steps, all inside one transaction:
 * 1. stage: every file (read by DuckDB's own CSV or Parquet reader) or series is converted into
 *    the temporary table `import_stage` (a small integer key, time, OHLCV); the key names one
 *    (file, symbol, timeframe) in the small table `import_series`, so the million-row table
 *    carries no strings;
 * 2. validate: the rules of core's `validateBarColumns` and the uniqueness of each time run as
 *    SQL over the staged rows; only when a row fails is the file read again, in order, to name
 *    the first failing line or row;
 * 3. merge: rows with a new (symbol, timeframe, time) are inserted, rows equal to stored ones are
 *    counted as unchanged, rows that differ are conflicts handled by the {@link ConflictPolicy}.
 */

/** The values of a bar (without its key). */
export interface BarValues {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A row whose key is stored with other values. */
export interface BarConflict {
  readonly symbol: string;
  readonly timeframe: string;
  /** Bar time, epoch ms UTC. */
  readonly time: number;
  /** The file (or series label) the incoming row came from. */
  readonly source: string;
  readonly stored: BarValues;
  readonly incoming: BarValues;
}

/** Counts of one (symbol, timeframe) series in an import. */
export interface ImportedSeries {
  readonly symbol: string;
  readonly timeframe: string;
  /** Distinct rows read for the series. */
  readonly rows: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly conflicting: number;
}

/** One imported file. */
export interface ImportedFile {
  readonly path: string;
  readonly format: 'csv' | 'parquet' | 'series';
  /** Rows read from it (after the symbol / timeframe filter). */
  readonly rows: number;
}

/** What an import did. */
export interface ImportBarsResult {
  /** Id of the import in the `imports` table. */
  readonly importId: number;
  readonly files: readonly ImportedFile[];
  readonly series: readonly ImportedSeries[];
  /** Rows read from every file (rows present in several files are counted once per file). */
  readonly rowsRead: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly conflicting: number;
  /** The first `maxReportedConflicts` conflicts, by symbol, timeframe and time. */
  readonly conflicts: readonly BarConflict[];
  readonly onConflict: ConflictPolicy;
}

const STAGE = 'import_stage';
const KEYS = 'import_series';
const MAX_TIME_US = '8640000000000000000';

const OK_BAR = `coalesce(time IS NOT NULL AND isfinite(time)
  AND isfinite(open) AND open > 0 AND isfinite(high) AND high > 0
  AND isfinite(low) AND low > 0 AND isfinite(close) AND close > 0
  AND low <= open AND low <= close AND high >= open AND high >= close
  AND isfinite(volume) AND volume >= 0, false)`;
const OK_SYMBOL = `coalesce(regexp_full_match(symbol, '[^\\s,@\\x00-\\x1f\\x7f]{1,64}'), false)`;
const OK_TIMEFRAME = `(timeframe IS NULL OR regexp_full_match(timeframe, '[1-9][0-9]{0,5}(s|m|h|d|w|M|y)'))`;

const TIME_EXPECTATION =
  'expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.ffffff]] with Z or +-HH:MM) or an epoch number (seconds, ms, us or ns)';

/** How one file is read: the relation, its columns and the fixed symbol / timeframe if any. */
interface FilePlan {
  readonly file: SourceFile;
  readonly fileId: number;
  readonly relation: string;
  readonly names: readonly string[];
  /** DuckDB type of each column as read. */
  readonly types: readonly string[];
  readonly columns: ResolvedFileColumns;
  /** The symbol of every row when the file has no symbol column. */
  readonly symbolLiteral: string | undefined;
  readonly csv: { readonly quote: string; readonly skipRows: number; readonly header: boolean } | undefined;
  /**
   * The same file with its time column read as text, for error reports: DuckDB's CSV reader
   * turns a date it cannot parse into NULL, and the message must show the text.
   */
  readonly asText: FilePlan | undefined;
}

interface StageOptions {
  readonly symbol: string | undefined;
  readonly timeframe: string | undefined;
  readonly useAdjusted: boolean;
  readonly timeUnit: TimeUnit;
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const TIMESTAMP_TYPE = /^(DATE|TIMESTAMP|TIMESTAMP_NS|TIMESTAMP_MS|TIMESTAMP_S|TIMESTAMP_US|DATETIME)$/;
const TIMESTAMPTZ_TYPE = /^(TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)$/;

function where(plan: FilePlan, row: number): string {
  return plan.file.format === 'parquet' ? `row ${row}` : `line ${row}`;
}

// ---------------------------------------------------------------------------------------------
// Planning: what the file holds.

async function planCsv(context: StoreContext, file: SourceFile, fileId: number, options: StageOptions & { readonly delimiter: string | undefined; readonly mapping: ImportBarsOptions['columns'] }): Promise<FilePlan> {
  const sniffArgs = [sqlString(file.path), 'header = true', 'sample_size = 1024', ...(options.delimiter === undefined ? [] : [`delim = ${sqlString(options.delimiter)}`])];
  let sniff: Record<string, unknown>;
  try {
    const rows = await queryObjects(context, `SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, Columns FROM sniff_csv(${sniffArgs.join(', ')})`);
    sniff = rows[0] ?? {};
  } catch (cause) {
    throw new AlgoTradingError('PARSE_ERROR', `${file.path} is not a CSV file DuckDB can read: ${duckdbReason(cause)}`, {
      cause,
      details: { field: 'files', value: file.path, path: file.path },
    });
  }
  const sniffed = (sniff.Columns as { name: string; type: string }[] | undefined) ?? [];
  const names = sniffed.map((c) => c.name);
  const columns = resolveFileColumns(names, { mapping: options.mapping, useAdjusted: options.useAdjusted, source: file.path });
  const { roles } = columns;
  const numeric = new Set([roles.open, roles.high, roles.low, roles.close, roles.adjClose, roles.volume, roles.price].filter((i) => i >= 0));
  // The time column: epoch numbers as DOUBLE; dates and date-times DuckDB recognised as
  // TIMESTAMPTZ, parsed by its ISO 8601 reader (offsets applied, UTC without one; a row it cannot
  // parse becomes NULL and fails validation, reported from the text); anything else as text.
  const types = sniffed.map((c, i) => {
    if (numeric.has(i)) return 'DOUBLE';
    if (i === roles.time && roles.clock < 0 && NUMERIC_TYPE.test(c.type)) return 'DOUBLE';
    if (i === roles.time && roles.clock < 0 && (TIMESTAMP_TYPE.test(c.type) || TIMESTAMPTZ_TYPE.test(c.type))) return 'TIMESTAMP WITH TIME ZONE';
    return 'VARCHAR';
  });
  const text = (value: unknown): string => (value === '(empty)' || value === null || value === undefined ? '' : String(value));
  const quote = text(sniff.Quote);
  const skipRows = Number(sniff.SkipRows ?? 0);
  const relation = (columnTypes: readonly string[]) =>
    `read_csv(${[
      sqlString(file.path),
      'auto_detect = false',
      'header = true',
      `delim = ${sqlString(text(sniff.Delimiter))}`,
      `quote = ${sqlString(quote)}`,
      `escape = ${sqlString(text(sniff.Escape))}`,
      `new_line = ${sqlString(text(sniff.NewLineDelimiter))}`,
      `comment = ${sqlString(text(sniff.Comment))}`,
      `skip = ${skipRows}`,
      `compression = ${sqlString(file.gzip ? 'gzip' : 'none')}`,
      `columns = {${names.map((n, i) => `${sqlString(n)}: ${sqlString(columnTypes[i]!)}`).join(', ')}}`,
    ].join(', ')})`;
  const base = {
    file,
    fileId,
    names,
    columns,
    symbolLiteral: roles.symbol >= 0 ? undefined : requireFileSymbol(options.symbol ?? symbolFromFileName(file.path), file.path, options.symbol !== undefined),
    csv: { quote, skipRows, header: true },
  };
  const textTypes = types.map((t, i) => (i === roles.time && t === 'TIMESTAMP WITH TIME ZONE' ? 'VARCHAR' : t));
  const asText = textTypes.some((t, i) => t !== types[i]) ? { ...base, relation: relation(textTypes), types: textTypes, asText: undefined } : undefined;
  return { ...base, relation: relation(types), types, asText };
}

async function planParquet(context: StoreContext, file: SourceFile, fileId: number, options: StageOptions & { readonly mapping: ImportBarsOptions['columns'] }): Promise<FilePlan> {
  let described: unknown[][];
  try {
    described = await queryRows(context, `DESCRIBE SELECT * FROM read_parquet(${sqlString(file.path)})`);
  } catch (cause) {
    throw new AlgoTradingError('PARSE_ERROR', `${file.path} is not a Parquet file DuckDB can read: ${duckdbReason(cause)}`, {
      cause,
      details: { field: 'files', value: file.path, path: file.path },
    });
  }
  const names = described.map((r) => String(r[0]));
  const types = described.map((r) => String(r[1]));
  const columns = resolveFileColumns(names, { mapping: options.mapping, useAdjusted: options.useAdjusted, source: file.path });
  return {
    file,
    fileId,
    relation: `read_parquet(${sqlString(file.path)}, file_row_number = true)`,
    names,
    types,
    columns,
    symbolLiteral:
      columns.roles.symbol >= 0 ? undefined : requireFileSymbol(options.symbol ?? symbolFromFileName(file.path), file.path, options.symbol !== undefined),
    csv: undefined,
    asText: undefined,
  };
}

function requireFileSymbol(symbol: string, path: string, given: boolean): string {
  if (isValidSymbol(symbol)) return symbol;
  throw new AlgoTradingError(
    'INVALID_ARGUMENT',
    given
      ? `symbol must be 1 to 64 characters without white space, "," or "@", got ${describeValue(symbol)}`
      : `${path} has no symbol column and its name gives the symbol ${describeValue(symbol)}, which is not a valid symbol (1 to 64 characters without white space, "," or "@"): pass symbol`,
    { details: { field: 'symbol', value: symbol, path } },
  );
}

// ---------------------------------------------------------------------------------------------
// The projection: file columns -> (symbol, timeframe, time in microseconds, OHLCV).

function column(plan: FilePlan, index: number): string {
  return sqlIdentifier(plan.names[index]!);
}

function numberExpr(plan: FilePlan, index: number): string {
  const type = plan.types[index]!;
  return type === 'DOUBLE' ? column(plan, index) : `TRY_CAST(${column(plan, index)} AS DOUBLE)`;
}

/** Epoch microseconds of an epoch number `x` (a DOUBLE expression) in `unit`. */
function epochMicros(x: string, unit: TimeUnit): string {
  const scaled =
    unit === 's'
      ? `${x} * 1000000`
      : unit === 'ms'
        ? `${x} * 1000`
        : unit === 'us'
          ? x
          : unit === 'ns'
            ? `${x} / 1000`
            : // The data package's magnitude rule (detectEpochUnit): s < 1e11 <= ms < 1e14 <= us < 1e17 <= ns.
              `CASE WHEN abs(${x}) < 1e11 THEN ${x} * 1000000 WHEN abs(${x}) < 1e14 THEN ${x} * 1000 WHEN abs(${x}) < 1e17 THEN ${x} ELSE ${x} / 1000 END`;
  return `TRY_CAST(round(${scaled}) AS BIGINT)`;
}

/** The time column as read (`t_val` of the projection): text trimmed, numbers as DOUBLE, timestamps as they are. */
function timeValueExpr(plan: FilePlan): string {
  const { roles } = plan.columns;
  const col = column(plan, roles.time);
  if (roles.clock >= 0) return `trim(CAST(${col} AS VARCHAR)) || 'T' || trim(CAST(${column(plan, roles.clock)} AS VARCHAR))`;
  const type = plan.types[roles.time]!;
  if (NUMERIC_TYPE.test(type)) return `CAST(${col} AS DOUBLE)`;
  if (TIMESTAMPTZ_TYPE.test(type) || TIMESTAMP_TYPE.test(type)) return col;
  return `trim(CAST(${col} AS VARCHAR))`;
}

/** Epoch microseconds of `t_val` (see {@link timeValueExpr}). */
function timeMicrosExpr(plan: FilePlan, unit: TimeUnit): string {
  const { roles } = plan.columns;
  const type = plan.types[roles.time]!;
  if (roles.clock >= 0) return `epoch_us(TRY_CAST(t_val AS TIMESTAMPTZ))`;
  if (NUMERIC_TYPE.test(type)) return epochMicros('t_val', unit);
  if (TIMESTAMPTZ_TYPE.test(type)) return `epoch_us(t_val)`;
  if (TIMESTAMP_TYPE.test(type)) return `epoch_us(CAST(t_val AS TIMESTAMP))`;
  // Text: an epoch number when it reads as one, else an ISO 8601 date or date-time. A time
  // without a numeric offset (none, or Z) is read as a plain TIMESTAMP, which DuckDB parses
  // several times faster than a TIMESTAMPTZ; only text with an offset after the date needs the latter.
  return `coalesce(${epochMicros('TRY_CAST(t_val AS DOUBLE)', unit)},
    CASE WHEN NOT (left(t_val, 1) BETWEEN '0' AND '9') THEN NULL
      WHEN strpos(substr(t_val, 11), '+') > 0 OR strpos(substr(t_val, 11), '-') > 0 THEN epoch_us(TRY_CAST(t_val AS TIMESTAMPTZ))
      ELSE epoch_us(TRY_CAST(t_val AS TIMESTAMP)) END)`;
}

/**
 * `SELECT src_row, raw_time, symbol, timeframe, time, open, high, low, close, volume` of a file
 * (`raw_time`, the time cell as text, only for error reports: formatting it costs),
 * with the symbol / timeframe filters applied. `rowExpr` numbers the rows (file order) or is NULL.
 */
function projection(plan: FilePlan, options: StageOptions, rowExpr: string, forReport = false): string {
  const { roles, layout, priceColumn } = plan.columns;
  const symbolExpr = plan.symbolLiteral !== undefined ? sqlString(plan.symbolLiteral) : `trim(CAST(${column(plan, roles.symbol)} AS VARCHAR))`;
  const timeframeExpr =
    roles.timeframe >= 0 ? `trim(CAST(${column(plan, roles.timeframe)} AS VARCHAR))` : options.timeframe !== undefined ? sqlString(options.timeframe) : 'CAST(NULL AS VARCHAR)';
  const volumeExpr = roles.volume >= 0 ? numberExpr(plan, roles.volume) : 'CAST(0 AS DOUBLE)';
  const adjExpr = roles.adjClose >= 0 ? numberExpr(plan, roles.adjClose) : 'CAST(NULL AS DOUBLE)';
  let prices: string;
  if (layout === 'price') {
    const price = options.useAdjusted ? adjExpr : numberExpr(plan, priceColumn);
    prices = `${price} AS o0, ${price} AS h0, ${price} AS l0, ${price} AS c0`;
  } else {
    prices = `${numberExpr(plan, roles.open)} AS o0, ${numberExpr(plan, roles.high)} AS h0, ${numberExpr(plan, roles.low)} AS l0, ${numberExpr(plan, roles.close)} AS c0`;
  }
  const rawTime = forReport ? `CAST(${column(plan, roles.time)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  const read = `SELECT ${rowExpr} AS src_row, ${rawTime} AS raw_time, ${symbolExpr} AS symbol, ${timeframeExpr} AS timeframe,
    ${timeValueExpr(plan)} AS t_val, ${prices}, ${adjExpr} AS adj, ${volumeExpr} AS volume FROM ${plan.relation}`;
  const inner = `SELECT src_row, raw_time, symbol, timeframe, ${timeMicrosExpr(plan, options.timeUnit)} AS time_us, o0, h0, l0, c0, adj, volume FROM (${read})`;
  // Adjusted prices as the data package computes them: one factor adj / close for all four, close
  // becomes adj exactly, a high (low) that touched the close keeps touching it.
  const adjusting = options.useAdjusted && layout === 'ohlc';
  const factor = `(adj / c0)`;
  const canAdjust = `(c0 > 0 AND isfinite(c0))`;
  const open = adjusting ? `CASE WHEN ${canAdjust} THEN o0 * ${factor} ELSE o0 END` : 'o0';
  const high = adjusting ? `CASE WHEN ${canAdjust} THEN (CASE WHEN h0 >= c0 THEN greatest(h0 * ${factor}, adj) ELSE h0 * ${factor} END) ELSE h0 END` : 'h0';
  const low = adjusting ? `CASE WHEN ${canAdjust} THEN (CASE WHEN l0 <= c0 THEN least(l0 * ${factor}, adj) ELSE l0 * ${factor} END) ELSE l0 END` : 'l0';
  const close = adjusting ? `CASE WHEN ${canAdjust} THEN adj ELSE c0 END` : 'c0';
  const filters: string[] = [];
  if (roles.symbol >= 0 && options.symbol !== undefined) filters.push(`symbol = ${sqlString(options.symbol)}`);
  if (roles.timeframe >= 0 && options.timeframe !== undefined) filters.push(`timeframe = ${sqlString(options.timeframe)}`);
  return `SELECT src_row, raw_time, symbol, timeframe,
      CASE WHEN time_us BETWEEN -${MAX_TIME_US} AND ${MAX_TIME_US} THEN make_timestamp(time_us) END AS time,
      ${open} AS open, ${high} AS high, ${low} AS low, ${close} AS close, volume,
      ${adjusting ? `coalesce(NOT ${canAdjust} OR (isfinite(adj) AND adj > 0), false)` : 'true'} AS adj_ok,
      ${adjusting ? 'adj' : 'CAST(NULL AS DOUBLE)'} AS adj
    FROM (${inner})${filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Staging and validation.

async function createStage(context: StoreContext): Promise<void> {
  await context.connection.run(`CREATE OR REPLACE TEMP TABLE ${STAGE} (
    series_key INTEGER NOT NULL, src_row BIGINT, time TIMESTAMP, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, adj_ok BOOLEAN)`);
  await context.connection.run(`CREATE OR REPLACE TEMP TABLE ${KEYS} (
    series_key INTEGER NOT NULL, file_id INTEGER NOT NULL, symbol VARCHAR NOT NULL, timeframe VARCHAR, series_id INTEGER)`);
}

/** Hands out the keys of `import_series`, one per (file, symbol, timeframe). */
class KeyRange {
  next = 0;
}

const CSV_LINE = /CSV Error on Line: (\d+)/;
const CONVERSION = /Error when converting column "((?:[^"]|"")*)"\. Could not convert string "((?:[^"]|"")*)" to '(\w+)'/;

/** A DuckDB error while reading a file, as `PARSE_ERROR` naming the file, the line and the cell. */
function readError(plan: FilePlan, cause: unknown): AlgoTradingError {
  const message = (cause as Error)?.message ?? String(cause);
  const line = CSV_LINE.exec(message)?.[1];
  const conversion = CONVERSION.exec(message);
  const at = line === undefined ? '' : `line ${line}, `;
  const details = { path: plan.file.path, ...(line === undefined ? {} : { index: Number(line) }) };
  if (conversion !== null) {
    const name = conversion[1]!.replace(/""/g, '"');
    const value = conversion[2]!.replace(/""/g, '"');
    // Numeric times are read as numbers: a later row with text in that column lands here too.
    const expected = name === plan.names[plan.columns.roles.time] ? TIME_EXPECTATION : 'expected a number';
    return new AlgoTradingError('PARSE_ERROR', `${plan.file.path}: ${at}column ${JSON.stringify(name)}: ${expected}, got ${describeValue(value)}`, {
      cause,
      details: { ...details, field: name, value },
    });
  }
  const reason = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('Original Line') && !CSV_LINE.test(l))
    .slice(0, 2)
    .join(' ');
  return new AlgoTradingError('PARSE_ERROR', `${plan.file.path}: ${at}cannot read the ${plan.file.format === 'csv' ? 'CSV' : 'Parquet'} file: ${reason.replace(/^[A-Za-z ]*Error: /, '')}`, {
    cause,
    details: { ...details, field: 'files', value: plan.file.path },
  });
}

/**
 * Stages one file: its (symbol, timeframe) pairs get keys in `import_series`, its rows go into
 * `import_stage`, then every rule is checked. Resolves to the number of rows read.
 */
async function stageFile(context: StoreContext, plan: FilePlan, options: StageOptions, keys: KeyRange): Promise<number> {
  const { roles } = plan.columns;
  const projected = projection(plan, options, plan.file.format === 'parquet' ? 'file_row_number + 1' : 'CAST(NULL AS BIGINT)');
  const first = keys.next;
  const literal = plan.symbolLiteral !== undefined && roles.timeframe < 0;
  try {
    if (literal) {
      await context.connection.run(`INSERT INTO ${KEYS} VALUES (${first}, ${plan.fileId}, ${sqlString(plan.symbolLiteral!)}, ${options.timeframe === undefined ? 'NULL' : sqlString(options.timeframe)}, NULL)`);
      keys.next += 1;
    } else {
      // A symbol or timeframe column: one key per distinct pair (a pass over the file that
      // reads only those columns).
      const pairs = await queryRows(context, `SELECT DISTINCT symbol, timeframe FROM (${projected}) ORDER BY ALL`);
      if (pairs.some(([symbol, timeframe]) => !isValidSymbol(symbol) || (timeframe !== null && !isTimeframe(timeframe)))) {
        await reportInvalidRow(context, plan, options, undefined);
      }
      for (const [symbol, timeframe] of pairs) {
        await context.connection.run(`INSERT INTO ${KEYS} VALUES (${keys.next}, ${plan.fileId}, $1, $2, NULL)`, [String(symbol), timeframe === null ? null : String(timeframe)]);
        keys.next += 1;
      }
    }
  } catch (cause) {
    throw isAlgoTradingError(cause) ? cause : readError(plan, cause);
  }
  let staged = 0;
  if (keys.next > first) {
    const key = literal
      ? `${first}`
      : `(SELECT k.series_key FROM ${KEYS} k WHERE k.file_id = ${plan.fileId} AND k.symbol = p.symbol AND k.timeframe IS NOT DISTINCT FROM p.timeframe)`;
    try {
      const result = await context.connection.run(
        `INSERT INTO ${STAGE} SELECT ${key}, src_row, time, open, high, low, close, volume, adj_ok FROM (${projected}) p`,
      );
      staged = result.rowsChanged;
    } catch (cause) {
      throw readError(plan, cause);
    }
  }
  if (staged === 0) {
    if (roles.symbol >= 0 && options.symbol !== undefined) {
      throw new AlgoTradingError('NOT_FOUND', `${plan.file.path}: symbol ${JSON.stringify(options.symbol)} does not occur in column ${JSON.stringify(plan.names[roles.symbol])}`, {
        details: { field: 'symbol', value: options.symbol, path: plan.file.path },
      });
    }
    if (roles.timeframe >= 0 && options.timeframe !== undefined) {
      throw new AlgoTradingError('NOT_FOUND', `${plan.file.path}: timeframe ${JSON.stringify(options.timeframe)} does not occur in column ${JSON.stringify(plan.names[roles.timeframe])}`, {
        details: { field: 'timeframe', value: options.timeframe, path: plan.file.path },
      });
    }
    throw new AlgoTradingError('INVALID_DATA', `${plan.file.path}: no data rows`, { details: { field: 'rows', value: 0, path: plan.file.path } });
  }
  const ofFile = `series_key BETWEEN ${first} AND ${keys.next - 1}`;
  const [bad] = await queryRows(context, `SELECT count(*) FILTER (WHERE NOT (${OK_BAR} AND adj_ok)) FROM ${STAGE} WHERE ${ofFile}`);
  if (Number(bad![0]) > 0) await reportInvalidRow(context, plan, options, Number(bad![0]));
  // Each (symbol, timeframe, time) once per file: keys are per file, so (key, time) must be unique.
  const [repeated] = await queryRows(context, `SELECT count(*) FROM (SELECT 1 FROM ${STAGE} WHERE ${ofFile} GROUP BY series_key, time HAVING count(*) > 1)`);
  if (Number(repeated![0]) > 0) await reportDuplicate(context, plan, options);
  return staged;
}

/** Runs `sql` with DuckDB on one thread, so that `row_number() OVER ()` follows the file's order. */
async function inFileOrder<T>(context: StoreContext, work: () => Promise<T>): Promise<T> {
  const before = (await queryRows(context, `SELECT current_setting('threads')`))[0]![0];
  await context.connection.run('SET threads = 1');
  try {
    return await work();
  } finally {
    await context.connection.run(`SET threads = ${Number(before)}`);
  }
}

/** Line (CSV, 1-based) or row (Parquet, 1-based) of a row numbered `rowNumber` (1-based) in the file. */
async function locate(plan: FilePlan, rowNumber: number): Promise<number> {
  if (plan.csv === undefined) return rowNumber;
  return (await csvLineOfRecord(plan.file, rowNumber - 1, plan.csv)) ?? rowNumber + 1;
}

function orderedProjection(plan: FilePlan, options: StageOptions): string {
  const read = plan.asText ?? plan;
  return projection(read, options, read.file.format === 'parquet' ? 'file_row_number + 1' : 'row_number() OVER ()', true);
}

/** Finds the first row of the file that fails a rule and throws the error naming its line or row. */
async function reportInvalidRow(context: StoreContext, plan: FilePlan, options: StageOptions, count: number | undefined): Promise<never> {
  const rows = await inFileOrder(context, () =>
    queryObjects(
      context,
      `SELECT src_row, raw_time, symbol, timeframe, time IS NULL OR NOT isfinite(time) AS bad_time, open, high, low, close, volume, adj,
         ${OK_SYMBOL} AS symbol_ok, ${OK_TIMEFRAME} AS timeframe_ok, adj_ok
       FROM (${orderedProjection(plan, options)})
       WHERE NOT (${OK_BAR} AND ${OK_SYMBOL} AND ${OK_TIMEFRAME} AND adj_ok)
       ORDER BY src_row LIMIT 1`,
    ),
  );
  const row = rows[0];
  if (row === undefined) {
    throw new AlgoTradingError('INVARIANT_VIOLATION', `${plan.file.path}: ${count ?? 'some'} rows failed validation when staged but none when read again`, {
      details: { path: plan.file.path },
    });
  }
  const position = await locate(plan, Number(row.src_row));
  const at = where(plan, position);
  const { roles, layout, priceColumn } = plan.columns;
  const textFile = plan.file.format === 'csv';
  const fail = (code: 'PARSE_ERROR' | 'INVALID_DATA', columnIndex: number, message: string, value: unknown): never => {
    const name = plan.names[columnIndex] ?? 'time';
    const more = count !== undefined && count > 1 ? ` (${count} rows of the file fail a rule; this is the first)` : '';
    throw new AlgoTradingError(code, `${plan.file.path}: ${at}, column ${JSON.stringify(name)}: ${message}, got ${describeValue(value)}${more}`, {
      details: { field: name, index: position, value, path: plan.file.path, invalidRows: count },
    });
  };
  if (row.symbol_ok !== true) fail('INVALID_DATA', roles.symbol, 'expected a symbol of 1 to 64 characters without white space, "," or "@"', row.symbol ?? '');
  if (row.timeframe_ok !== true) fail('INVALID_DATA', roles.timeframe, 'expected a timeframe such as 1m, 1h, 1d or 1M', row.timeframe ?? '');
  if (row.bad_time === true) fail(textFile ? 'PARSE_ERROR' : 'INVALID_DATA', roles.time, TIME_EXPECTATION, row.raw_time ?? (textFile ? '' : null));
  const sourceOf = (field: 'open' | 'high' | 'low' | 'close' | 'volume'): number => {
    if (field === 'volume') return roles.volume;
    if (layout === 'price') return options.useAdjusted ? roles.adjClose : priceColumn;
    return options.useAdjusted && field === 'close' ? roles.adjClose : roles[field];
  };
  for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
    if (row[field] === null) fail(textFile ? 'PARSE_ERROR' : 'INVALID_DATA', sourceOf(field), 'expected a number', textFile ? '' : null);
  }
  if (row.adj_ok !== true) fail('INVALID_DATA', roles.adjClose, 'expected a finite positive adjusted close', row.adj);
  // The bar rule itself, worded by core's validateBarColumns on this one row.
  const one = (v: unknown) => Float64Array.of(Number(v));
  try {
    validateBarColumns({ time: one(0), open: one(row.open), high: one(row.high), low: one(row.low), close: one(row.close), volume: one(row.volume) });
  } catch (error) {
    if (!isAlgoTradingError(error)) throw error;
    const field = String(error.details.field) as 'open' | 'high' | 'low' | 'close' | 'volume';
    const rule = (/^\w+\[\d+\] ([\s\S]*), got [^,]*$/.exec(error.message)?.[1] ?? error.message).trim();
    const label = layout === 'price' && field !== 'volume' ? 'price' : field;
    const adjusted = options.useAdjusted && field !== 'volume' ? ' (after adjusting by the adjusted close)' : '';
    fail('INVALID_DATA', sourceOf(field), `${label} ${rule}${adjusted}`, error.details.value);
  }
  throw new AlgoTradingError('INVARIANT_VIOLATION', `${plan.file.path}: ${at} failed a rule in SQL but passes validateBarColumns`, {
    details: { path: plan.file.path, row },
  });
}

function isoTime(time: unknown): string {
  return time instanceof Date ? time.toISOString() : String(time);
}

/** Finds the first repeated (symbol, timeframe, time) of the file and throws naming both lines. */
async function reportDuplicate(context: StoreContext, plan: FilePlan, options: StageOptions): Promise<never> {
  const rows = await inFileOrder(context, () =>
    queryObjects(
      context,
      `SELECT src_row, first_row, raw_time, time FROM (
         SELECT src_row, raw_time, time, min(src_row) OVER (PARTITION BY symbol, timeframe, time) AS first_row
         FROM (${orderedProjection(plan, options)}))
       WHERE src_row > first_row ORDER BY src_row LIMIT 1`,
    ),
  );
  const row = rows[0]!;
  const at = await locate(plan, Number(row.src_row));
  const first = await locate(plan, Number(row.first_row));
  const name = plan.names[plan.columns.roles.time]!;
  throw new AlgoTradingError(
    'INVALID_DATA',
    `${plan.file.path}: ${where(plan, at)}, column ${JSON.stringify(name)}: duplicate time ${isoTime(row.time)}, already at ${where(plan, first)}`,
    { details: { field: name, index: at, value: row.raw_time, path: plan.file.path } },
  );
}

/** Names the timeframe of the keys of `fileId` that have none, from each one's median bar spacing. */
async function inferTimeframes(context: StoreContext, fileId: number, source: string): Promise<void> {
  const spacings = await queryRows(
    context,
    `SELECT k.series_key, k.symbol, count(*) AS bars, median(gap) AS spacing FROM ${KEYS} k JOIN (
       SELECT series_key, epoch_ms(time) - lag(epoch_ms(time)) OVER (PARTITION BY series_key ORDER BY time) AS gap FROM ${STAGE}
       WHERE series_key IN (SELECT series_key FROM ${KEYS} WHERE file_id = ${fileId} AND timeframe IS NULL)) g USING (series_key)
     GROUP BY k.series_key, k.symbol ORDER BY k.series_key`,
  );
  for (const [key, symbol, bars, spacing] of spacings) {
    const ms = spacing === null ? Number.NaN : Number(spacing);
    const timeframe = timeframeFromSpacing(ms);
    if (timeframe === undefined) {
      throw new AlgoTradingError(
        'INVALID_ARGUMENT',
        Number(bars) < 2
          ? `${source}: cannot infer the timeframe of ${String(symbol)} from a single bar: pass timeframe (e.g. 1d)`
          : `${source}: cannot infer the timeframe of ${String(symbol)}: its median bar spacing is ${ms} ms, not a whole number of seconds, minutes, hours, days, weeks or a month: pass timeframe`,
        { details: { field: 'timeframe', value: ms, path: source, symbol } },
      );
    }
    await context.connection.run(`UPDATE ${KEYS} SET timeframe = $1 WHERE series_key = ${Number(key)}`, [timeframe]);
  }
}

// ---------------------------------------------------------------------------------------------
// Merge.

function barValues(row: Record<string, unknown>, prefix: string): BarValues {
  return {
    open: Number(row[`${prefix}open`]),
    high: Number(row[`${prefix}high`]),
    low: Number(row[`${prefix}low`]),
    close: Number(row[`${prefix}close`]),
    volume: Number(row[`${prefix}volume`]),
  };
}

const SAME_VALUES = `(s.open = b.open AND s.high = b.high AND s.low = b.low AND s.close = b.close AND s.volume = b.volume)`;
/** Staged rows with their (symbol, timeframe), file and (once created) series id. */
const STAGED = `${STAGE} s JOIN ${KEYS} k USING (series_key)`;

interface MergeOptions {
  readonly policy: ConflictPolicy;
  readonly sources: readonly string[];
  readonly files: readonly ImportedFile[];
  readonly maxConflicts: number;
}

/** Rows present under several keys (files) of this import: identical ones are kept once, differing ones fail the import. */
async function deduplicateAcrossFiles(context: StoreContext, sources: readonly string[]): Promise<void> {
  // The first key of each (symbol, timeframe) stands for all its files' keys.
  await context.connection.run(
    `CREATE OR REPLACE TEMP TABLE import_canon AS
     SELECT series_key, min(series_key) OVER (PARTITION BY symbol, timeframe) AS canon FROM ${KEYS}`,
  );
  const [summary] = await queryRows(
    context,
    `SELECT count(*) FILTER (WHERE n > 1), count(*) FILTER (WHERE variants > 1) FROM (
       SELECT count(*) AS n, count(DISTINCT (open, high, low, close, volume)) AS variants
       FROM ${STAGE} s JOIN import_canon c USING (series_key) GROUP BY c.canon, s.time)`,
  );
  const repeated = Number(summary![0]);
  const disagreeing = Number(summary![1]);
  if (disagreeing > 0) {
    const [example] = await queryObjects(
      context,
      `SELECT any_value(k.symbol) AS symbol, any_value(k.timeframe) AS timeframe, s.time, list(k.file_id ORDER BY k.file_id) AS files
       FROM ${STAGED} JOIN import_canon c USING (series_key)
       GROUP BY c.canon, s.time HAVING count(DISTINCT (s.open, s.high, s.low, s.close, s.volume)) > 1 ORDER BY symbol, timeframe, s.time LIMIT 1`,
    );
    const files = (example!.files as number[]).map((id) => sources[id] ?? `#${id}`);
    throw new AlgoTradingError(
      'INVALID_DATA',
      `${disagreeing} bars appear with different values in several files of this import, e.g. ${String(example!.symbol)} ${String(example!.timeframe)} ${isoTime(example!.time)} in ${files.join(' and ')}: import them separately and choose onConflict`,
      { details: { field: 'files', value: files, symbol: example!.symbol, time: isoTime(example!.time), conflictingRows: disagreeing } },
    );
  }
  if (repeated > 0) {
    await context.connection.run(
      `DELETE FROM ${STAGE} WHERE rowid IN (SELECT rowid FROM (
         SELECT s.rowid, row_number() OVER (PARTITION BY c.canon, s.time ORDER BY s.series_key) AS n FROM ${STAGE} s JOIN import_canon c USING (series_key)) WHERE n > 1)`,
    );
  }
  await context.connection.run('DROP TABLE import_canon');
}

async function mergeStage(context: StoreContext, options: MergeOptions): Promise<ImportBarsResult> {
  const { policy, sources } = options;
  // Only a (symbol, timeframe) staged under several keys (several files, say) can repeat a bar
  // across them; a folder of one file per symbol skips this pass.
  const [shared] = await queryRows(context, `SELECT count(*) FROM (SELECT 1 FROM ${KEYS} GROUP BY symbol, timeframe HAVING count(*) > 1)`);
  if (Number(shared![0]) > 0) await deduplicateAcrossFiles(context, sources);
  await context.connection.run(
    `INSERT INTO series (id, symbol, timeframe)
     SELECT nextval('series_id_seq'), symbol, timeframe FROM (SELECT DISTINCT symbol, timeframe FROM ${KEYS}) n
     WHERE NOT EXISTS (SELECT 1 FROM series x WHERE x.symbol = n.symbol AND x.timeframe = n.timeframe)`,
  );
  await context.connection.run(`UPDATE ${KEYS} AS k SET series_id = x.id FROM series x WHERE x.symbol = k.symbol AND x.timeframe = k.timeframe`);
  // Rows per series (a small group-by on integer keys), and which series already hold bars: only
  // their rows can match stored rows, so an import of new series skips the comparison join.
  const staged = await queryRows(
    context,
    `SELECT x.id, x.symbol, x.timeframe, sum(n.rows) AS rows, EXISTS (SELECT 1 FROM bar_data b WHERE b.series_id = x.id) AS stored
     FROM (SELECT series_key, count(*) AS rows FROM ${STAGE} GROUP BY series_key) n JOIN ${KEYS} k USING (series_key) JOIN series x ON x.id = k.series_id
     GROUP BY x.id, x.symbol, x.timeframe ORDER BY x.symbol, x.timeframe`,
  );
  const storedIds = staged.filter((row) => row[4] === true).map((row) => Number(row[0]));
  const matches = new Map<number, { same: number; differ: number }>();
  if (storedIds.length > 0) {
    const rows = await queryRows(
      context,
      `SELECT k.series_id, count(*) FILTER (WHERE ${SAME_VALUES}), count(*) FILTER (WHERE NOT ${SAME_VALUES})
       FROM ${STAGED} JOIN bar_data b ON b.series_id = k.series_id AND b.time = s.time
       WHERE k.series_id IN (${storedIds.join(', ')}) GROUP BY k.series_id`,
    );
    for (const [id, same, differ] of rows) matches.set(Number(id), { same: Number(same), differ: Number(differ) });
  }
  const series: ImportedSeries[] = staged.map(([id, symbol, timeframe, rows]) => {
    const match = matches.get(Number(id)) ?? { same: 0, differ: 0 };
    return {
      symbol: String(symbol),
      timeframe: String(timeframe),
      rows: Number(rows),
      unchanged: match.same,
      conflicting: match.differ,
      inserted: Number(rows) - match.same - match.differ,
    };
  });
  const conflicting = series.reduce((sum, s) => sum + s.conflicting, 0);
  let conflicts: BarConflict[] = [];
  if (conflicting > 0) {
    const limit = policy === 'error' ? Math.max(options.maxConflicts, 1) : options.maxConflicts;
    const rows =
      limit === 0
        ? []
        : await queryObjects(
            context,
            `SELECT k.symbol, k.timeframe, s.time, k.file_id, s.open AS in_open, s.high AS in_high, s.low AS in_low, s.close AS in_close, s.volume AS in_volume,
                    b.open AS st_open, b.high AS st_high, b.low AS st_low, b.close AS st_close, b.volume AS st_volume
             FROM ${STAGED} JOIN bar_data b ON b.series_id = k.series_id AND b.time = s.time
             WHERE NOT ${SAME_VALUES} ORDER BY k.symbol, k.timeframe, s.time LIMIT ${limit}`,
          );
    conflicts = rows.map((row) => ({
      symbol: String(row.symbol),
      timeframe: String(row.timeframe),
      time: (row.time as Date).getTime(),
      source: sources[Number(row.file_id)] ?? String(row.file_id),
      stored: barValues(row, 'st_'),
      incoming: barValues(row, 'in_'),
    }));
    if (policy === 'error') {
      const c = conflicts[0]!;
      const differing = (Object.keys(c.stored) as (keyof BarValues)[]).filter((k) => !Object.is(c.stored[k], c.incoming[k]));
      const detail = differing.map((k) => `${k} ${c.stored[k]} stored, ${c.incoming[k]} in ${c.source}`).join('; ');
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${conflicting} imported bars differ from stored bars with the same symbol, timeframe and time, e.g. ${c.symbol} ${c.timeframe} ${new Date(c.time).toISOString()}: ${detail}. Nothing was imported; pass onConflict: 'keep' to keep the stored bars or 'replace' to overwrite them`,
        { details: { field: 'onConflict', value: policy, conflictingRows: conflicting, conflicts } },
      );
    }
  }
  if (policy === 'replace' && conflicting > 0) {
    await context.connection.run(
      `UPDATE bar_data AS b SET open = s.open, high = s.high, low = s.low, close = s.close, volume = s.volume
       FROM (SELECT k.series_id, st.* FROM ${STAGE} st JOIN ${KEYS} k USING (series_key)) s
       WHERE b.series_id = s.series_id AND b.time = s.time AND NOT ${SAME_VALUES}`,
    );
  }
  const inserted = series.reduce((sum, s) => sum + s.inserted, 0);
  if (inserted > 0) {
    // Sorted by series and time, so each series is stored (and later scanned) in time order.
    await context.connection.run(
      `INSERT INTO bar_data
       SELECT k.series_id, s.time, s.open, s.high, s.low, s.close, s.volume FROM ${STAGED}
       ${storedIds.length === 0 ? '' : `WHERE NOT EXISTS (SELECT 1 FROM bar_data b WHERE b.series_id = k.series_id AND b.time = s.time)`}
       ORDER BY k.series_id, s.time`,
    );
  }
  const unchanged = series.reduce((sum, s) => sum + s.unchanged, 0);
  const rowsRead = options.files.reduce((sum, f) => sum + f.rows, 0);
  const list = (items: readonly string[]) => `[${items.map(sqlString).join(', ')}]::VARCHAR[]`;
  const [idRow] = await queryRows(
    context,
    `INSERT INTO imports VALUES (nextval('import_id_seq'), now()::TIMESTAMP, ${list(sources)}, ${list(series.map((s) => `${s.symbol}@${s.timeframe}`))},
       ${rowsRead}, ${inserted}, ${unchanged}, ${conflicting}, ${sqlString(policy)}) RETURNING id`,
  );
  await context.connection.run(`DROP TABLE ${STAGE}`);
  await context.connection.run(`DROP TABLE ${KEYS}`);
  return {
    importId: Number(idRow![0]),
    files: options.files,
    series,
    rowsRead,
    inserted,
    unchanged,
    conflicting,
    conflicts,
    onConflict: policy,
  };
}

// ---------------------------------------------------------------------------------------------
// Entry points.

/** Imports CSV and Parquet files (and folders of them) into the bars of the store; see `Store.importBars`. */
export async function importBars(context: StoreContext, input: ImportBarsOptions): Promise<ImportBarsResult> {
  const options = parseOptions(importBarsOptionsSchema, input, { what: 'importBars options' });
  const files = await expandSources(typeof options.files === 'string' ? [options.files] : options.files, options.recursive);
  const stageOptions: StageOptions = {
    symbol: options.symbol,
    timeframe: options.timeframe,
    useAdjusted: options.useAdjusted,
    timeUnit: options.timeUnit,
  };
  const plans: FilePlan[] = [];
  for (let k = 0; k < files.length; k++) {
    const file = files[k]!;
    const planOptions = { ...stageOptions, mapping: options.columns, delimiter: options.delimiter };
    plans.push(file.format === 'csv' ? await planCsv(context, file, k, planOptions) : await planParquet(context, file, k, planOptions));
  }
  const result = await inTransaction(context, async () => {
    await createStage(context);
    const keys = new KeyRange();
    const imported: ImportedFile[] = [];
    for (const plan of plans) {
      const rows = await stageFile(context, plan, stageOptions, keys);
      await inferTimeframes(context, plan.fileId, plan.file.path);
      imported.push({ path: plan.file.path, format: plan.file.format, rows });
    }
    return mergeStage(context, { policy: options.onConflict, sources: plans.map((p) => p.file.path), files: imported, maxConflicts: options.maxReportedConflicts });
  });
  context.logger.info(
    { importId: result.importId, files: result.files.length, inserted: result.inserted, unchanged: result.unchanged, conflicting: result.conflicting },
    `imported ${result.rowsRead} bars from ${result.files.length} file(s): ${result.inserted} new, ${result.unchanged} unchanged, ${result.conflicting} conflicting`,
  );
  return result;
}

function seriesEntries(options: { bars: WriteBarsOptions['bars']; symbol: string | undefined }): [string, BarSeries][] {
  const { bars } = options;
  if (isBarSeries(bars)) {
    const series = bars;
    const symbol = options.symbol ?? series.symbol;
    if (symbol === undefined) {
      throw new AlgoTradingError('INVALID_ARGUMENT', 'writeBars: the series has no symbol: pass symbol', { details: { field: 'symbol', value: undefined } });
    }
    return [[requireSymbol('symbol', symbol), series]];
  }
  if (options.symbol !== undefined) {
    throw new AlgoTradingError('INVALID_ARGUMENT', 'writeBars: symbol applies to a single series; several series are keyed by their symbols', {
      details: { field: 'symbol', value: options.symbol },
    });
  }
  const entries = bars instanceof Map ? [...(bars as ReadonlyMap<string, BarSeries>).entries()] : Object.entries(bars as Record<string, BarSeries>);
  return entries.map(([symbol, series]) => [requireSymbol(`bars[${JSON.stringify(symbol)}]`, symbol), series]);
}

/** Writes validated `BarSeries` into the bars of the store; see `Store.writeBars`. */
export async function writeBars(context: StoreContext, input: WriteBarsOptions): Promise<ImportBarsResult> {
  const options = parseOptions(writeBarsOptionsSchema, input, { what: 'writeBars options' });
  const entries = seriesEntries({ bars: options.bars, symbol: options.symbol });
  const sources = entries.map(([symbol]) => `${options.source} ${symbol}`);
  const result = await inTransaction(context, async () => {
    await createStage(context);
    const imported: ImportedFile[] = [];
    for (let k = 0; k < entries.length; k++) {
      const [symbol, series] = entries[k]!;
      const n = series.length;
      if (n === 0) {
        throw new AlgoTradingError('INVALID_DATA', `writeBars: the series of ${symbol} is empty`, { details: { field: 'bars', value: symbol } });
      }
      // Times go in as epoch ms and must be whole microseconds, the resolution of the store.
      for (let i = 0; i < n; i++) {
        const t = series.time[i]!;
        if (Math.round(t * 1000) / 1000 !== t) {
          throw new AlgoTradingError('INVALID_DATA', `${sources[k]}: time[${i}] = ${t} ms is finer than a microsecond, the store's resolution`, {
            details: { field: 'time', index: i, value: t },
          });
        }
      }
      await context.connection.run(`CREATE OR REPLACE TEMP TABLE series_input (time DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)`);
      await appendDoubleColumns(context.modules, context.connection, { name: 'series_input', catalog: 'temp' }, [
        series.time,
        series.open,
        series.high,
        series.low,
        series.close,
        series.volume,
      ]);
      await context.connection.run(`INSERT INTO ${KEYS} VALUES (${k}, ${k}, ${sqlString(symbol)}, ${options.timeframe === undefined ? 'NULL' : sqlString(options.timeframe)}, NULL)`);
      await context.connection.run(
        `INSERT INTO ${STAGE} SELECT ${k}, NULL, make_timestamp(CAST(round(time * 1000) AS BIGINT)), open, high, low, close, volume, true FROM series_input`,
      );
      await context.connection.run('DROP TABLE series_input');
      await inferTimeframes(context, k, sources[k]!);
      imported.push({ path: sources[k]!, format: 'series', rows: n });
    }
    return mergeStage(context, { policy: options.onConflict, sources, files: imported, maxConflicts: options.maxReportedConflicts });
  });
  context.logger.info(
    { importId: result.importId, inserted: result.inserted, unchanged: result.unchanged, conflicting: result.conflicting },
    `wrote ${result.rowsRead} bars of ${entries.length} series: ${result.inserted} new, ${result.unchanged} unchanged, ${result.conflicting} conflicting`,
  );
  return result;
}
