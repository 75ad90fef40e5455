/**
 * Engine throughput and memory benchmark. Run from the repository root:
 *
 *   node --conditions=@algo-trading/source --import tsx tools/bench/src/engine-bench.ts
 *
 * Each scenario runs in its own child process (so its peak RSS is its own): a seeded synthetic
 * series of 1,000,000 one-minute bars, a few warm-up runs, then timed runs of `runBacktest`.
 * Reported: bars per second of the whole call (loop + results + metrics), of the loop alone
 * (the metrics computed separately on the same curve are subtracted), fills, and peak RSS after
 * the data and one run (the footprint of a 1,000,000-bar backtest, tsx included) and after all runs.
 *
 * Scenarios:
 * - `peer`: the peer-compatible configuration (next-open fills, all-in whole units, commission on
 *   both legs, no slippage, no risk manager) trading SMA(10)/SMA(20) crossover signals;
 * - `full`: the full stack: fixed-fractional sizing, the risk manager with every rule on (hard,
 *   trailing, take-profit and time stops, drawdown zones and kill switch, heat, daily loss limit,
 *   confidence threshold), confidences, slippage and commission;
 * - `ledger` (all-in orders, stops and costs of the full stack, no sizer, no risk manager) and
 *   `sizing` (plus fixed-fractional sizing against 3% stops): the full stack's layers added one at
 *   a time, so full - sizing is the risk manager's cost and sizing - ledger the sizer's.
 *
 * The series is a seeded mean-reverting random walk of one-minute bars (0.2% volatility a bar)
 * with some momentum (return autocorrelation 0.3), so the crossover strategy keeps trading over
 * the whole series instead of ruining the account or halting the risk manager early, and the
 * costs are small (0.5 bp commission, 0.5 bp slippage; the peer run 1 bp commission, no slippage).
 *
 * Options: `--bars N` (default 1000000), `--runs N` (timed runs, default 7), `--warmup N` (3),
 * `--scenario NAME` (run one scenario in this process), `--json` (one JSON line per scenario).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BacktestEngine, type BacktestEngineOptions, type SignalsBacktestInput } from '@algo-trading/backtesting';
import { createSeededRandom, type BarSeries } from '@algo-trading/core';
import { computeMetrics } from '@algo-trading/metrics';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { smaCrossoverSignals, syntheticBars } from './synthetic';

const SCENARIOS = ['peer', 'full', 'ledger', 'sizing'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface ScenarioResult {
  readonly scenario: Scenario;
  readonly bars: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly bestMs: number;
  readonly barsPerSecond: number;
  readonly bestBarsPerSecond: number;
  readonly metricsMs: number;
  readonly loopBarsPerSecond: number;
  readonly fills: number;
  readonly rejections: number;
  readonly finalEquity: number;
  /** Peak RSS of the process after generating the data and one run (the footprint of a backtest). */
  readonly singleRunRssMb: number;
  /** Peak RSS after every warm-up and timed run (garbage of earlier runs included). */
  readonly peakRssMb: number;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const BARS = Number(argument('bars') ?? 1_000_000);
const RUNS = Number(argument('runs') ?? 7);
const WARMUP = Number(argument('warmup') ?? 3);
const INITIAL_CAPITAL = 1_000_000;

/** Confidences in [0.4, 1): some below the risk manager's 0.55 threshold. */
function syntheticConfidences(length: number, seed: number): Float64Array {
  const rng = createSeededRandom(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = 0.4 + 0.6 * rng.next();
  return out;
}

/** Stop levels 3% beyond the close (the risk manager's default) for the layers without it. */
function stopLevels(data: BarSeries, signals: Int8Array): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = signals[i] === -1 ? data.close[i]! * 1.03 : data.close[i]! * 0.97;
  return out;
}

function setup(scenario: Scenario, data: BarSeries, signals: Int8Array): { options: BacktestEngineOptions; input: SignalsBacktestInput } {
  const confidences = syntheticConfidences(data.length, 7);
  const costs = { commissionPct: 0.00005, slippageBps: 0.5 };
  switch (scenario) {
    case 'peer':
      return { options: { initialCapital: INITIAL_CAPITAL, commissionPct: 0.0001, slippageBps: 0 }, input: { data, signals } };
    case 'full':
      return {
        options: {
          initialCapital: INITIAL_CAPITAL,
          positionSizer: new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }),
          // Every rule on with the product defaults (stops 3% / trailing 2% / target 5%, zones and
          // kill switch, heat 3%, daily loss 3%, confidence 0.55), except the time stop: 30 days
          // never fires on minute bars held for minutes, so it is 1 day here.
          riskManager: new RiskManager({ timeStopDays: 1 }),
          ...costs,
        },
        input: { data, signals, confidences },
      };
    case 'ledger':
      return { options: { initialCapital: INITIAL_CAPITAL, ...costs }, input: { data, signals, stopLosses: stopLevels(data, signals) } };
    case 'sizing':
      return {
        options: {
          initialCapital: INITIAL_CAPITAL,
          positionSizer: new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }),
          ...costs,
        },
        input: { data, signals, confidences, stopLosses: stopLevels(data, signals) },
      };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const data = syntheticBars({ length: BARS, seed: 42, intervalMs: 60_000, volatility: 0.002, momentum: 0.3 });
  const signals = smaCrossoverSignals(data.close, 10, 20);
  const { options, input } = setup(scenario, data, signals);
  const engine = new BacktestEngine(options);
  const times: number[] = [];
  let results = await engine.runBacktest(input);
  const singleRunRssMb = process.resourceUsage().maxRSS / 1024;
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const start = performance.now();
    results = await engine.runBacktest(input);
    const elapsed = performance.now() - start;
    if (r >= WARMUP) times.push(elapsed);
  }
  // The metrics' share of a call, measured on the same curve and trades.
  const curve = engine.getEquityCurve();
  const metricTimes: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    computeMetrics({ equity: curve.equity, times: curve.time, trades: engine.getTrades(), initialValue: INITIAL_CAPITAL });
    metricTimes.push(performance.now() - start);
  }
  const medianMs = median(times);
  const bestMs = Math.min(...times);
  const metricsMs = median(metricTimes);
  return {
    scenario,
    bars: BARS,
    runs: RUNS,
    medianMs,
    bestMs,
    barsPerSecond: (BARS / medianMs) * 1000,
    bestBarsPerSecond: (BARS / bestMs) * 1000,
    metricsMs,
    loopBarsPerSecond: (BARS / Math.max(medianMs - metricsMs, 1e-3)) * 1000,
    fills: results.fillCount,
    rejections: results.rejectionCount,
    finalEquity: results.finalEquity,
    singleRunRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const millions = (x: number) => `${(x / 1e6).toFixed(1)}M`;

function report(r: ScenarioResult): string {
  return (
    `${r.scenario.padEnd(7)} ${millions(r.barsPerSecond).padStart(7)} bars/s (best ${millions(r.bestBarsPerSecond)}, ` +
    `loop without metrics ${millions(r.loopBarsPerSecond)}), median ${r.medianMs.toFixed(1)} ms, metrics ${r.metricsMs.toFixed(1)} ms, ` +
    `${r.fills} fills, ${r.rejections} rejections, peak RSS ${r.singleRunRssMb.toFixed(0)} MB after one run ` +
    `(${r.peakRssMb.toFixed(0)} MB after all runs)`
  );
}

async function main(): Promise<void> {
  const only = argument('scenario') as Scenario | undefined;
  const json = process.argv.includes('--json');
  if (only !== undefined) {
    if (!SCENARIOS.includes(only)) throw new Error(`unknown scenario ${only}; one of ${SCENARIOS.join(', ')}`);
    const result = await runScenario(only);
    console.log(json ? JSON.stringify(result) : report(result));
    return;
  }
  console.log(`engine benchmark: ${BARS.toLocaleString('en-US')} bars, ${WARMUP} warm-up + ${RUNS} timed runs per scenario, node ${process.version}`);
  const script = fileURLToPath(import.meta.url);
  for (const scenario of SCENARIOS) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, script, '--scenario', scenario, '--json', '--bars', String(BARS), '--runs', String(RUNS), '--warmup', String(WARMUP)],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) {
      console.error(child.stderr);
      throw new Error(`scenario ${scenario} failed with status ${child.status}`);
    }
    const line = child.stdout.trim().split('\n').at(-1)!;
    const result = JSON.parse(line) as ScenarioResult;
    console.log(json ? line : report(result));
  }
  console.log('targets: peer >= 20M bars/s, full >= 10M bars/s, peak RSS < 250 MB');
}

await main();
