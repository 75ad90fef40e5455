import { loadDuckDB } from './src/duckdb';
import { DuckDBInstance } from '@duckdb/node-api';
const { bindings } = await loadDuckDB();
const inst = await DuckDBInstance.create('/tmp/storexp/prof4.duckdb');
const c = await inst.connect();
const q = `SELECT CAST(epoch_us(time) AS DOUBLE) / 1000 AS time, open, high, low, close, volume FROM bar_data WHERE series_id = 1`;
async function cpu(label: string, f: () => Promise<unknown>) { const w: number[] = []; const cs: number[] = []; for (let k = 0; k < 7; k++) { const t = performance.now(); const u = process.cpuUsage(); await f(); const d = process.cpuUsage(u); w.push(performance.now() - t); cs.push((d.user + d.system) / 1000); } w.sort((a,b)=>a-b); cs.sort((a,b)=>a-b); console.log(label.padEnd(34), 'wall med', w[3]!.toFixed(0), 'min', w[0]!.toFixed(0), 'cpu med', cs[3]!.toFixed(0), 'min', cs[0]!.toFixed(0)); }
async function drain(raw: unknown, rowCount: number) {
  const out = Array.from({ length: 6 }, () => new Float64Array(rowCount)); let pos = 0;
  for (;;) { const ch = await bindings.fetch_chunk(raw as never); if (!ch) break; const m = bindings.data_chunk_get_size(ch); if (m === 0) break;
    for (let k = 0; k < 6; k++) { const b = bindings.vector_get_data(bindings.data_chunk_get_vector(ch, k), m * 8); out[k]!.set(new Float64Array(b.buffer, b.byteOffset, m), pos); } pos += m; }
  return pos;
}
for (const threads of [2, 1]) {
  await c.run(`SET threads = ${threads}`);
  await cpu(`t${threads} run only`, async () => (await c.run(q)).rowCount);
  await cpu(`t${threads} run ordered only`, async () => (await c.run(q + ' ORDER BY time')).rowCount);
  await cpu(`t${threads} run + drain`, async () => { const r = await c.run(q); return drain((r as any).result, r.rowCount); });
  await cpu(`t${threads} stream + drain`, async () => { const r = await c.stream(q); return drain((r as any).result, 1000000); });
}
