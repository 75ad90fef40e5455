import type { SizingRequest } from '@algo-trading/core';
import { bench, describe } from 'vitest';
import { ConfidenceBasedSizing } from './confidence-based';
import { createPositionSizer } from './factory';
import { FixedFractionalSizing } from './fixed-fractional';
import { KellyCriterion } from './kelly';
import { PercentOfEquitySizing } from './percent-of-equity';

// Calls per second of each sizer (vitest reports hz). Each iteration sizes a batch of requests
// that vary capital, entry and stop, so branch prediction and constant folding cannot cheat;
// hz x BATCH = sizer calls per second.
// Run: pnpm exec vitest bench --run --project sizing

const BATCH = 1_000;

function makeRequests(): SizingRequest[] {
  const requests: SizingRequest[] = [];
  for (let i = 0; i < BATCH; i++) {
    const entryPrice = 50 + (i % 97) * 1.37;
    const long = i % 3 !== 0;
    const distance = entryPrice * (0.01 + (i % 7) * 0.005);
    requests.push({
      capital: 10_000 + i * 13.5,
      entryPrice,
      stopLossPrice: long ? entryPrice - distance : entryPrice + distance,
      side: long ? 'long' : 'short',
      confidence: 0.5 + (i % 50) / 100,
      winRate: 0.45 + (i % 20) / 100,
      avgWin: 150 + (i % 11) * 10,
      avgLoss: 100,
      riskMultiplier: i % 4 === 0 ? 0.5 : 1,
      cash: 8_000 + i * 10,
      commissionPct: 0.001,
    });
  }
  return requests;
}

const requests = makeRequests();
let sink = 0;

const sizers = {
  'fixed_fractional (lot 1)': new FixedFractionalSizing(),
  'fixed_fractional (lot 1e-8)': new FixedFractionalSizing({ lotSize: 1e-8 }),
  kelly: new KellyCriterion(),
  confidence_based: new ConfidenceBasedSizing(),
  'percent_of_equity (lot 0.001)': new PercentOfEquitySizing({ lotSize: 0.001 }),
  'factory-made fixed_fractional': createPositionSizer('fixed_fractional', { riskFraction: 0.01 }),
} as const;

describe(`sizer.calculate: ${BATCH} calls per iteration`, () => {
  for (const [name, sizer] of Object.entries(sizers)) {
    bench(name, () => {
      for (let i = 0; i < BATCH; i++) sink += sizer.calculate(requests[i]!).quantity;
    });
  }
});

describe(`sizer.calculateSize: ${BATCH} calls per iteration`, () => {
  bench('fixed_fractional', () => {
    const sizer = sizers['fixed_fractional (lot 1)'];
    for (let i = 0; i < BATCH; i++) sink += sizer.calculateSize(requests[i]!);
  });
});

// Keeps the results observable so the loops are not optimised away.
export const benchSink = (): number => sink;
