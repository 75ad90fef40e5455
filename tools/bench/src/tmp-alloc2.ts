import { BacktestEngine } from '@algo-trading/backtesting';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { smaCrossoverSignals, syntheticBars } from './synthetic';
const data = syntheticBars({ length: 1_000_000, seed: 42, intervalMs: 60_000, volatility: 0.002, momentum: 0.3 });
const signals = smaCrossoverSignals(data.close, 10, 20);
const conf = new Float64Array(data.length).map((_, i) => 0.4 + 0.6 * ((i * 7919) % 1000) / 1000);
const zero = new Int8Array(data.length);
const full = new BacktestEngine({ initialCapital: 1_000_000, positionSizer: new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }), riskManager: new RiskManager({ timeStopDays: 1 }), commissionPct: 0.00005, slippageBps: 0.5 });
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage();
  await full.runBacktest({ data, signals, confidences: conf });
  const c = process.cpuUsage(c0);
  console.log('full', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu');
  await full.runBacktest({ data, signals: zero, confidences: conf });
  console.log('full-nosignals allocated');
}
