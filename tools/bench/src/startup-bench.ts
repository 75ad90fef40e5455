/**
 * Startup benchmark of the built `algo-trading` binary. Run from the repository root after a build
 * (`pnpm build`):
 *
 *   node --import tsx tools/bench/src/startup-bench.ts
 *
 * Measures, interleaved: `node -e 0` (the floor: Node's own startup on this machine),
 * `algo-trading --version` and `algo-trading --help`, each run as its own process. Reports the
 * median wall time with its spread, the time above the floor, the files each opens (strace), and
 * the machine's load before and after.
 *
 * Options: `--runs N` (default 21), `--warmup N` (3), `--json`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argument, describeTimes, filesOpened, machineLoad, measureInterleaved, type Command } from './process-runs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(root, 'apps/cli/dist/cli.js');
if (!existsSync(cli)) throw new Error(`${cli} does not exist: run pnpm build first`);

const runs = Number(argument('runs') ?? 21);
const warmup = Number(argument('warmup') ?? 3);
const commands: Command[] = [
  { name: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
  { name: 'algo-trading --version', file: process.execPath, args: [cli, '--version'] },
  { name: 'algo-trading --help', file: process.execPath, args: [cli, '--help'] },
];

const before = machineLoad();
const summaries = measureInterleaved(commands, { runs, warmup });
const after = machineLoad();
const floor = summaries[0]!.medianMs;
const rows = summaries.map((s, k) => ({ ...s, aboveFloorMs: s.medianMs - floor, filesOpened: filesOpened(commands[k]!) }));

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ node: process.version, loadBefore: before, loadAfter: after, results: rows }));
} else {
  console.log(`startup benchmark, node ${process.version}; ${before} before, ${after} after`);
  for (const row of rows) {
    const files = row.filesOpened === undefined ? '' : `, ${row.filesOpened} files opened`;
    console.log(`${row.name.padEnd(24)} ${describeTimes(row)}, ${row.aboveFloorMs.toFixed(0)} ms above node -e 0${files}`);
  }
}
