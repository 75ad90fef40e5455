import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { appendDoubleColumns, appendRows, loadDuckDB, readDoubleColumns, readTextRows, sqlIdentifier, sqlString, textNumber } from './duckdb';

describe('SQL quoting', () => {
  it('doubles quotes', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlIdentifier('Adj "Close"')).toBe('"Adj ""Close"""');
  });
});

describe('columnar transfers', () => {
  it('append and read Float64Array columns bit for bit across chunk boundaries', async () => {
    const modules = await loadDuckDB();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const n = 5_000; // more than two chunks of 2,048
    const a = Float64Array.from({ length: n }, (_, i) => i / 3 - 1e-300 * i);
    const b = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -0 : Math.sqrt(i) * 1e10));
    await connection.run('CREATE TEMP TABLE t (a DOUBLE, b DOUBLE)');
    await appendDoubleColumns(modules, connection, { name: 't', catalog: 'temp' }, [a, b]);
    const [ra, rb] = await readDoubleColumns(modules, connection, 'SELECT a, b FROM t', n);
    expect(new Uint8Array(ra!.buffer)).toEqual(new Uint8Array(a.buffer));
    expect(new Uint8Array(rb!.buffer)).toEqual(new Uint8Array(b.buffer));
    await expect(readDoubleColumns(modules, connection, 'SELECT a, b FROM t', n + 1)).rejects.toThrow('a columnar read returned 5000 rows but 5001 were counted');
    await expect(readDoubleColumns(modules, connection, 'SELECT CAST(a AS INTEGER) FROM t', n)).rejects.toThrow('expected DOUBLE');
  });

  it('appends rows and reads them back as text, numbers exactly', async () => {
    const modules = await loadDuckDB();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const values = [0.30000000000000004, 1 / 3, 5e-324, -1e300, NaN, Infinity, -Infinity];
    await appendRows(
      modules,
      connection,
      'r',
      [
        ['k', 'VARCHAR'],
        ['v', 'DOUBLE'],
        ['l', 'VARCHAR[]'],
      ],
      values.map((v, i) => [`row ${i}`, v, i === 0 ? null : ['A', 'B']]),
    );
    const rows = (await readTextRows(connection, { fields: ['k', 'v', "array_to_string(l, ',')"], from: 'r' })).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(rows.map((r) => r[0])).toEqual(values.map((_, i) => `row ${i}`));
    expect(rows.map((r) => textNumber(r[1]))).toEqual(values);
    expect(rows.map((r) => r[2])).toEqual(['', 'A,B', 'A,B', 'A,B', 'A,B', 'A,B', 'A,B']);
    expect(await readTextRows(connection, { fields: ['k'], from: 'r WHERE false' })).toEqual([]);
    expect(textNumber('')).toBeNull();
  });
});
