// @long-running: opens DuckDB files from several processes (started first, see tools/config/long-running-first.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAlgoTradingError } from '@algo-trading/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { STORE_SCHEMA_VERSION, openStore } from '../src/index';
import { MIGRATIONS, prepareSchema } from '../src/schema';
import { rejection, tempDir, writeText } from './helpers';

const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/hold-store.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Starts the fixture in a real second Node process. */
function startFixture(args: readonly string[]): { child: ChildProcess; output: () => string; waitFor: (text: string) => Promise<void>; exit: Promise<number> } {
  const child = spawn(process.execPath, ['--conditions=@algo-trading/source', '--import', TSX, FIXTURE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { text: string; done: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters.splice(0)) (out.includes(w.text) ? w.done : () => waiters.push(w))();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number>((done) => child.on('close', (code) => done(code ?? -1)));
  return {
    child,
    output: () => out,
    waitFor: (text) => (out.includes(text) ? Promise.resolve() : new Promise((done) => waiters.push({ text, done }))),
    exit,
  };
}

describe('the database file', () => {
  it('is created with a schema version table and keeps its data across opens', async () => {
    const dir = tempDir();
    const path = join(dir, 'nested', 'folder', 'store.duckdb');
    const store = await openStore({ path });
    expect([store.path, store.schemaVersion, store.readOnly]).toEqual([path, STORE_SCHEMA_VERSION, false]);
    await store.importBars({ files: writeText(dir, 'SPY.csv', 'date,close\n2024-01-02,1\n2024-01-03,2\n') });
    await store.close();
    await store.close(); // twice is harmless
    expect(isAlgoTradingError(await rejection(store.listSymbols()), 'INVALID_STATE')).toBe(true);
    const again = await openStore({ path, readOnly: true });
    expect((await again.listSymbols()).map((s) => s.bars)).toEqual([2]);
    const writeError = await rejection(again.importBars({ files: join(dir, 'SPY.csv') }));
    expect(isAlgoTradingError(writeError, 'INVALID_STATE')).toBe(true);
    expect(writeError.message).toBe(`importBars: the store ${path} is open read-only`);
    await again.close();
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll('SELECT version, applied_by FROM schema_version ORDER BY version')).getRowsJS();
    expect(rows).toEqual([
      [1, '@algo-trading/store'],
      [2, '@algo-trading/store'],
    ]);
    connection.closeSync();
    instance.closeSync();
  });

  it('defaults to algo-trading.duckdb in the working folder', async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const store = await openStore();
      expect(store.path).toBe(join(process.cwd(), 'algo-trading.duckdb'));
      await store.close();
    } finally {
      process.chdir(cwd);
    }
  });

  it('migrates a version-1 store: a fill recorded before order ids gets order_id -1', async () => {
    const path = join(tempDir(), 'v1.duckdb');
    const raw = async <T>(work: (connection: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>): Promise<T> => {
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      try {
        return await work(connection);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    };
    await raw(async (connection) => {
      expect(await prepareSchema(connection, { path, readOnly: false, appliedBy: 'test', migrations: MIGRATIONS.slice(0, 1) })).toBe(1);
      await connection.run(`INSERT INTO run_fills VALUES ('old', 0, TIMESTAMP '2024-01-03', 1, 'SPY', 'buy', 'open', 10, 100, 100, 0, 0, 'entry')`);
    });
    const store = await openStore({ path });
    expect(store.schemaVersion).toBe(2);
    await store.close();
    const rows = await raw(async (connection) => (await connection.runAndReadAll('SELECT run_id, order_id FROM run_fills')).getRowsJS());
    expect(rows).toEqual([['old', -1]]);
  });

  it('refuses a store written by a newer version', async () => {
    const dir = tempDir();
    const path = join(dir, 'store.duckdb');
    await (await openStore({ path })).close();
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run(`INSERT INTO schema_version VALUES (${STORE_SCHEMA_VERSION + 1}, 'from the future', now()::TIMESTAMP, 'test')`);
    connection.closeSync();
    instance.closeSync();
    const error = await rejection(openStore({ path }));
    expect(isAlgoTradingError(error, 'UNSUPPORTED')).toBe(true);
    expect(error.message).toBe(
      `${path} has store schema version ${STORE_SCHEMA_VERSION + 1}, written by a newer @algo-trading/store; this version reads up to ${STORE_SCHEMA_VERSION}: upgrade @algo-trading/store`,
    );
    // The refusal released the file: it can be opened again (and refused again).
    expect(isAlgoTradingError(await rejection(openStore({ path, lockTimeoutMs: 0 })), 'UNSUPPORTED')).toBe(true);
  });

  it('refuses a file that is not a DuckDB database, a corrupt store and a foreign DuckDB database', async () => {
    const dir = tempDir();
    const garbage = join(dir, 'garbage.duckdb');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 31) % 251)));
    const notDuckdb = await rejection(openStore({ path: garbage }));
    expect(isAlgoTradingError(notDuckdb, 'INVALID_DATA')).toBe(true);
    expect(notDuckdb.message).toBe(`${garbage} is not a DuckDB database file (or it is corrupt): use another path, or restore the file from a backup`);

    const truncated = join(dir, 'truncated.duckdb');
    const store = await openStore({ path: truncated });
    await store.importBars({ files: writeText(dir, 'SPY.csv', 'date,close\n2024-01-02,1\n2024-01-03,2\n') });
    await store.close();
    truncateSync(truncated, Math.floor(statSync(truncated).size / 3));
    const corrupt = await rejection(openStore({ path: truncated }));
    expect(isAlgoTradingError(corrupt)).toBe(true);
    expect(corrupt.message).toContain(truncated);

    const foreign = join(dir, 'foreign.duckdb');
    const instance = await DuckDBInstance.create(foreign);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE customers (id INTEGER)');
    connection.closeSync();
    instance.closeSync();
    const notStore = await rejection(openStore({ path: foreign }));
    expect(isAlgoTradingError(notStore, 'INVALID_DATA')).toBe(true);
    expect(notStore.message).toBe(`${foreign} is a DuckDB database but not an algo-trading store (it has no schema_version table; tables found: customers); use another path`);

    const missing = await rejection(openStore({ path: join(dir, 'missing.duckdb'), readOnly: true }));
    expect(isAlgoTradingError(missing, 'NOT_FOUND')).toBe(true);
  });

  it('validates its options', async () => {
    expect(isAlgoTradingError(await rejection(openStore({ path: '' })), 'INVALID_CONFIG')).toBe(true);
    expect(isAlgoTradingError(await rejection(openStore({ lockTimeoutMs: -1 })), 'INVALID_CONFIG')).toBe(true);
    expect(isAlgoTradingError(await rejection(openStore({ readonly: true } as never)), 'INVALID_CONFIG')).toBe(true);
  });
});

describe('one writer at a time', () => {
  it('a second open in the same process waits for the first to close, or fails naming the file', async () => {
    const dir = tempDir();
    const path = join(dir, 'store.duckdb');
    const first = await openStore({ path });
    const refused = await rejection(openStore({ path, lockTimeoutMs: 100 }));
    expect(isAlgoTradingError(refused, 'IO_ERROR')).toBe(true);
    expect(refused.message).toMatch(new RegExp(`^the store ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another openStore of this process and was not released within \\d+ ms`));
    const waiting = openStore({ path, lockTimeoutMs: 30_000 });
    setTimeout(() => void first.close(), 300);
    const second = await waiting;
    expect(second.closed).toBe(false);
    await second.close();
  });

  it('a second process waits for the lock: it fails after lockTimeoutMs naming the holder, or gets the store once released', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const path = join(dir, 'store.duckdb');
    await (await openStore({ path })).close();
    const holder = startFixture([path, 'hold', '4000']);
    await holder.waitFor('ready');
    const pid = holder.child.pid!;
    // The other process holds the file: a short wait fails with the holder's process id.
    const refused = await rejection(openStore({ path, lockTimeoutMs: 200 }));
    expect(isAlgoTradingError(refused, 'IO_ERROR')).toBe(true);
    expect(refused.message).toContain(`is in use by process ${pid} and was not released within`);
    expect(refused.details).toMatchObject({ reason: 'locked', holder: `process ${pid}` });
    // A long enough wait gets the store once the other process closes it, with its writes.
    const store = await openStore({ path, lockTimeoutMs: 120_000 });
    expect(holder.output()).toContain('closed');
    expect((await store.listRuns()).map((r) => r.id)).toEqual([`held-by-${pid}`]);
    await store.close();
    expect(await holder.exit).toBe(0);
  });

  it('two processes writing at once both succeed, one after the other', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const path = join(dir, 'store.duckdb');
    await (await openStore({ path })).close();
    const a = startFixture([path, 'write', 'a', '5']);
    const b = startFixture([path, 'write', 'b', '5']);
    const [codeA, codeB] = await Promise.all([a.exit, b.exit]);
    expect([codeA, codeB, a.output().trim(), b.output().trim()]).toEqual([0, 0, 'done', 'done']);
    const store = await openStore({ path, readOnly: true });
    const ids = (await store.listRuns()).map((r) => r.id).sort();
    expect(ids).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'b-0', 'b-1', 'b-2', 'b-3', 'b-4']);
    await store.close();
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });
});
