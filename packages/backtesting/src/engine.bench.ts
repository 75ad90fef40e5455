import { BarSeries, createSeededRandom } from '@algo-trading/core';
import { bench, describe } from 'vitest';
import { BacktestEngine } from './engine';

// Backtests per second over 100,000 seeded random-walk bars (vitest reports hz; hz x 100,000 =
// bars per second, metrics included). The full harness with 1,000,000 bars, the risk manager
// and memory figures is tools/bench (node --conditions=@algo-trading/source --import tsx
// tools/bench/src/engine-bench.ts).
// Run: pnpm exec vitest bench --run --project backtesting

const N = 100_000;

function randomWalk(n: number): BarSeries {
  const rng = createSeededRandom(1);
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const o = price * (1 + 0.001 * rng.normal());
    const c = o * Math.exp(0.01 * (Math.log(100) - Math.log(o)) + 0.003 * rng.normal());
    time[i] = 1_600_000_000_000 + i * 60_000;
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + 0.001 * Math.abs(rng.normal()));
    low[i] = Math.min(o, c) * (1 - 0.001 * Math.abs(rng.normal()));
    price = c;
  }
  return BarSeries.fromValidatedColumns({ time, open, high, low, close, volume: new Float64Array(n) });
}

const data = randomWalk(N);
const signals = new Int8Array(N);
{
  // SMA(10) / SMA(20) crossover state.
  let fast = 0;
  let slow = 0;
  for (let i = 0; i < N; i++) {
    fast += data.close[i]! - (i >= 10 ? data.close[i - 10]! : 0);
    slow += data.close[i]! - (i >= 20 ? data.close[i - 20]! : 0);
    if (i >= 19) signals[i] = fast / 10 > slow / 20 ? 1 : -1;
  }
}
const stops = Float64Array.from(data.close, (c) => c * 0.97);

describe(`backtest of ${N.toLocaleString('en-US')} bars`, () => {
  const peer = new BacktestEngine({ initialCapital: 1_000_000, commissionPct: 0.0001, slippageBps: 0 });
  bench('signals, peer-compatible configuration', async () => {
    await peer.runBacktest({ data, signals });
  });

  const withStops = new BacktestEngine({ initialCapital: 1_000_000, commissionPct: 0.0001, slippageBps: 1 });
  bench('signals with intrabar stops and slippage', async () => {
    await withStops.runBacktest({ data, signals, stopLosses: stops });
  });

  const strategyEngine = new BacktestEngine({ initialCapital: 1_000_000, commissionPct: 0.0001, slippageBps: 0 });
  const strategy = { onBar: (ctx: { index: number }) => signals[ctx.index] as -1 | 0 | 1 };
  bench('strategy callback, same decisions', async () => {
    await strategyEngine.run({ data, strategy });
  });
});
