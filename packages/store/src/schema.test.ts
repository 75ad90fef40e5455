import { isAlgoTradingError } from '@algo-trading/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, STORE_SCHEMA_VERSION, STORE_TABLES, prepareSchema, type Migration } from './schema';

async function memory() {
  const instance = await DuckDBInstance.create(':memory:');
  return { instance, connection: await instance.connect() };
}

describe('migrations', () => {
  it('are numbered 1, 2, ... and the latest is the schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(STORE_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('create every table listed in STORE_TABLES', async () => {
    const { connection } = await memory();
    await prepareSchema(connection, { path: ':memory:', readOnly: false, appliedBy: 'test' });
    const names = (await connection.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'`)).getRowsJS().map((r) => r[0]);
    expect([...names].sort()).toEqual([...STORE_TABLES].sort());
  });

  it('apply only the missing steps, in order, recording each; a failing step changes nothing', async () => {
    const { connection } = await memory();
    const v1: Migration = { version: 1, description: 'one', statements: ['CREATE TABLE a (x INTEGER)'] };
    const v2: Migration = { version: 2, description: 'two', statements: ['ALTER TABLE a ADD COLUMN y INTEGER', 'CREATE TABLE b (z INTEGER)'] };
    expect(await prepareSchema(connection, { path: 'm', readOnly: false, appliedBy: 't', migrations: [v1] })).toBe(1);
    await connection.run('INSERT INTO a VALUES (7)');
    expect(await prepareSchema(connection, { path: 'm', readOnly: false, appliedBy: 't', migrations: [v1, v2] })).toBe(2);
    expect((await connection.runAndReadAll('SELECT x, y FROM a')).getRowsJS()).toEqual([[7, null]]);
    expect((await connection.runAndReadAll('SELECT version, description FROM schema_version ORDER BY version')).getRowsJS()).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    const broken: Migration = { version: 3, description: 'broken', statements: ['CREATE TABLE c (q INTEGER)', 'THIS IS NOT SQL'] };
    let error: unknown;
    try {
      await prepareSchema(connection, { path: 'm', readOnly: false, appliedBy: 't', migrations: [v1, v2, broken] });
    } catch (e) {
      error = e;
    }
    expect(isAlgoTradingError(error, 'IO_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/^cannot migrate m from schema version 2 to 3: /);
    expect((await connection.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'c'`)).getRowsJS()).toEqual([[0n]]);
    expect((await connection.runAndReadAll('SELECT max(version) FROM schema_version')).getRowsJS()).toEqual([[2]]);
  });

  it('refuse to migrate a read-only store, and a newer one', async () => {
    const { connection } = await memory();
    const v1: Migration = { version: 1, description: 'one', statements: ['CREATE TABLE a (x INTEGER)'] };
    await prepareSchema(connection, { path: 'm', readOnly: false, appliedBy: 't', migrations: [v1] });
    const v2: Migration = { version: 2, description: 'two', statements: ['CREATE TABLE b (x INTEGER)'] };
    await expect(prepareSchema(connection, { path: 'm', readOnly: true, appliedBy: 't', migrations: [v1, v2] })).rejects.toThrow(
      'm has store schema version 1 and needs migrating to 2: open it once without readOnly',
    );
    await prepareSchema(connection, { path: 'm', readOnly: false, appliedBy: 't', migrations: [v1, v2] });
    await expect(prepareSchema(connection, { path: 'm', readOnly: false, appliedBy: 't', migrations: [v1] })).rejects.toThrow(
      'm has store schema version 2, written by a newer @algo-trading/store; this version reads up to 1: upgrade @algo-trading/store',
    );
  });
});
