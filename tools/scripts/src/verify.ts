/**
 * `pnpm verify`: the whole quality gate: the build and exports check beside the type-check, lint
 * and module boundaries, then every vitest project. Ends with one line `N passed, N failed[, N skipped]`
 * summing every test; a failed step before the tests counts as one failure, so CI can never print
 * "0 failed" over a broken build. Exit code 0 only when nothing failed. Each step's duration is
 * printed, and a summary of them at the end.
 *
 * Incremental and not repeated: the build goes through the Nx cache; the type-check is one
 * `tsc -b` over the project references of the root tsconfig.json, which checks each project once
 * (a dependent reads its dependencies' declarations instead of checking their sources again) and
 * skips projects unchanged since the last run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const resultsFile = join(root, '.vitest-results.json');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' };

interface Step {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

const bin = (name: string) => join(root, 'node_modules/.bin', name);
/**
 * The build and the checks in two lanes that run side by side. Only the exports check reads the
 * build's output; the type-check, lint and the module boundaries read sources (lint is not
 * type-aware). The build is a chain of packages, each waiting for its dependencies, so a core is
 * often idle during it: the other lane fills it. On two cores this took 51 s off the gate (build
 * 94 s, then the checks 51 s, one after the other, before).
 */
const lanes: Step[][] = [
  [
    { name: 'build', command: bin('nx'), args: ['run-many', '-t', 'build', '--outputStyle=stream'] },
    { name: 'exports', command: bin('tsx'), args: ['tools/scripts/src/check-exports.ts'] },
  ],
  [
    { name: 'tsconfig references', command: bin('tsx'), args: ['tools/scripts/src/check-tsconfig-references.ts'] },
    { name: 'typecheck', command: bin('tsc'), args: ['-b', 'tsconfig.json'] },
    { name: 'lint', command: bin('eslint'), args: ['.', '--max-warnings=0'] },
    { name: 'module boundaries', command: bin('tsx'), args: ['tools/scripts/src/check-boundaries.ts'] },
  ],
];

const failedSteps: string[] = [];
const durations: string[] = [];
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);

function record(step: Step, start: number, status: number | null, signal: NodeJS.Signals | null): void {
  durations.push(`${step.name} ${seconds(start)} s`);
  if (status !== 0) {
    failedSteps.push(step.name);
    console.log(`=== ${step.name} FAILED (exit ${status ?? signal}) ===`);
  }
}

/** Runs a step with its output buffered, and prints the output in one block when it ends. */
function runBuffered(step: Step): Promise<void> {
  const start = performance.now();
  const child = spawn(step.command, step.args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((done) => {
    child.on('close', (status, signal) => {
      console.log(`\n=== ${step.name} ===`);
      process.stdout.write(Buffer.concat(output));
      record(step, start, status, signal);
      done();
    });
    child.on('error', (error) => {
      output.push(Buffer.from(`${error.message}\n`));
    });
  });
}

await Promise.all(
  lanes.map(async (lane) => {
    for (const step of lane) await runBuffered(step);
  }),
);

console.log('\n=== tests ===');
rmSync(resultsFile, { force: true });
const testsStart = performance.now();
const tests = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`],
  { cwd: root, stdio: 'inherit', env },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(resultsFile)) {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { name: string; status: string; assertionResults: unknown[]; message?: string }[];
  };
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  // A test file that fails to load has no test results of its own: count it as a failure.
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.length === 0) {
      failed += 1;
      console.log(`test file failed to run: ${file.name}`);
    }
  }
} else {
  failedSteps.push('tests (no results file)');
}
if (tests.status !== 0 && failed === 0) failedSteps.push(`tests (vitest exit ${tests.status ?? tests.signal})`);

durations.push(`tests ${seconds(testsStart)} s`);
console.log(`\nsteps: ${durations.join(', ')}`);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(', ')}`);
failed += failedSteps.length;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed === 0 ? 0 : 1;
