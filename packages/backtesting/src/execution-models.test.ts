import { BarSeries, type CommissionContext, type SlippageContext } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import {
  dailyFinancing,
  fixedBpsSlippage,
  fixedCommission,
  makerTakerCommission,
  percentCommission,
  perShareCommission,
  spreadSlippage,
  sqrtImpactSlippage,
  tieredCommission,
  volumeParticipation,
  volumeShareSlippage,
} from './execution-models';

const bars = BarSeries.fromColumns({
  time: [1, 2, 3, 4, 5, 6],
  open: [100, 100, 100, 100, 100, 100],
  high: [100, 110, 100, 120, 100, 100],
  low: [100, 100, 90, 100, 100, 100],
  close: [100, 110, 99, 118.8, 100, 100],
  volume: [1000, 2000, 3000, 4000, 5000, 10_000],
});

function slip(overrides: Partial<SlippageContext>): SlippageContext {
  return { symbol: 'X', side: 'buy', quantity: 100, referencePrice: 50, orderType: 'market', liquidity: 'taker', bars, barIndex: 5, spread: Number.NaN, ...overrides };
}

function fee(overrides: Partial<CommissionContext>): CommissionContext {
  const quantity = overrides.quantity ?? 100;
  const price = overrides.price ?? 20;
  return {
    symbol: 'X',
    side: 'buy',
    quantity,
    price,
    notional: quantity * price,
    orderType: 'market',
    liquidity: 'taker',
    orderFilledQuantity: 0,
    orderFilledNotional: 0,
    orderCommission: 0,
    ...overrides,
  };
}

describe('slippage models', () => {
  it('fixed_bps: reference x (1 +/- bps / 10,000)', () => {
    const m = fixedBpsSlippage(20);
    expect(m.fillPrice(slip({}))).toBeCloseTo(50.1, 12);
    expect(m.fillPrice(slip({ side: 'sell' }))).toBeCloseTo(49.9, 12);
    expect(fixedBpsSlippage(0).fillPrice(slip({}))).toBe(50);
  });

  it('spread: half the bar spread, else the fixed spread, else spreadBps of the reference', () => {
    expect(spreadSlippage({ spread: 0.2 }).fillPrice(slip({ spread: 0.5 }))).toBe(50.25);
    expect(spreadSlippage({ spread: 0.2 }).fillPrice(slip({}))).toBe(50.1);
    expect(spreadSlippage({ spread: 0.2 }).fillPrice(slip({ side: 'sell' }))).toBe(49.9);
    expect(spreadSlippage({ spreadBps: 10 }).fillPrice(slip({}))).toBeCloseTo(50.025, 12);
  });

  it('volume_share: priceImpact x min(quantity / volume, volumeLimit)^2', () => {
    const m = volumeShareSlippage({ priceImpact: 0.1, volumeLimit: 0.025 });
    // 100 of 10,000 = 1%: impact 0.1 x 0.0001 = 1e-5
    expect(m.fillPrice(slip({}))).toBeCloseTo(50 * (1 + 1e-5), 12);
    // 1,000 of 10,000 = 10%, capped at 2.5%: 0.1 x 0.000625
    expect(m.fillPrice(slip({ quantity: 1000, side: 'sell' }))).toBeCloseTo(50 * (1 - 6.25e-5), 12);
  });

  it('sqrt_impact: coefficient x volatility x sqrt(quantity / average volume), from the bars before the fill', () => {
    const m = sqrtImpactSlippage({ coefficient: 0.5, window: 4 });
    // Bars 1-4 (before bar 5): closes 110, 99, 118.8, 100; log returns ln(0.9), ln(1.2), ln(100/118.8).
    const r = [Math.log(0.9), Math.log(1.2), Math.log(100 / 118.8)];
    const mean = (r[0]! + r[1]! + r[2]!) / 3;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const averageVolume = (2000 + 3000 + 4000 + 5000) / 4;
    expect(m.fillPrice(slip({ quantity: 350 }))).toBeCloseTo(50 * (1 + 0.5 * sd * Math.sqrt(350 / averageVolume)), 10);
    // Not enough history: no impact.
    expect(m.fillPrice(slip({ barIndex: 2 }))).toBe(50);
  });
});

describe('commission models', () => {
  it('percent: rate x notional', () => {
    expect(percentCommission(0.001).commission(fee({}))).toBeCloseTo(2, 12);
  });

  it('per_share: rate x units within a minimum and a maximum, per order', () => {
    const m = perShareCommission({ rate: 0.005, minimum: 1, maximumPct: 0.01 });
    expect(m.commission(fee({ quantity: 100 }))).toBe(1); // 0.50 -> the 1.00 minimum
    expect(m.commission(fee({ quantity: 1000 }))).toBe(5);
    expect(m.commission(fee({ quantity: 1000, price: 0.3 }))).toBeCloseTo(3, 12); // 1% of 300 caps 5.00
    // A second fill of the same order pays the difference: 300 units in all = 1.50, 1.00 paid.
    expect(m.commission(fee({ quantity: 200, orderFilledQuantity: 100, orderFilledNotional: 2000, orderCommission: 1 }))).toBeCloseTo(0.5, 12);
    expect(perShareCommission({ rate: 0.01, maximum: 2 }).commission(fee({ quantity: 1000 }))).toBe(2);
  });

  it('fixed: one amount per order, on its first fill', () => {
    const m = fixedCommission(4.95);
    expect(m.commission(fee({}))).toBe(4.95);
    expect(m.commission(fee({ orderFilledQuantity: 10, orderCommission: 4.95 }))).toBe(0);
  });

  it('tiered: each slice of the order notional at its tier rate', () => {
    const m = tieredCommission([{ upTo: 1000, rate: 0.002 }, { upTo: 10_000, rate: 0.001 }, { rate: 0.0005 }]);
    // 2,000: 1,000 x 0.2% + 1,000 x 0.1% = 3
    expect(m.commission(fee({}))).toBeCloseTo(3, 12);
    // 20,000: 2 + 9 + 5 = 16
    expect(m.commission(fee({ quantity: 1000 }))).toBeCloseTo(16, 12);
    // After 2,000 already filled (3 paid), 1,000 more: total 3,000 -> 2 + 2 = 4, so 1.
    expect(m.commission(fee({ quantity: 50, orderFilledNotional: 2000, orderCommission: 3 }))).toBeCloseTo(1, 12);
  });

  it('maker_taker: the maker rate for a resting limit filled at its limit, else the taker rate', () => {
    const m = makerTakerCommission({ maker: 0.0001, taker: 0.0005 });
    expect(m.commission(fee({ liquidity: 'maker' }))).toBeCloseTo(0.2, 12);
    expect(m.commission(fee({}))).toBeCloseTo(1, 12);
  });
});

describe('participation and financing', () => {
  it('volume participation: a fraction of the bar volume less what already filled in the bar', () => {
    const m = volumeParticipation(0.1);
    expect(m.maxQuantity({ symbol: 'X', quantity: 500, barVolume: 2000, filledInBar: 0 })).toBe(200);
    expect(m.maxQuantity({ symbol: 'X', quantity: 500, barVolume: 2000, filledInBar: 150 })).toBe(50);
    expect(m.maxQuantity({ symbol: 'X', quantity: 500, barVolume: 2000, filledInBar: 300 })).toBe(0);
  });

  it('daily financing: interest on cash, margin rate on borrowed cash, borrow fee on shorts, by calendar days', () => {
    const m = dailyFinancing({ cashRate: 0.0365, marginRate: 0.073, borrowRate: 0.0365 });
    const charge = m.accrue({ cash: 10_000, longMarketValue: 0, shortMarketValue: 5_000, from: 0, to: 3 * 86_400_000, days: 3 });
    expect(charge.interest).toBeCloseTo(3, 12); // 10,000 x 3.65% x 3 / 365
    expect(charge.borrowFee).toBeCloseTo(1.5, 12);
    expect(m.accrue({ cash: -1_000, longMarketValue: 3_000, shortMarketValue: 0, from: 0, to: 86_400_000, days: 1 }).interest).toBeCloseTo(-0.2, 12);
  });
});
