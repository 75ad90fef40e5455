import { openStore } from './src/index';
import { DuckDBConnection } from '@duckdb/node-api';
const orig = DuckDBConnection.prototype.runAndReadAll;
(DuckDBConnection.prototype as any).runAndReadAll = async function (sql: string, ...rest: unknown[]) { const t = performance.now(); const u = process.cpuUsage(); try { return await (orig as any).call(this, sql, ...rest); } finally { const d = process.cpuUsage(u); console.log(`${(performance.now() - t).toFixed(0).padStart(6)} wall ${((d.user+d.system)/1000).toFixed(0).padStart(6)} cpu  ${sql.replace(/\s+/g, ' ').slice(0, 100)}`); } };
const store = await openStore({ path: '/tmp/storexp/prof.duckdb' });
for (let k = 0; k < 5; k++) { const t = performance.now(); const u = process.cpuUsage(); const r = await store.listRuns(); const d = process.cpuUsage(u); console.log('listRuns', r.length, (performance.now() - t).toFixed(0), 'cpu', ((d.user+d.system)/1000).toFixed(0)); }
await store.close();
