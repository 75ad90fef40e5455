import { AlgoTradingError } from '@algo-trading/core';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './duckdb';

/**
 * The store's tables and their versions. Every change to the layout is a new {@link Migration}
 * appended to {@link MIGRATIONS}; opening a store applies the missing ones in one transaction and
 * records each in `schema_version`. A file whose version is newer than this code knows is refused.
 */

/** One step of the layout: the statements that take the store from `version - 1` to `version`. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'bars by series, imports, runs with parameters, metrics, trades, fills and equity curves',
    statements: [
      // One row per (symbol, timeframe); bar_data refers to it by a small integer id.
      //
      // bar_data has no PRIMARY KEY / UNIQUE index: (series_id, time) is unique because the store
      // is its only writer and every import checks it (each file's times, files against each
      // other, rows against the stored ones) inside the import's transaction, under the file
      // lock. A DuckDB key index would cost about 2 s of CPU per million imported bars (four times
      // the plain insert) and must stay in memory, which years of minute bars of many symbols
      // would not fit. Scans by series and time use DuckDB's min-max zone maps instead; imports
      // insert each series in time order, which keeps those zones tight.
      `CREATE SEQUENCE series_id_seq START 1`,
      `CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        symbol VARCHAR NOT NULL,
        timeframe VARCHAR NOT NULL,
        UNIQUE (symbol, timeframe)
      )`,
      `CREATE TABLE bar_data (
        series_id INTEGER NOT NULL,
        time TIMESTAMP NOT NULL,
        open DOUBLE NOT NULL,
        high DOUBLE NOT NULL,
        low DOUBLE NOT NULL,
        close DOUBLE NOT NULL,
        volume DOUBLE NOT NULL
      )`,
      `CREATE VIEW bars AS
        SELECT s.symbol, s.timeframe, b.time, b.open, b.high, b.low, b.close, b.volume
        FROM bar_data b JOIN series s ON s.id = b.series_id`,
      `CREATE SEQUENCE import_id_seq START 1`,
      `CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        imported_at TIMESTAMP NOT NULL,
        sources VARCHAR[] NOT NULL,
        series VARCHAR[] NOT NULL,
        rows_read BIGINT NOT NULL,
        rows_inserted BIGINT NOT NULL,
        rows_unchanged BIGINT NOT NULL,
        rows_conflicting BIGINT NOT NULL,
        on_conflict VARCHAR NOT NULL
      )`,
      `CREATE TABLE runs (
        id VARCHAR PRIMARY KEY,
        created_at TIMESTAMP NOT NULL,
        command VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        error VARCHAR,
        title VARCHAR,
        strategy VARCHAR,
        config_hash VARCHAR NOT NULL,
        data_hash VARCHAR NOT NULL,
        code_version VARCHAR NOT NULL,
        git_commit VARCHAR,
        folder VARCHAR,
        data_source VARCHAR,
        symbols VARCHAR[] NOT NULL,
        timeframe VARCHAR,
        start_time TIMESTAMP,
        end_time TIMESTAMP,
        bar_count BIGINT,
        config VARCHAR,
        -- A copy of the run's rows in run_metrics, so listing thousands of runs with their
        -- headline metrics reads one table (no join, no aggregation).
        metrics MAP(VARCHAR, DOUBLE) NOT NULL
      )`,
      `CREATE TABLE run_parameters (
        run_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        number DOUBLE,
        PRIMARY KEY (run_id, name)
      )`,
      `CREATE TABLE run_metrics (
        run_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        value DOUBLE,
        PRIMARY KEY (run_id, name)
      )`,
      `CREATE TABLE run_trades (
        run_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        symbol VARCHAR NOT NULL,
        side VARCHAR NOT NULL,
        quantity DOUBLE NOT NULL,
        entry_time TIMESTAMP NOT NULL,
        exit_time TIMESTAMP NOT NULL,
        entry_price DOUBLE NOT NULL,
        exit_price DOUBLE NOT NULL,
        entry_bar_index INTEGER NOT NULL,
        exit_bar_index INTEGER NOT NULL,
        gross_pnl DOUBLE NOT NULL,
        commission DOUBLE NOT NULL,
        slippage_cost DOUBLE NOT NULL,
        pnl DOUBLE NOT NULL,
        return_pct DOUBLE NOT NULL,
        initial_risk DOUBLE,
        r_multiple DOUBLE,
        exit_reason VARCHAR NOT NULL,
        bars_held INTEGER NOT NULL
      )`,
      `CREATE TABLE run_fills (
        run_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        time TIMESTAMP NOT NULL,
        bar_index INTEGER NOT NULL,
        symbol VARCHAR NOT NULL,
        side VARCHAR NOT NULL,
        effect VARCHAR NOT NULL,
        quantity DOUBLE NOT NULL,
        price DOUBLE NOT NULL,
        reference_price DOUBLE NOT NULL,
        commission DOUBLE NOT NULL,
        slippage_cost DOUBLE NOT NULL,
        reason VARCHAR NOT NULL
      )`,
      `CREATE TABLE run_equity (
        run_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        time TIMESTAMP NOT NULL,
        equity DOUBLE NOT NULL,
        cash DOUBLE,
        drawdown DOUBLE
      )`,
    ],
  },
  {
    version: 2,
    description: 'the engine order id of each fill (run_fills.order_id; -1 for fills recorded before it)',
    statements: [`ALTER TABLE run_fills ADD COLUMN order_id INTEGER DEFAULT -1`],
  },
];

/** The layout version this code writes and reads. */
export const STORE_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Tables (and the `bars` view) of the store, for `exportParquet`. */
export const STORE_TABLES = [
  'bars',
  'series',
  'bar_data',
  'imports',
  'runs',
  'run_parameters',
  'run_metrics',
  'run_trades',
  'run_fills',
  'run_equity',
  'schema_version',
] as const;

/** One of {@link STORE_TABLES}. */
export type StoreTable = (typeof STORE_TABLES)[number];

const VERSION_TABLE = `CREATE TABLE schema_version (
  version INTEGER PRIMARY KEY,
  description VARCHAR NOT NULL,
  applied_at TIMESTAMP NOT NULL,
  applied_by VARCHAR NOT NULL
)`;

/** What {@link prepareSchema} needs. */
export interface PrepareSchemaOptions {
  /** The database file, for messages. */
  readonly path: string;
  readonly readOnly: boolean;
  /** Recorded in `schema_version.applied_by`, e.g. `@algo-trading/store`. */
  readonly appliedBy: string;
  /** The migrations to apply; {@link MIGRATIONS} unless testing the mechanism itself. */
  readonly migrations?: readonly Migration[];
}

async function scalarNumber(connection: DuckDBConnection, sql: string): Promise<number | null> {
  const reader = await connection.runAndReadAll(sql);
  const value = reader.getRowsJS()[0]?.[0];
  return value === null || value === undefined ? null : Number(value);
}

/**
 * The layout version recorded in `schema_version`, or undefined when the database has no such
 * table (the query fails). Every open of an existing store asks this one-row query directly: the
 * catalog listing that tells an empty file from another database costs more, and only those
 * files need it.
 */
async function storedVersion(connection: DuckDBConnection): Promise<number | undefined> {
  try {
    return (await scalarNumber(connection, 'SELECT max(version) FROM schema_version')) ?? 0;
  } catch {
    return undefined;
  }
}

/**
 * Brings the open database to the latest layout and returns its version: creates the schema in
 * an empty file, applies missing migrations (one transaction), refuses a newer version
 * (`UNSUPPORTED`), a file that is not a store (`INVALID_DATA`), and an outdated store opened
 * read-only (`INVALID_STATE`).
 */
export async function prepareSchema(connection: DuckDBConnection, options: PrepareSchemaOptions): Promise<number> {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  let current = await storedVersion(connection);
  if (current === undefined) {
    // No schema_version table: an empty file (a new store) or some other database.
    const reader = await connection.runAndReadAll(
      `SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY table_name`,
    );
    const tables = reader.getRowsJS().map((row) => String(row[0]));
    if (tables.length > 0) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${options.path} is a DuckDB database but not an algo-trading store (it has no schema_version table; tables found: ${tables.join(', ')}); use another path`,
        { details: { field: 'path', value: options.path, tables } },
      );
    }
    current = 0;
  }
  if (current > latest) {
    throw new AlgoTradingError(
      'UNSUPPORTED',
      `${options.path} has store schema version ${current}, written by a newer @algo-trading/store; this version reads up to ${latest}: upgrade @algo-trading/store`,
      { details: { field: 'schemaVersion', value: current, supported: latest } },
    );
  }
  if (current === latest) return current;
  if (options.readOnly) {
    throw new AlgoTradingError(
      'INVALID_STATE',
      current === 0
        ? `${options.path} is not initialised as a store yet: open it once without readOnly`
        : `${options.path} has store schema version ${current} and needs migrating to ${latest}: open it once without readOnly`,
      { details: { field: 'schemaVersion', value: current, supported: latest } },
    );
  }
  await connection.run('BEGIN TRANSACTION');
  try {
    if (current === 0) await connection.run(VERSION_TABLE);
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run(
        `INSERT INTO schema_version VALUES (${migration.version}, ${sqlString(migration.description)}, now()::TIMESTAMP, ${sqlString(options.appliedBy)})`,
      );
    }
    await connection.run('COMMIT');
  } catch (cause) {
    await connection.run('ROLLBACK');
    throw new AlgoTradingError('IO_ERROR', `cannot migrate ${options.path} from schema version ${current} to ${latest}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      details: { field: 'schemaVersion', value: current },
    });
  }
  return latest;
}
