import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run(`SET TimeZone='UTC'`);
async function q(sql: string) { try { const r = await c.runAndReadAll(sql); console.log(sql.slice(0, 100), JSON.stringify(r.getRowsJson())); } catch (e) { console.log('ERR', sql.slice(0,90), (e as Error).message.split('\n')[0]); } }
for (const t of ['2024-01-02 10:00 EST', '2024-01-02 10:00 UTC', '2024-01-02 10:00:00 America/New_York', '2024-01-02T10:00:00.5Z', '2024-01-02T10:00:00z', '2024-01-02 10:00:00+0200', '2024-01-02T10', '2024-01-02T10:00:00 ', ' 2024-01-02', '2024-01-02garbage', '20240102', '2024-01-02T25:00', '2024-02-30', 'infinity', '-infinity', 'epoch', '1704153600'])
  await q(`SELECT '${t}' AS t, TRY_CAST('${t}' AS TIMESTAMP) AS ts, TRY_CAST('${t}' AS TIMESTAMPTZ) AS tz`);
