import { openStore } from './src/index';
import { rmSync } from 'node:fs';
import { DuckDBConnection } from '@duckdb/node-api';
const orig = { run: DuckDBConnection.prototype.run, runAndReadAll: DuckDBConnection.prototype.runAndReadAll, stream: DuckDBConnection.prototype.stream };
for (const name of ['run', 'runAndReadAll'] as const) {
  (DuckDBConnection.prototype as any)[name] = async function (sql: string, ...rest: unknown[]) { const t = performance.now(); const u = process.cpuUsage(); try { return await (orig as any)[name].call(this, sql, ...rest); } finally { const d = process.cpuUsage(u); const ms = performance.now() - t; if (ms > 30) console.log(`${ms.toFixed(0).padStart(6)} wall ${((d.user+d.system)/1000).toFixed(0).padStart(6)} cpu  ${sql.replace(/\s+/g, ' ').slice(0, 110)}`); } };
}
const path = '/tmp/storexp/prof10.duckdb';
rmSync(path, { force: true });
const store = await openStore({ path });
for (let k = 0; k < 2; k++) {
let t = performance.now();
await store.importBars({ files: '/tmp/storexp/bars1m.csv', symbol: 'SYN', timeframe: '1m' });
console.log('import total', (performance.now() - t).toFixed(0));
}
let t = performance.now();
for (let k = 0; k < 3; k++) { t = performance.now(); await store.loadBars({ symbols: 'SYN' }); console.log('load total', (performance.now() - t).toFixed(0)); }
await store.close();
