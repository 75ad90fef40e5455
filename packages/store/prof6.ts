import { loadDuckDB } from './src/duckdb';
import { DuckDBInstance } from '@duckdb/node-api';
const { bindings } = await loadDuckDB();
const inst = await DuckDBInstance.create('/tmp/storexp/prof4.duckdb');
const c = await inst.connect();
const q = `SELECT CAST(epoch_us(time) AS DOUBLE) / 1000 AS time, open, high, low, close, volume FROM bar_data WHERE series_id = 1`;
async function cpu(label: string, f: () => Promise<unknown>) { for (let k = 0; k < 4; k++) { const t = performance.now(); const u = process.cpuUsage(); const r = await f(); const d = process.cpuUsage(u); console.log(label.padEnd(34), 'wall', (performance.now() - t).toFixed(0).padStart(5), 'cpu', ((d.user + d.system) / 1000).toFixed(0).padStart(5), r); } }
async function drain(raw: unknown, rowCount: number) {
  const out = Array.from({ length: 6 }, () => new Float64Array(rowCount)); let pos = 0;
  for (;;) { const ch = await bindings.fetch_chunk(raw as never); if (!ch) break; const m = bindings.data_chunk_get_size(ch); if (m === 0) break;
    for (let k = 0; k < 6; k++) { const b = bindings.vector_get_data(bindings.data_chunk_get_vector(ch, k), m * 8); out[k]!.set(new Float64Array(b.buffer, b.byteOffset, m), pos); } pos += m; }
  return pos;
}
await cpu('materialized + fetch_chunk', async () => { const r = await c.run(q); return drain((r as any).result, r.rowCount); });
await cpu('materialized ordered + fetch_chunk', async () => { const r = await c.run(q + ' ORDER BY time'); return drain((r as any).result, r.rowCount); });
await cpu('stream + fetch_chunk', async () => { const r = await c.stream(q); return drain((r as any).result, 1_000_000); });
