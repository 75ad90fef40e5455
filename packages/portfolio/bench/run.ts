/* eslint-disable no-console -- a benchmark script prints its figures */
/**
 * Benchmark of the portfolio package (not a test): median and spread of repeated runs.
 *
 *   node --conditions=@algo-trading/source --import tsx packages/portfolio/bench/run.ts [--runs 7]
 *
 * 1. min-variance (sample covariance + long-only QP) on 500 assets x 1,000 daily returns;
 * 2. the same with Ledoit-Wolf;
 * 3. hierarchical risk parity on the same returns;
 * 4. a monthly HRP rebalance schedule over 10 years of daily bars of 100 assets (lookback 252),
 *    end to end from the bar series.
 */
import { BarSeries, createSeededRandom } from '@algo-trading/core';
import { covariance, hierarchicalRiskParity, loadSolver, optimizePortfolio, rebalanceSchedule, returnsMatrix } from '../src/index';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

/** T x N returns from a 3-factor model plus noise (seeded). */
function factorReturns(seed: number, rows: number, cols: number): Float64Array {
  const random = createSeededRandom(seed);
  const loadings = Float64Array.from({ length: cols * 3 }, () => random.normal() * 0.008);
  const out = new Float64Array(rows * cols);
  for (let t = 0; t < rows; t++) {
    const f0 = random.normal();
    const f1 = random.normal();
    const f2 = random.normal();
    for (let j = 0; j < cols; j++) {
      out[t * cols + j] = 0.0003 + loadings[j * 3]! * f0 + loadings[j * 3 + 1]! * f1 + loadings[j * 3 + 2]! * f2 + random.normal() * 0.015;
    }
  }
  return out;
}

function dailyUniverse(assets: number, days: number): Map<string, BarSeries> {
  const values = factorReturns(7, days, assets);
  const time = Array.from({ length: days }, (_, i) => Date.UTC(2010, 0, 4) + Math.floor(i / 5) * 7 * 86_400_000 + (i % 5) * 86_400_000);
  const universe = new Map<string, BarSeries>();
  for (let j = 0; j < assets; j++) {
    const close: number[] = [];
    let price = 100;
    for (let t = 0; t < days; t++) close.push((price *= 1 + values[t * assets + j]!));
    universe.set(`A${j}`, BarSeries.fromColumns({ time, open: close, high: close, low: close, close }, { symbol: `A${j}` }));
  }
  return universe;
}

async function measure(name: string, fn: () => unknown): Promise<void> {
  await fn(); // warm-up (JIT; the HiGHS module is loaded before)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
    wall.push(performance.now() - start);
  }
  // CPU time is the figure to read on a shared machine: wall time there includes waiting for a core.
  const summary = (v: number[]) => {
    v.sort((a, b) => a - b);
    return `${v[v.length >> 1]!.toFixed(0).padStart(6)} ms [${v[0]!.toFixed(0)}-${v[v.length - 1]!.toFixed(0)}]`;
  };
  console.log(`${name.padEnd(60)} cpu ${summary(cpu)}   wall ${summary(wall)}   (median [min-max], ${RUNS} runs)`);
}

await loadSolver();
const symbols = Array.from({ length: 500 }, (_, j) => `A${j}`);
const R = returnsMatrix({ symbols, values: factorReturns(1, 1000, 500) });
let solver = '';
await measure('sample covariance, 500 x 1,000', () => covariance(R));
await measure('min-variance (sample cov + QP), 500 x 1,000', async () => {
  const result = await optimizePortfolio({ cov: covariance(R), objective: 'min_variance' });
  solver = `${result.solver}, ${result.status}, ${result.vector.filter((w) => w > 1e-9).length} assets held`;
});
console.log(`  (${solver})`);
await measure('min-variance (Ledoit-Wolf + QP), 500 x 1,000', () => optimizePortfolio({ cov: covariance(R, { method: 'ledoit_wolf' }), objective: 'min_variance' }));
await measure('HRP (sample cov inside), 500 x 1,000', () => hierarchicalRiskParity(R));
const universe = dailyUniverse(100, 2520);
let dates = 0;
await measure('HRP schedule: 100 assets, 10 y daily, monthly, lookback 252', async () => {
  const schedule = await rebalanceSchedule({ universe, lookback: 252, every: 'month', method: 'hrp' });
  dates = schedule.time.length;
});
console.log(`  (${dates} rebalance dates)`);
