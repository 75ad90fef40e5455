import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const r = await c.runAndReadAll(`SELECT count(*) FILTER (WHERE CAST(CAST(x AS VARCHAR) AS DOUBLE) <> x) FROM (SELECT (random() - 0.5) * pow(10, (random() * 40 - 20)) AS x FROM range(1000000))`);
console.log('sql roundtrip failures', r.getRowsJS());
const r2 = await c.runAndReadAll(`SELECT CAST(x AS VARCHAR), x FROM (SELECT (random() - 0.5) * pow(10, (random() * 600 - 300)) AS x FROM range(200000))`);
let bad = 0; for (const [t, x] of r2.getRowsJS() as [string, number][]) if (Number(t) !== x) { if (bad < 3) console.log(t, x); bad++; }
console.log('js parse failures', bad);
console.log((await c.runAndReadAll(`SELECT CAST('NaN'::DOUBLE AS VARCHAR), CAST('inf'::DOUBLE AS VARCHAR), CAST('-inf'::DOUBLE AS VARCHAR), CAST(-0.0::DOUBLE AS VARCHAR), CAST(5e-324 AS VARCHAR), CAST(1e21::DOUBLE AS VARCHAR), CAST(123456789012::BIGINT AS VARCHAR)`)).getRowsJS());
