import { bench, describe } from 'vitest';
import { computeMetrics } from './compute-metrics';
import { maxDrawdown } from './drawdown';
import { sharpeRatio } from './ratios';

// 1,000,000 bars of a random-walk equity curve (deterministic LCG), hourly times.
const N = 1_000_000;
const equity = new Float64Array(N);
const times = new Float64Array(N);
let seed = 12345;
let value = 10_000;
for (let i = 0; i < N; i++) {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  value *= 1 + ((seed / 4294967296) - 0.4995) * 0.02;
  equity[i] = value;
  times[i] = Date.UTC(2000, 0, 1) + i * 3_600_000;
}
const returns = new Float64Array(N - 1);
for (let i = 1; i < N; i++) returns[i - 1] = equity[i]! / equity[i - 1]! - 1;
const trades = Array.from({ length: 10_000 }, (_, i) => ({ pnl: ((i * 7919) % 200) - 95, initialRisk: 50 }));

describe('1,000,000 points', () => {
  bench('computeMetrics (equity + times + 10k trades)', () => {
    computeMetrics({ equity, times, trades, initialValue: 10_000 });
  }, { iterations: 10 });
  bench('computeMetrics (equity only, periodsPerYear given)', () => {
    computeMetrics({ equity, periodsPerYear: 252 });
  }, { iterations: 10 });
  bench('sharpeRatio', () => {
    sharpeRatio(returns);
  });
  bench('maxDrawdown', () => {
    maxDrawdown(returns);
  });
});
