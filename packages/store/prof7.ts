import { loadDuckDB } from './src/duckdb';
import { DuckDBInstance } from '@duckdb/node-api';
const { bindings } = await loadDuckDB();
const inst = await DuckDBInstance.create('/tmp/storexp/prof4.duckdb');
const c = await inst.connect();
const q = `SELECT CAST(epoch_us(time) AS DOUBLE) / 1000 AS time, open, high, low, close, volume FROM bar_data WHERE series_id = 1`;
async function cpu(label: string, f: () => Promise<unknown>) { for (let k = 0; k < 4; k++) { const t = performance.now(); const u = process.cpuUsage(); const r = await f(); const d = process.cpuUsage(u); console.log(label.padEnd(34), 'wall', (performance.now() - t).toFixed(0).padStart(5), 'cpu', ((d.user + d.system) / 1000).toFixed(0).padStart(5), r); } }
await cpu('run only', async () => { const r = await c.run(q); return r.rowCount; });
await cpu('run + fetch only', async () => { const r = await c.run(q); const raw = (r as any).result; let n = 0; for (;;) { const ch = await bindings.fetch_chunk(raw); if (!ch) break; const m = bindings.data_chunk_get_size(ch); if (m === 0) break; n += m; } return n; });
await cpu('run + fetch + get_data', async () => { const r = await c.run(q); const raw = (r as any).result; let n = 0; for (;;) { const ch = await bindings.fetch_chunk(raw); if (!ch) break; const m = bindings.data_chunk_get_size(ch); if (m === 0) break; for (let k = 0; k < 6; k++) bindings.vector_get_data(bindings.data_chunk_get_vector(ch, k), m * 8); n += m; } return n; });
