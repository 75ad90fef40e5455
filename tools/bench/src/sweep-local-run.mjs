// One local sweep for sweep-bench.ts, in a process of its own: plain Node running the built
// package (dist/), as a user's program does. A bench process started with `--import tsx` would
// pass that loader on to every pool thread (threads inherit the process's Node options), which
// users running the built package do not pay. Arguments: the spec as JSON, the thread count.
// Prints one JSON line: wall and CPU time (every thread of the process), rows, completeness,
// errors, indicator computations.
import { runSweep } from '@algo-trading/sweep';

const [specJson, workers] = process.argv.slice(2);
const cpu = process.cpuUsage();
const start = performance.now();
const result = await runSweep({ spec: JSON.parse(specJson), workers: Number(workers) });
const wallMs = performance.now() - start;
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${JSON.stringify({
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    rows: result.rows.length,
    complete: result.complete,
    errors: result.summary.errors,
    cacheMisses: result.stats.indicatorCache.misses,
  })}\n`,
);
