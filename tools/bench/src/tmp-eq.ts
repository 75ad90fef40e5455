import { BacktestEngine } from '@algo-trading/backtesting';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { smaCrossoverSignals, syntheticBars } from './synthetic';
const data = syntheticBars({ length: 1_000_000, seed: 42, intervalMs: 60_000, volatility: 0.002, momentum: 0.3 });
const signals = smaCrossoverSignals(data.close, 10, 20);
const peer = new BacktestEngine({ initialCapital: 1_000_000, commissionPct: 0.0001, slippageBps: 0 });
for (let r = 0; r < 4; r++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const res = await peer.runBacktest({ data, signals });
  const c = process.cpuUsage(c0);
  console.log('peer', (performance.now() - t0).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu', res.fillCount, res.finalEquity.toExponential(3));
}
const conf = new Float64Array(data.length).map((_, i) => 0.4 + 0.6 * ((i * 7919) % 1000) / 1000);
const full = new BacktestEngine({ initialCapital: 1_000_000, positionSizer: new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }), riskManager: new RiskManager({ timeStopDays: 1 }), commissionPct: 0.00005, slippageBps: 0.5 });
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const res = await full.runBacktest({ data, signals, confidences: conf });
  const c = process.cpuUsage(c0);
  console.log('full', (performance.now() - t0).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu', res.fillCount, res.rejectionCount, res.orderCount, res.finalEquity.toExponential(3));
}
