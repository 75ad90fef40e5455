import { BacktestEngine } from '@algo-trading/backtesting';
import { smaCrossoverSignals, syntheticBars } from './synthetic';
const data = syntheticBars({ length: 1_000_000, seed: 42, intervalMs: 60_000, volatility: 0.002, momentum: 0.3 });
const signals = smaCrossoverSignals(data.close, 10, 20);
const engine = new BacktestEngine({ initialCapital: 1_000_000, commissionPct: 0.0001, slippageBps: 0 });
const zero = new Int8Array(data.length);
for (let r = 0; r < 4; r++) {
  for (const [name, sig] of [['peer', signals], ['nosignals', zero]] as const) {
    const before = process.memoryUsage().heapUsed;
    await engine.runBacktest({ data, signals: sig });
    const after = process.memoryUsage().heapUsed;
    console.log(name, ((after - before) / 1e6).toFixed(1), 'MB allocated (no GC)');
  }
}
