import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run(`SET TimeZone='UTC'`);
async function q(sql: string) { try { const r = await c.runAndReadAll(sql); console.log(sql.slice(0, 90), JSON.stringify(r.getRowsJson())); } catch (e) { console.log('ERR', sql.slice(0,90), (e as Error).message.split('\n')[0]); } }
await q(`SELECT '2024-01-02T10:00:00Z'::TIMESTAMP, '2024-01-02T10:00:00+00:00'::TIMESTAMP`);
await q(`SELECT '2024-01-02T10:00:00+02:00'::TIMESTAMP`);
await q(`SELECT '2024-01-02T10:00:00.123456789Z'::TIMESTAMP`);
await q(`SELECT '2024-01-02'::TIMESTAMP, '2024-1-2'::TIMESTAMP`);
await q(`SELECT try_cast('01/02/2024' AS TIMESTAMPTZ), try_cast('2024-01-02 10:00 America/New_York' AS TIMESTAMPTZ)`);
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/storexp/mixedtz.csv', 'date,close\n2024-01-02T10:00:00Z,1\n2024-01-02T10:00:00+02:00,2\n');
await q(`FROM sniff_csv('/tmp/storexp/mixedtz.csv')`);
await q(`SELECT * FROM read_csv('/tmp/storexp/mixedtz.csv', columns={'date':'TIMESTAMP','close':'DOUBLE'}, header=true, auto_detect=false)`);
await q(`SELECT * FROM read_csv('/tmp/storexp/mixedtz.csv', columns={'date':'TIMESTAMPTZ','close':'DOUBLE'}, header=true, auto_detect=false)`);
await q(`SELECT DateFormat, TimestampFormat, Columns FROM sniff_csv('/tmp/storexp/us.csv', sample_size=1024)`);
await q(`SELECT DateFormat, TimestampFormat, Columns FROM sniff_csv('/tmp/storexp/bars1m.csv', sample_size=1024)`);
await q(`SELECT DateFormat, TimestampFormat, Columns FROM sniff_csv('/tmp/storexp/dt.csv', sample_size=1024)`);
