/**
 * Engine throughput and memory benchmark. Run from the repository root:
 *
 *   pnpm bench:engine
 *   node --conditions=@algo-trading/source --import tsx tools/bench/src/engine-bench.ts [options]
 *
 * Each scenario runs in its own child process (so its peak RSS is its own): a seeded synthetic
 * series of one-minute bars (1,000,000 by default), a few warm-up runs, then timed runs of the
 * whole `runBacktest` / `run` call (loop, results, metrics). Reported per scenario: bars per
 * second from the median wall time, the spread (fastest and slowest run), bars per second from
 * the median CPU time of the process (user + system: less sensitive to other processes on a
 * shared machine), the metrics' share, the median minor page faults of a run (fresh memory
 * touched; on a VM that returns freed pages to its host each costs about 20 us), fills, orders,
 * refusals, and peak RSS after the data and one run (the footprint of one backtest, tsx
 * included) and after all runs. The machine's load average is printed before and after.
 *
 * Scenarios:
 * - `peer`: the peer-compatible configuration (next-open fills, all-in whole units, commission on
 *   both legs, no slippage, no risk manager) trading SMA(10)/SMA(20) crossover signals;
 * - `full`: fixed-fractional sizing and the risk manager with every rule on (hard, trailing,
 *   take-profit and time stops resting as orders, drawdown zones and kill switch, heat, daily
 *   loss limit, confidence threshold), confidences, slippage and commission;
 * - `bracket`: a strategy callback that enters with a limit order (good for 10 bars) carrying a
 *   bracket (a stop-loss and a take-profit resting for the whole position), fixed-fractional sizing;
 * - `ledger` (all-in orders with stops resting as orders, 1 bp commission and 1 bp slippage, no
 *   sizer, no risk manager) and `sizing` (fixed-fractional sizing against those stops, the full
 *   stack's costs): the full stack's layers added one at a time;
 * - `strategy`: the peer configuration driven through a strategy callback (the callback's cost);
 * - `portfolio`: 10 symbols of `--bars` / 10 bars each (the same one-minute walk, seeds 1-10) with
 *   their own SMA(10)/SMA(20) crossover signals, all-in sizing and the peer's costs, one shared
 *   cash ledger (figures per symbol-bar);
 * - `rebalance`: 500 symbols x 2,520 daily bars of the data package's `generateUniverse` (seed 1,
 *   correlation 0.5) with an equal-weight target rebalanced every 21 bars (120 rows), 2 bp
 *   commission (figures per symbol-bar; `--bars` does not apply).
 *
 * The series is a seeded mean-reverting random walk of one-minute bars (0.2% volatility a bar)
 * with some momentum (return autocorrelation 0.3), so the crossover strategy keeps trading over
 * the whole series instead of ruining the account or halting the risk manager; its prices stay
 * within 75-132 over 5M bars. What compounded past 1e18 over 5M bars was the account of the all-in
 * scenarios, whose costs (1 bp) left the crossover a large edge (the account grew 388x per million
 * bars): their costs are now 2 bp a side (about 2x per million bars, so 5M bars end near 30x).
 * The scenarios with fixed-fractional sizing keep 0.5 bp commission and 0.5 bp slippage.
 *
 * Options: `--bars N` (default 1000000), `--runs N` (timed runs, default 7), `--warmup N` (3),
 * `--scenario NAME` (one scenario, in this process), `--json` (one JSON line per scenario).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BacktestEngine, type BacktestEngineOptions, type BacktestResults, type Strategy } from '@algo-trading/backtesting';
import { createSeededRandom, type BarSeries } from '@algo-trading/core';
import { computeMetrics } from '@algo-trading/metrics';
import { generateUniverse } from '@algo-trading/data';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { smaCrossoverSignals, syntheticBars } from './synthetic';

const SCENARIOS = ['peer', 'full', 'bracket', 'ledger', 'sizing', 'strategy', 'portfolio', 'rebalance'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface ScenarioResult {
  readonly scenario: Scenario;
  readonly bars: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly fastestMs: number;
  readonly slowestMs: number;
  readonly barsPerSecond: number;
  readonly medianCpuMs: number;
  readonly cpuBarsPerSecond: number;
  readonly metricsMs: number;
  /** Median minor page faults of a timed run (fresh memory touched; costly on a VM that hands freed pages back). */
  readonly pageFaults: number;
  readonly fills: number;
  readonly orders: number;
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

/**
 * The bracket strategy: when flat with no entry waiting and the crossover is up, a limit buy
 * 0.05% under the close, good for 10 bars, with a stop-loss 1% and a take-profit 1% away.
 */
function bracketStrategy(signals: Int8Array): Strategy {
  return {
    onBar(ctx) {
      if (ctx.position.side !== null || ctx.openOrders.length > 0 || signals[ctx.index] !== 1) return;
      const close = ctx.bars.close(ctx.index);
      ctx.submit({
        side: 'buy',
        type: 'limit',
        limitPrice: close * 0.9995,
        timeInForce: { bars: 10 },
        bracket: { stopLoss: close * 0.99, takeProfit: close * 1.01 },
      });
    },
  };
}

type Run = (engine: BacktestEngine) => Promise<BacktestResults>;

/** The multi-symbol scenarios: their own data, and the symbol-bars of one call. */
function setupPortfolio(scenario: 'portfolio' | 'rebalance'): { options: BacktestEngineOptions; run: Run; bars: number } {
  if (scenario === 'portfolio') {
    const data: Record<string, BarSeries> = {};
    const signals: Record<string, Int8Array> = {};
    const per = Math.floor(BARS / 10);
    for (let k = 0; k < 10; k++) {
      const symbol = `S${k}`;
      data[symbol] = syntheticBars({ length: per, seed: k + 1, intervalMs: 60_000, volatility: 0.002, momentum: 0.3 }).withSymbol(symbol);
      signals[symbol] = smaCrossoverSignals(data[symbol].close, 10, 20);
    }
    return {
      options: { initialCapital: INITIAL_CAPITAL, commissionPct: 0.0002, slippageBps: 0 },
      run: (engine) => engine.runBacktest({ data, signals }),
      bars: per * 10,
    };
  }
  const universe = generateUniverse({ symbols: 500, bars: 2520, seed: 1, correlation: 0.5 });
  const symbols = [...universe.keys()];
  const first = universe.get(symbols[0]!)!;
  const rows = Math.floor(2520 / 21);
  const time = Float64Array.from({ length: rows }, (_, j) => first.time[j * 21]!);
  const weights = Object.fromEntries(symbols.map((s) => [s, new Float64Array(rows).fill(1 / symbols.length)]));
  return {
    options: { initialCapital: INITIAL_CAPITAL, commissionPct: 0.0002, slippageBps: 0 },
    run: (engine) => engine.runBacktest({ data: universe, targetWeights: { time, weights } }),
    bars: 500 * 2520,
  };
}

function setup(scenario: Exclude<Scenario, 'portfolio' | 'rebalance'>, data: BarSeries, signals: Int8Array): { options: BacktestEngineOptions; run: Run } {
  const confidences = syntheticConfidences(data.length, 7);
  const costs = { commissionPct: 0.00005, slippageBps: 0.5 };
  const allInCosts = { commissionPct: 0.0001, slippageBps: 1 };
  const sizer = () => new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 });
  switch (scenario) {
    case 'peer':
      return {
        options: { initialCapital: INITIAL_CAPITAL, commissionPct: 0.0002, slippageBps: 0 },
        run: (engine) => engine.runBacktest({ data, signals }),
      };
    case 'strategy':
      return {
        options: { initialCapital: INITIAL_CAPITAL, commissionPct: 0.0002, slippageBps: 0 },
        run: (engine) => engine.run({ data, strategy: { onBar: (ctx) => signals[ctx.index] as -1 | 0 | 1 } }),
      };
    case 'full':
      return {
        options: {
          initialCapital: INITIAL_CAPITAL,
          positionSizer: sizer(),
          // Every rule on with the product defaults (stops 3% / trailing 2% / target 5%, zones and
          // kill switch, heat 3%, daily loss 3%, confidence 0.55), except the time stop: 30 days
          // never fires on minute bars held for minutes, so it is 1 day here.
          riskManager: new RiskManager({ timeStopDays: 1 }),
          ...costs,
        },
        run: (engine) => engine.runBacktest({ data, signals, confidences }),
      };
    case 'bracket':
      return {
        options: { initialCapital: INITIAL_CAPITAL, positionSizer: sizer(), ...costs },
        run: (engine) => engine.run({ data, strategy: bracketStrategy(signals) }),
      };
    case 'ledger': {
      const stopLosses = stopLevels(data, signals);
      return { options: { initialCapital: INITIAL_CAPITAL, ...allInCosts }, run: (engine) => engine.runBacktest({ data, signals, stopLosses }) };
    }
    case 'sizing': {
      const stopLosses = stopLevels(data, signals);
      return {
        options: { initialCapital: INITIAL_CAPITAL, positionSizer: sizer(), ...costs },
        run: (engine) => engine.runBacktest({ data, signals, confidences, stopLosses }),
      };
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The bench series: see the file comment. */
function benchBars(length: number): BarSeries {
  return syntheticBars({ length, seed: 42, intervalMs: 60_000, volatility: 0.002, momentum: 0.3 });
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  let bars = BARS;
  let options: BacktestEngineOptions;
  let run: Run;
  if (scenario === 'portfolio' || scenario === 'rebalance') {
    ({ options, run, bars } = setupPortfolio(scenario));
  } else {
    const data = benchBars(BARS);
    ({ options, run } = setup(scenario, data, smaCrossoverSignals(data.close, 10, 20)));
  }
  const engine = new BacktestEngine(options);
  const times: number[] = [];
  const cpu: number[] = [];
  const faults: number[] = [];
  let results = await run(engine);
  const singleRunRssMb = process.resourceUsage().maxRSS / 1024;
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const faultsStart = process.resourceUsage().minorPageFault;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    results = await run(engine);
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    if (r >= WARMUP) {
      times.push(elapsed);
      cpu.push((used.user + used.system) / 1000);
      faults.push(process.resourceUsage().minorPageFault - faultsStart);
    }
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
  const medianCpuMs = median(cpu);
  return {
    scenario,
    bars,
    runs: RUNS,
    medianMs,
    fastestMs: Math.min(...times),
    slowestMs: Math.max(...times),
    barsPerSecond: (bars / medianMs) * 1000,
    medianCpuMs,
    cpuBarsPerSecond: (bars / medianCpuMs) * 1000,
    metricsMs: median(metricTimes),
    pageFaults: median(faults),
    fills: results.fillCount,
    orders: results.orderCount,
    rejections: results.rejectionCount,
    finalEquity: results.finalEquity,
    singleRunRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const millions = (x: number) => `${(x / 1e6).toFixed(1)}M`;

function report(r: ScenarioResult): string {
  return (
    `${r.scenario.padEnd(8)} ${millions(r.barsPerSecond).padStart(6)} bars/s wall (median ${r.medianMs.toFixed(0)} ms, ` +
    `${r.fastestMs.toFixed(0)}-${r.slowestMs.toFixed(0)} ms), ${millions(r.cpuBarsPerSecond)} bars/s CPU (median ${r.medianCpuMs.toFixed(0)} ms), ` +
    `metrics ${r.metricsMs.toFixed(0)} ms, ${r.pageFaults.toFixed(0)} page faults, ${r.fills} fills, ${r.orders} orders, ${r.rejections} refused, ` +
    `RSS ${r.singleRunRssMb.toFixed(0)} MB after one run (${r.peakRssMb.toFixed(0)} MB after all)`
  );
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const only = argument('scenario') as Scenario | undefined;
  const json = process.argv.includes('--json');
  if (only !== undefined) {
    if (!SCENARIOS.includes(only)) throw new Error(`unknown scenario ${only}; one of ${SCENARIOS.join(', ')}`);
    const result = await runScenario(only);
    console.log(json ? JSON.stringify(result) : report(result));
    return;
  }
  console.log(
    `engine benchmark: ${BARS.toLocaleString('en-US')} bars, ${WARMUP} warm-up + ${RUNS} timed runs per scenario, node ${process.version}, load average ${load()}`,
  );
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
  console.log(`load average after: ${load()}`);
  console.log(
    'targets: peer >= 20M bars/s, full and bracket >= 10M bars/s, peak RSS < 250 MB (1M bars); portfolio >= 20M symbol-bars/s; rebalance < 1 s a run',
  );
}

await main();
