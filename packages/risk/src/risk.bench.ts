import { bench, describe } from 'vitest';
import { RiskManager, type OhlcPrice } from './index';

/**
 * Cost of the per-bar risk work: each task runs BARS bars over POSITIONS open positions, so the
 * standalone cost per position per bar = (mean ms per task x 1e6) / (BARS x POSITIONS); the
 * engine's per-bar mark is one call per bar whatever the positions.
 * Prices wander within +-1% of the entry, so no stop fires and the book stays the same size.
 */
const POSITIONS = 10;
const BARS = 1000;
const MINUTE = 60_000;
const SYMBOLS = Array.from({ length: POSITIONS }, (_, i) => `S${i}`);

// Deterministic price path (a small LCG), precomputed so the benchmark measures the manager only.
let seed = 12345;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const opens = new Float64Array(BARS * POSITIONS);
const highs = new Float64Array(BARS * POSITIONS);
const lows = new Float64Array(BARS * POSITIONS);
const closes = new Float64Array(BARS * POSITIONS);
const barUpdates: Record<string, OhlcPrice>[] = [];
for (let b = 0; b < BARS; b++) {
  const update: Record<string, OhlcPrice> = {};
  for (let p = 0; p < POSITIONS; p++) {
    const k = b * POSITIONS + p;
    const open = 100 * (1 + (random() - 0.5) * 0.01);
    const close = 100 * (1 + (random() - 0.5) * 0.01);
    opens[k] = open;
    closes[k] = close;
    highs[k] = Math.max(open, close) * 1.002;
    lows[k] = Math.min(open, close) * 0.998;
    update[SYMBOLS[p]!] = { open, high: highs[k]!, low: lows[k]!, close };
  }
  barUpdates.push(update);
}

function loadedManager(): { rm: RiskManager; clock: { time: number } } {
  const rm = new RiskManager({ initialCapital: 1_000_000, timeStopDays: null });
  const clock = { time: Date.UTC(2024, 0, 2) };
  for (const symbol of SYMBOLS) {
    rm.openPosition({ symbol, entryPrice: 100, quantity: 100, entryDate: clock.time, skipChecks: true });
  }
  return { rm, clock };
}

describe(`risk manager, ${POSITIONS} positions x ${BARS} bars per task`, () => {
  const standalone = loadedManager();
  bench('updatePositions (OHLC bars)', () => {
    const { rm, clock } = standalone;
    for (let b = 0; b < BARS; b++) {
      clock.time += MINUTE;
      rm.updatePositions(barUpdates[b]!, clock.time);
    }
  });

  const engine = loadedManager();
  const portfolio = {
    time: 0,
    cash: 0,
    equity: 1_000_000,
    positionCount: POSITIONS,
    position: () => undefined,
    positions: () => [],
  };
  bench('mark per bar (RiskGate: the engine matches the stops as orders)', () => {
    const { rm, clock } = engine;
    for (let b = 0; b < BARS; b++) {
      portfolio.time = clock.time += MINUTE;
      portfolio.equity = 1_000_000 + closes[b * POSITIONS]! - 100;
      rm.mark(portfolio);
    }
  });
});
