import type { Logger } from '@algo-trading/core';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckDBModules } from './duckdb';

/** What the store's operations share: the loaded client, the one connection, the file and a logger. */
export interface StoreContext {
  readonly modules: DuckDBModules;
  readonly connection: DuckDBConnection;
  /** The database file (absolute), or `:memory:`. */
  readonly path: string;
  readonly readOnly: boolean;
  readonly logger: Logger;
}

/**
 * Runs `work` inside one transaction: committed when it resolves, rolled back when it throws
 * (the error is rethrown unchanged), so a failed operation leaves the store as it was.
 */
export async function inTransaction<T>(context: StoreContext, work: () => Promise<T>): Promise<T> {
  await context.connection.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    try {
      await context.connection.run('ROLLBACK');
    } catch {
      // The transaction is already aborted (DuckDB aborts it on some errors): nothing to undo.
    }
    throw error;
  }
  await context.connection.run('COMMIT');
  return result;
}

/** Runs a query and returns its rows as plain JS values (BIGINT as bigint, TIMESTAMP as Date). */
export async function queryRows(context: StoreContext, sql: string, values?: readonly unknown[]): Promise<unknown[][]> {
  const reader = await context.connection.runAndReadAll(sql, values as never);
  return reader.getRowsJS() as unknown[][];
}

/** Runs a query and returns its rows as objects keyed by column name (JS values). */
export async function queryObjects(context: StoreContext, sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const reader = await context.connection.runAndReadAll(sql, values as never);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** A TIMESTAMP (read as a JS Date) or null as epoch ms. */
export function timestampToMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN;
}

/** A BIGINT / INTEGER (bigint or number) or null as a number. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'bigint' ? Number(value) : (value as number);
}
