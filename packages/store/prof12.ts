import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create('/tmp/storexp/prof.duckdb');
const c = await inst.connect();
const names = ['totalReturn','cagr','sharpeRatio','maxDrawdown','tradeCount'].map(n => `'${n}'`).join(',');
const F = ['p.id','epoch_ms(p.created_at)','p.command','p.status','p.error','p.title','p.strategy','p.config_hash','p.data_hash','p.code_version','p.git_commit','p.folder','p.data_source',"array_to_string(p.symbols, ',')",'p.timeframe','epoch_ms(p.start_time)','epoch_ms(p.end_time)','p.bar_count','m.packed'].map(f => `coalesce(CAST(${f} AS VARCHAR), '')`).join(', ');
const PF = F.replace(/, coalesce\(CAST\(m\.packed AS VARCHAR\), ''\)/, '') + ', ' + [0,1,2,3,4].map(i => `coalesce(CAST(m.m${i} AS VARCHAR), '')`).join(', ');
const PIV = ['totalReturn','cagr','sharpeRatio','maxDrawdown','tradeCount'].map((n, i) => `max(value) FILTER (WHERE name = '${n}') AS m${i}`).join(', ');
const variants: Record<string, string> = {
  pivot: `SELECT string_agg(concat_ws(chr(31), ${PF}), chr(30) ORDER BY p.created_at DESC, p.id) FROM runs p LEFT JOIN (SELECT run_id, ${PIV} FROM run_metrics WHERE name IN (${names}) GROUP BY run_id) m ON m.run_id = p.id`,
  pivotnoorder: `SELECT string_agg(concat_ws(chr(31), ${PF}), chr(30)) FROM runs p LEFT JOIN (SELECT run_id, ${PIV} FROM run_metrics WHERE name IN (${names}) GROUP BY run_id) m ON m.run_id = p.id`,
  pivotonly: `SELECT run_id, ${PIV} FROM run_metrics WHERE name IN (${names}) GROUP BY run_id`,
  current: `WITH picked AS (SELECT * FROM runs ORDER BY created_at DESC, id), m AS (SELECT run_id, string_agg(name || chr(29) || coalesce(CAST(value AS VARCHAR), ''), chr(28)) AS packed FROM run_metrics WHERE name IN (${names}) AND run_id IN (SELECT id FROM picked) GROUP BY run_id) SELECT string_agg(concat_ws(chr(31), ${F}), chr(30) ORDER BY p.created_at DESC, p.id) FROM picked p LEFT JOIN m ON m.run_id = p.id`,
  nocte: `SELECT string_agg(concat_ws(chr(31), ${F}), chr(30) ORDER BY p.created_at DESC, p.id) FROM runs p LEFT JOIN (SELECT run_id, string_agg(name || chr(29) || coalesce(CAST(value AS VARCHAR), ''), chr(28)) AS packed FROM run_metrics WHERE name IN (${names}) GROUP BY run_id) m ON m.run_id = p.id`,
  metricsonly: `SELECT run_id, string_agg(name || chr(29) || coalesce(CAST(value AS VARCHAR), ''), chr(28)) AS packed FROM run_metrics WHERE name IN (${names}) GROUP BY run_id`,
  runsonly: `SELECT string_agg(concat_ws(chr(31), ${F.replace(/, coalesce\(CAST\(m\.packed AS VARCHAR\), ''\)/, '')}), chr(30) ORDER BY p.created_at DESC, p.id) FROM runs p`,
  scanonly: `SELECT count(*), max(length(id)), max(config_hash) FROM runs`,
  metricscan: `SELECT count(*) FROM run_metrics WHERE name IN (${names})`,
};
for (const [name, sql] of Object.entries(variants)) {
  const w: number[] = []; const cs: number[] = [];
  for (let k = 0; k < 7; k++) { const t = performance.now(); const u = process.cpuUsage(); await c.runAndReadAll(sql); const d = process.cpuUsage(u); w.push(performance.now() - t); cs.push((d.user + d.system) / 1000); }
  w.sort((a, b) => a - b); cs.sort((a, b) => a - b);
  console.log(name.padEnd(14), 'wall med', w[3]!.toFixed(0), 'min', w[0]!.toFixed(0), ' cpu med', cs[3]!.toFixed(0), 'min', cs[0]!.toFixed(0));
}
