import { loadDuckDB } from './src/duckdb';
import { DuckDBInstance } from '@duckdb/node-api';
const { bindings } = await loadDuckDB();
const inst = await DuckDBInstance.create('/tmp/storexp/prof4.duckdb');
const c = await inst.connect();
async function cpu(label: string, f: () => Promise<unknown>) { for (let k = 0; k < 4; k++) { const t = performance.now(); const u = process.cpuUsage(); const r = await f(); const d = process.cpuUsage(u); console.log(label.padEnd(34), 'wall', (performance.now() - t).toFixed(0).padStart(5), 'cpu', ((d.user + d.system) / 1000).toFixed(0).padStart(5), r); } }
async function structList(sql: string) {
  const r = await c.run(sql);
  const raw = (r as any).result;
  const ch = await bindings.fetch_chunk(raw);
  const vec = bindings.data_chunk_get_vector(ch!, 0);
  const size = bindings.list_vector_get_size(vec);
  const child = bindings.list_vector_get_child(vec);
  const out = [];
  for (let k = 0; k < 6; k++) { const v = bindings.struct_vector_get_child(child, k); const b = bindings.vector_get_data(v, size * 8); out.push(new Float64Array(b.buffer, b.byteOffset, size).slice()); }
  return size + ' ' + out[0]![1];
}
await cpu('list struct ordered', () => structList(`SELECT list({t: CAST(epoch_us(time) AS DOUBLE) / 1000, o: open, h: high, l: low, c: close, v: volume} ORDER BY time) FROM bar_data WHERE series_id = 1`));
await cpu('list struct unordered', () => structList(`SELECT list({t: CAST(epoch_us(time) AS DOUBLE) / 1000, o: open, h: high, l: low, c: close, v: volume}) FROM bar_data WHERE series_id = 1`));
