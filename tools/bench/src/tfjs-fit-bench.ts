/**
 * Training-speed benchmark of `TfjsClassifier` (@algo-trading/strategies-tfjs). Run from the
 * repository root:
 *
 *   node --conditions=@algo-trading/source --import tsx tools/bench/src/tfjs-fit-bench.ts --peer
 *
 * Fits the dense classifier on 20,000 seeded rows x 20 standard-normal features for 10 epochs
 * (no validation split, no early stopping: every epoch runs) and predicts 20,000 fresh rows of the
 * same distribution. Labels carry a planted signal s(x) plus unit Gaussian noise:
 * y = 1 when s(x) + e > 0, e ~ N(0, 1), with
 * - `linear` (default task): s = x0 + 0.5 x1; the Bayes rule sign(s) is right with probability
 *   1/2 + asin(sqrt(1.25 / 2.25)) / pi = 0.7677;
 * - `interaction` (token `int`): s = x0 + 0.5 x1 + x2 x3, which a linear model cannot fit.
 * The Bayes rule's accuracy on the same test rows is printed next to the model's, so a faster
 * setting is judged by whether it still learns the signal.
 *
 * Each run is a fresh child process that does one fit (the first in that process, after the
 * backend is initialised; `--warm` fits 1 epoch on 1,000 rows first) and reports the fit's wall
 * time, its CPU time (user + system of the whole process during the fit) and the test accuracy.
 * Runs of the scenarios are interleaved, so that a change in the machine's load affects them
 * alike; the figures are the median over the runs with the min-max spread and the interquartile
 * range, and the load average before and after. Run r uses model seed 42 + r (the data are the
 * same in every run).
 *
 * A scenario is a list of tokens joined by `_` (`--scenarios b1024_lr0.002,b256_d0`):
 * `b<N>` batch size, `lr<x>` learning rate, `auto` both `'auto'` (the classifier picks them from
 * the number of training samples; without these tokens its defaults apply, which are `'auto'`),
 * `d<x>` dropout (0.1), `e<N>` epochs (10),
 * `r<N>` train on the first N rows only (20,000; the test rows stay 20,000),
 * `cpu` the JavaScript backend instead of wasm, `int` the interaction task, `defaults` the
 * classifier's own defaults for everything the scenario does not set (epochs, validation tail,
 * early stopping: what `new TfjsClassifier()` trains). Without `--scenarios` the lever matrix
 * below runs.
 *
 * Options: `--runs 5`, `--scenarios LIST`, `--warm`, `--json`, `--peer` (also fit scikit-learn's
 * `MLPClassifier((64, 32))` with its defaults (Adam, batch 200, learning rate 1e-3, L2 1e-4) for
 * the same 10 epochs on the same rows, single-threaded (`OMP_NUM_THREADS=1` and friends), in the
 * same interleaved rounds; needs `python3` with scikit-learn, e.g. Debian's `python3-sklearn`;
 * `--python PATH` picks the interpreter), `--probe-threads` (whether the wasm backend can run
 * multi-threaded in this Node: initialises it with the threads flag forced on, in a child).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRandom } from '@algo-trading/core';
import { selectBackend, TfjsClassifier, type TfjsClassifierOptions } from '@algo-trading/strategies-tfjs';
import { argument, machineLoad, quantile } from './process-runs';

const ROWS = 20_000;
const FEATURES = 20;
const TRAIN_SEED = 1;
const TEST_SEED = 2;

type Task = 'linear' | 'interaction';

const SIGNALS: Readonly<Record<Task, (row: Float64Array) => number>> = {
  linear: (x) => x[0]! + 0.5 * x[1]!,
  interaction: (x) => x[0]! + 0.5 * x[1]! + x[2]! * x[3]!,
};

/** Seeded rows, labels and the Bayes rule's prediction sign(s(x)) for each row. */
export function plantedData(task: Task, rows: number, seed: number): { X: Float64Array[]; y: Uint8Array; bayes: Uint8Array } {
  const rng = createSeededRandom(seed);
  const X: Float64Array[] = [];
  const y = new Uint8Array(rows);
  const bayes = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Float64Array(FEATURES);
    for (let j = 0; j < FEATURES; j++) row[j] = rng.normal();
    const s = SIGNALS[task](row);
    X.push(row);
    y[i] = s + rng.normal() > 0 ? 1 : 0;
    bayes[i] = s > 0 ? 1 : 0;
  }
  return { X, y, bayes };
}

function share(predicted: ArrayLike<number>, y: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) hits += predicted[i] === y[i] ? 1 : 0;
  return hits / y.length;
}

/** A parsed scenario. */
interface Scenario {
  readonly name: string;
  readonly task: Task;
  /** Training rows (the test rows stay 20,000). */
  readonly rows: number;
  readonly backend: 'wasm' | 'cpu';
  readonly options: TfjsClassifierOptions;
}

/** The bench's base: 10 epochs, every row trained on, no early stop. */
const BASE: TfjsClassifierOptions = { epochs: 10, validationSplit: 0, earlyStoppingPatience: 0 };

export function parseScenario(name: string): Scenario {
  let task: Task = 'linear';
  let rows = ROWS;
  let backend: 'wasm' | 'cpu' = 'wasm';
  let options: Record<string, unknown> = { ...BASE };
  const set: Record<string, unknown> = {};
  for (const token of name.split('_')) {
    const number = (prefix: string) => {
      const value = Number(token.slice(prefix.length));
      if (!Number.isFinite(value)) throw new Error(`scenario ${name}: bad number in ${token}`);
      return value;
    };
    if (token === 'int') task = 'interaction';
    else if (token === 'cpu') backend = 'cpu';
    else if (token === 'defaults') options = {};
    else if (token === 'auto') Object.assign(set, { batchSize: 'auto', learningRate: 'auto' });
    else if (token.startsWith('lr')) set['learningRate'] = number('lr');
    else if (token.startsWith('r')) rows = number('r');
    else if (token.startsWith('b')) set['batchSize'] = number('b');
    else if (token.startsWith('d')) set['dropout'] = number('d');
    else if (token.startsWith('e')) set['epochs'] = number('e');
    else throw new Error(`scenario ${name}: unknown token ${token}`);
  }
  if (!Number.isInteger(rows) || rows < 10 || rows > ROWS) throw new Error(`scenario ${name}: rows must be an integer in [10, ${ROWS}]`);
  return { name, task, rows, backend, options: { ...options, ...set } as TfjsClassifierOptions };
}

/** The lever matrix: batch size, learning rate scaled with it, dropout, backend, a harder task. */
const DEFAULT_SCENARIOS = [
  'b256_lr0.001',
  'b512_lr0.001',
  'b1024_lr0.001',
  'b2048_lr0.001',
  'b512_lr0.0014',
  'b1024_lr0.002',
  'b2048_lr0.0028',
  'b1024_lr0.004',
  'b2048_lr0.008',
  'b256_lr0.001_d0',
  'b1024_lr0.002_d0',
  'auto',
  'int_b256_lr0.001',
  'int_auto',
  'defaults',
  'defaults_int',
  'defaults_r2000',
  'defaults_int_r2000',
  'cpu_b256_lr0.001',
];

interface ChildResult {
  readonly fitMs: number;
  readonly cpuMs: number;
  readonly epochsRun: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly accuracy: number;
  readonly bayesAccuracy: number;
  readonly backend: string;
  readonly peakRssMb: number;
}

async function child(scenarioName: string, seed: number, warm: boolean): Promise<void> {
  const scenario = parseScenario(scenarioName);
  const all = plantedData(scenario.task, ROWS, TRAIN_SEED);
  const train = { X: all.X.slice(0, scenario.rows), y: all.y.slice(0, scenario.rows) };
  const test = plantedData(scenario.task, ROWS, TEST_SEED);
  const selection = await selectBackend({ preferred: scenario.backend });
  if (warm) {
    const warmup = new TfjsClassifier({ ...scenario.options, epochs: 1, seed });
    await warmup.fit(train.X.slice(0, 1000), train.y.slice(0, 1000));
    warmup.dispose();
  }
  const model = new TfjsClassifier({ ...scenario.options, seed });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const summary = await model.fit(train.X, train.y);
  const fitMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const p = await model.predictProba(test.X);
  model.dispose();
  const predicted = Uint8Array.from(p, (v) => (v > 0.5 ? 1 : 0));
  const result: ChildResult = {
    fitMs,
    cpuMs: (used.user + used.system) / 1000,
    epochsRun: summary.epochsRun,
    steps: summary.epochsRun * Math.ceil(summary.trainSamples / summary.batchSize),
    batchSize: summary.batchSize,
    learningRate: summary.learningRate,
    accuracy: share(predicted, test.y),
    bayesAccuracy: share(test.bayes, test.y),
    backend: selection.reason,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The peer: scikit-learn's MLPClassifier((64, 32)) with its defaults, 10 epochs, one thread. */
const SKLEARN_SCRIPT = `
import json, sys, time, resource, warnings
import numpy as np
from sklearn.neural_network import MLPClassifier
from sklearn.exceptions import ConvergenceWarning
warnings.simplefilter('ignore', ConvergenceWarning)
folder, rows, features, seed, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
load = lambda name, shape: np.fromfile(folder + '/' + name, dtype='<f8').reshape(shape)
X, y, Xt, yt, bayes = load('X.f64', (rows, features)), load('y.f64', (rows,)), load('Xt.f64', (rows, features)), load('yt.f64', (rows,)), load('bayes.f64', (rows,))
model = MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=epochs, random_state=seed)
cpu, start = time.process_time(), time.perf_counter()
model.fit(X, y)
fit_ms = (time.perf_counter() - start) * 1000
cpu_ms = (time.process_time() - cpu) * 1000
accuracy = float(np.mean(model.predict(Xt) == yt))
print(json.dumps({'fitMs': fit_ms, 'cpuMs': cpu_ms, 'epochsRun': model.n_iter_, 'steps': model.n_iter_ * int(np.ceil(rows / min(200, rows))), 'batchSize': min(200, rows), 'learningRate': model.learning_rate_init,
  'accuracy': accuracy, 'bayesAccuracy': float(np.mean(bayes == yt)), 'backend': 'scikit-learn ' + __import__('sklearn').__version__ + ', numpy ' + np.__version__,
  'peakRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', BLIS_NUM_THREADS: '1', NUMEXPR_NUM_THREADS: '1' };

function writePeerData(folder: string, task: Task): void {
  const train = plantedData(task, ROWS, TRAIN_SEED);
  const test = plantedData(task, ROWS, TEST_SEED);
  const flat = (rows: readonly Float64Array[]) => {
    const out = new Float64Array(rows.length * FEATURES);
    rows.forEach((row, i) => out.set(row, i * FEATURES));
    return out;
  };
  const write = (name: string, data: Float64Array) => writeFileSync(join(folder, name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  write('X.f64', flat(train.X));
  write('y.f64', Float64Array.from(train.y));
  write('Xt.f64', flat(test.X));
  write('yt.f64', Float64Array.from(test.y));
  write('bayes.f64', Float64Array.from(test.bayes));
}

/** Whether tfjs-backend-wasm runs multi-threaded here: forces its threads flag on and initialises it. */
async function probeThreads(): Promise<void> {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('@algo-trading/strategies-tfjs/package.json'));
  const tf = fromPackage('@tensorflow/tfjs-core') as {
    env(): { getAsync(flag: string): Promise<unknown>; set(flag: string, value: unknown): void };
    setBackend(name: string): Promise<boolean>;
  };
  const wasm = fromPackage('@tensorflow/tfjs-backend-wasm') as { setThreadsCount(n: number): void; getThreadsCount(): number; setWasmPaths(p: string): void };
  const detected = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  wasm.setWasmPaths(join(fromPackage.resolve('@tensorflow/tfjs-backend-wasm/package.json'), '..', 'dist') + '/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(2);
  let outcome: string;
  const warn = console.warn;
  const messages: string[] = [];
  console.warn = (...args: unknown[]) => void messages.push(args.map(String).join(' '));
  try {
    const ok = await tf.setBackend('wasm');
    outcome = ok ? `initialised with ${wasm.getThreadsCount()} thread(s)` : `initialisation failed: ${messages.map((m) => m.split('\n')[0]).join('; ')}`;
  } catch (error) {
    outcome = `initialisation failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    console.warn = warn;
  }
  process.stdout.write(`${JSON.stringify({ detectedMultithread: detected, simd, forcedTwoThreads: outcome })}\n`);
  process.exit(0);
}

interface Summary {
  readonly scenario: string;
  readonly rows: number;
  readonly options: TfjsClassifierOptions | string;
  readonly task: Task;
  readonly runs: number;
  readonly medianFitSeconds: number;
  readonly minFitSeconds: number;
  readonly maxFitSeconds: number;
  readonly iqrFitSeconds: number;
  readonly medianCpuSeconds: number;
  readonly medianMsPerStep: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly epochsRun: readonly number[];
  readonly medianAccuracy: number;
  readonly minAccuracy: number;
  readonly maxAccuracy: number;
  readonly bayesAccuracy: number;
  readonly backend: string;
  readonly medianPeakRssMb: number;
}

function summarize(scenario: string, rows: number, options: TfjsClassifierOptions | string, task: Task, results: readonly ChildResult[]): Summary {
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const fit = sorted(results.map((r) => r.fitMs / 1000));
  const accuracy = sorted(results.map((r) => r.accuracy));
  return {
    scenario,
    rows,
    options,
    task,
    runs: results.length,
    medianFitSeconds: quantile(fit, 0.5),
    minFitSeconds: fit[0]!,
    maxFitSeconds: fit.at(-1)!,
    iqrFitSeconds: quantile(fit, 0.75) - quantile(fit, 0.25),
    medianCpuSeconds: quantile(sorted(results.map((r) => r.cpuMs / 1000)), 0.5),
    medianMsPerStep: quantile(sorted(results.map((r) => r.fitMs / r.steps)), 0.5),
    steps: quantile(sorted(results.map((r) => r.steps)), 0.5),
    batchSize: results[0]!.batchSize,
    learningRate: results[0]!.learningRate,
    epochsRun: results.map((r) => r.epochsRun),
    medianAccuracy: quantile(accuracy, 0.5),
    minAccuracy: accuracy[0]!,
    maxAccuracy: accuracy.at(-1)!,
    bayesAccuracy: results[0]!.bayesAccuracy,
    backend: results[0]!.backend,
    medianPeakRssMb: quantile(sorted(results.map((r) => r.peakRssMb)), 0.5),
  };
}

function runChild(what: string, file: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildResult {
  const out = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 1 << 22, env: env ?? process.env });
  if (out.status !== 0) throw new Error(`${what} failed (${out.status ?? out.signal}): ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as ChildResult;
}

async function main(): Promise<void> {
  const childScenario = argument('child');
  const warm = process.argv.includes('--warm');
  if (childScenario !== undefined) return child(childScenario, Number(argument('seed') ?? 42), warm);
  if (process.argv.includes('--probe-threads-child')) return probeThreads();

  const runs = Number(argument('runs') ?? 5);
  const json = process.argv.includes('--json');
  const peer = process.argv.includes('--peer');
  const python = argument('python') ?? 'python3';
  const names = argument('scenarios')?.split(',') ?? DEFAULT_SCENARIOS;
  const scenarios = names.map(parseScenario);
  const script = fileURLToPath(import.meta.url);
  const nodeArgs = [...process.execArgv, script];
  const log = (line: string) => {
    if (!json) console.log(line);
  };

  const before = machineLoad();
  log(`TfjsClassifier fit benchmark: ${ROWS} rows x ${FEATURES} features, node ${process.version}; ${before} before`);
  let threads: unknown;
  if (process.argv.includes('--probe-threads')) {
    const out = spawnSync(process.execPath, [...nodeArgs, '--probe-threads-child'], { encoding: 'utf8' });
    threads = out.status === 0 ? JSON.parse(out.stdout.trim().split('\n').pop()!) : `probe failed: ${out.stderr}`;
    log(`wasm threads: ${JSON.stringify(threads)}`);
  }

  const peerTasks = peer ? [...new Set(scenarios.map((s) => s.task))] : [];
  const folder = peer ? mkdtempSync(join(tmpdir(), 'algo-trading-tfjs-bench-')) : undefined;
  const results = new Map<string, ChildResult[]>();
  try {
    for (const task of peerTasks) {
      const taskFolder = join(folder!, task);
      spawnSync('mkdir', ['-p', taskFolder]);
      writePeerData(taskFolder, task);
    }
    for (let round = 0; round < runs; round++) {
      const seed = 42 + round;
      for (const scenario of scenarios) {
        const result = runChild(scenario.name, process.execPath, [...nodeArgs, '--child', scenario.name, '--seed', String(seed), ...(warm ? ['--warm'] : [])]);
        results.set(scenario.name, [...(results.get(scenario.name) ?? []), result]);
      }
      for (const task of peerTasks) {
        const result = runChild(`scikit-learn peer (${python})`, python, ['-c', SKLEARN_SCRIPT, join(folder!, task), String(ROWS), String(FEATURES), String(seed), '10'], { ...process.env, ...ONE_THREAD });
        const key = `sklearn_${task}`;
        results.set(key, [...(results.get(key) ?? []), result]);
      }
    }
  } finally {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  }
  const after = machineLoad();

  const summaries: Summary[] = [
    ...scenarios.map((s) => summarize(s.name, s.rows, s.options, s.task, results.get(s.name)!)),
    ...peerTasks.map((task) => summarize(`sklearn_${task}`, ROWS, 'MLPClassifier((64, 32)), 10 epochs, one thread', task, results.get(`sklearn_${task}`)!)),
  ];
  if (json) {
    console.log(JSON.stringify({ node: process.version, rows: ROWS, features: FEATURES, loadBefore: before, loadAfter: after, threads, summaries }));
    return;
  }
  log(`backend: ${summaries[0]?.backend ?? '-'}`);
  const peers = new Map(peerTasks.map((task) => [task, summaries.find((s) => s.scenario === `sklearn_${task}`)!]));
  for (const s of summaries) {
    const peerSummary = peers.get(s.task);
    const ratio =
      peerSummary === undefined || s.scenario.startsWith('sklearn') || s.rows !== ROWS
        ? ''
        : `, ${(s.medianFitSeconds / peerSummary.medianFitSeconds).toFixed(1)}x the peer's time (CPU ${(s.medianCpuSeconds / peerSummary.medianCpuSeconds).toFixed(1)}x)`;
    const epochs = new Set(s.epochsRun).size === 1 ? `${s.epochsRun[0]} epochs` : `epochs ${s.epochsRun.join('/')}`;
    log(
      `${s.scenario.padEnd(20)} fit ${s.medianFitSeconds.toFixed(2)} s (${s.minFitSeconds.toFixed(2)}-${s.maxFitSeconds.toFixed(2)}, IQR ${s.iqrFitSeconds.toFixed(2)}), ` +
        `CPU ${s.medianCpuSeconds.toFixed(2)} s, ${s.medianMsPerStep.toFixed(2)} ms/step (${s.steps} steps of ${s.batchSize}, lr ${Number(s.learningRate.toPrecision(3))}, ${epochs})${ratio}; ` +
        `test accuracy ${s.medianAccuracy.toFixed(4)} (${s.minAccuracy.toFixed(4)}-${s.maxAccuracy.toFixed(4)}), Bayes ${s.bayesAccuracy.toFixed(4)} [${s.task}]`,
    );
  }
  log(`median of ${runs} runs each, interleaved; ${after} after`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
