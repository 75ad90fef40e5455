/* eslint-disable no-console -- a benchmark script prints its figures */
/**
 * Speed of the Gaussian HMM: Baum-Welch fit of 2 states on 5,000 points (one restart per fit),
 * and the streaming update for K = 3. Prints the median and the spread of repeated runs, and the
 * machine's load average (figures depend on both).
 *
 *   node --conditions=@algo-trading/source --import tsx packages/regimes/bench/hmm-bench.ts [--runs 31]
 */
import { loadavg } from 'node:os';
import { GaussianHMM } from '../src/index';

const argRuns = process.argv.indexOf('--runs');
const RUNS = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 31;

function summary(values: number[]): { median: number; p25: number; p75: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
  return { median: at(0.5), p25: at(0.25), p75: at(0.75), min: s[0]!, max: s[s.length - 1]! };
}

function fmt(x: number, digits = 2): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

// A known 2-state model of daily returns, and its draws.
const truth = new GaussianHMM({ states: 2 }).setParams({
  startProb: [0.5, 0.5],
  transition: [
    [0.98, 0.02],
    [0.05, 0.95],
  ],
  means: [[0.0005], [-0.001]],
  variances: [[0.008 ** 2], [0.02 ** 2]],
});
const fitData = Float64Array.from(truth.sample({ length: 5000, seed: 1 }).observations, (row) => row[0]!);

console.log(`load average at start: ${loadavg().map((l) => fmt(l)).join(' ')} (shared machine)`);

// 1. Fit: 2 states, 5,000 points, one restart per fit (different seeds: different starting points).
{
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const perIteration: number[] = [];
  let iterations = 0;
  for (let r = -5; r < RUNS; r++) {
    const hmm = new GaussianHMM({ states: 2, restarts: 1, seed: Math.abs(r) });
    const c0 = process.cpuUsage();
    const t0 = now();
    const report = hmm.fit(fitData);
    const ms = now() - t0;
    const cpu = process.cpuUsage(c0);
    if (r < 0) continue; // warm-up runs (JIT)
    times.push(ms);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    perIteration.push(ms / (report.iterations + 1));
    iterations += report.iterations;
  }
  const s = summary(times);
  const it = summary(perIteration);
  const c = summary(cpuTimes);
  console.log(
    `fit 2 states x 5,000 points, 1 restart: median ${fmt(s.median)} ms (p25 ${fmt(s.p25)}, p75 ${fmt(s.p75)}, min ${fmt(s.min)}, max ${fmt(s.max)}) over ${RUNS} runs; ` +
      `${fmt(iterations / RUNS, 1)} EM iterations on average, median ${fmt(it.median, 3)} ms per iteration; ` +
      `CPU time median ${fmt(c.median)} ms (p25 ${fmt(c.p25)}, p75 ${fmt(c.p75)})`,
  );
}

// 2. Streaming update, K = 3, one feature: bars per second.
for (const [label, options, dims] of [
  ['K = 3, 1 feature, diag', { states: 3 }, 1],
  ['K = 3, 2 features, full', { states: 3, covariance: 'full' }, 2],
] as const) {
  const hmm = new GaussianHMM(options).setParams({
    startProb: [0.3, 0.4, 0.3],
    transition: [
      [0.95, 0.03, 0.02],
      [0.04, 0.92, 0.04],
      [0.02, 0.05, 0.93],
    ],
    means: [[-1, 0], [0, 1], [2, -1]].map((m) => m.slice(0, dims)),
    variances: [[0.3, 1], [0.6, 0.5], [1.2, 2]].map((v) => v.slice(0, dims)),
    ...(dims === 2
      ? {
          covariances: [
            [[0.3, 0.1], [0.1, 1]],
            [[0.6, -0.2], [-0.2, 0.5]],
            [[1.2, 0.5], [0.5, 2]],
          ],
        }
      : {}),
  });
  const N = 1_000_000;
  const draws = hmm.sample({ length: N, seed: 2 }).observations;
  const scalar = Float64Array.from(draws, (row) => row[0]!);
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let sink = 0;
  for (let r = -3; r < Math.max(5, Math.floor(RUNS / 3)); r++) {
    hmm.resetStream();
    const c0 = process.cpuUsage();
    const t0 = now();
    if (dims === 1) for (let t = 0; t < N; t++) sink += hmm.update(scalar[t]!)[2]!;
    else for (let t = 0; t < N; t++) sink += hmm.update(draws[t]!)[2]!;
    const ms = now() - t0;
    const cpu = process.cpuUsage(c0);
    if (r < 0) continue;
    rates.push(N / (ms / 1000));
    cpuRates.push(N / ((cpu.user + cpu.system) / 1e6));
  }
  const s = summary(rates);
  const c = summary(cpuRates);
  console.log(
    `streaming update ${label}: median ${fmt(s.median / 1e6)} M bars/s (p25 ${fmt(s.p25 / 1e6)}, p75 ${fmt(s.p75 / 1e6)}, min ${fmt(s.min / 1e6)}, max ${fmt(s.max / 1e6)}) over ${rates.length} runs of 1,000,000 bars; ` +
      `per CPU second: median ${fmt(c.median / 1e6)} M bars/s` +
      (Number.isFinite(sink) ? '' : ' (non-finite output!)'),
  );
}

console.log(`load average at end: ${loadavg().map((l) => fmt(l)).join(' ')}`);
