import { stepDecimals, type SizingRequest, type SizingResult } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfidenceBasedSizing, FixedFractionalSizing, KellyCriterion, PercentOfEquitySizing } from '../src/index';

// Property tests of the sizing invariants, for random legal inputs:
//   1. quantity >= 0 (finite, a whole number of lots);
//   2. quantity x entry <= capital x maxPositionFraction + one lot's value;
//   3. risk at the stop <= capital x risk fraction (+ rounding);
// plus: the cash cut holds (quantity x entry x (1 + commission) <= cash), the size is the largest
// lot multiple that satisfies every constraint, and more risk budget never means a smaller size.
//
// Ranges keep the number of lots below ~1e11, where a double still counts lots exactly.

const RUNS = { numRuns: 1_000 };
// Relative slack for "(+ rounding)": far below one lot, far above float noise.
const SLACK = 1e-9;

const lotSize = fc.constantFrom(1, 5, 0.5, 0.01, 0.001);
const capital = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.double({ min: 1, max: 1_000_000, noNaN: true }),
);
const price = fc.oneof(fc.double({ min: 0.01, max: 100_000, noNaN: true }), fc.integer({ min: 1, max: 1_000 }));
const fraction = fc.oneof(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constantFrom(0.01, 0.02, 0.25, 0.7, 1));
const multiplier = fc.option(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.25, 0.5, 1)), {
  nil: undefined,
});
const commission = fc.option(fc.oneof(fc.double({ min: 0, max: 0.05, noNaN: true }), fc.constant(0.001)), { nil: undefined });
const cash = fc.option(fc.double({ min: 0, max: 2_000_000, noNaN: true }), { nil: undefined });

/**
 * A legal request: a long (stop below) or short (stop above) with a stop 0-95% away, maybe equal.
 * A long may leave its side out (the default); a short always declares it.
 */
const request = fc
  .record({
    capital,
    entryPrice: price,
    distance: fc.oneof(fc.double({ min: 0, max: 0.95, noNaN: true }), fc.constantFrom(0, 0.03, 0.1)),
    side: fc.constantFrom('long' as const, 'short' as const),
    declareSide: fc.boolean(),
    riskMultiplier: multiplier,
    cash,
    commissionPct: commission,
  })
  .map(({ distance, side, declareSide, ...rest }): SizingRequest => {
    const stopLossPrice = side === 'long' ? rest.entryPrice * (1 - distance) : rest.entryPrice * (1 + distance);
    return { ...rest, stopLossPrice, ...(declareSide || side === 'short' ? { side } : {}) };
  });

// Outcomes where the sizer declined on purpose: no maximality to check.
const DECLINED = new Set(['zero_capital', 'zero_risk', 'risk_multiplier', 'min_win_rate', 'confidence', 'zero_edge']);

/** A whole number of lots, written exactly as the lot's decimals allow (0.3, not 0.30000000000000004). */
function expectWholeLots(quantity: number, lot: number): void {
  const scale = 10 ** stepDecimals(lot);
  expect(quantity).toBe(Math.round(Math.round(quantity / lot) * lot * scale) / scale);
}

interface Limits {
  readonly maxPositionFraction: number;
  readonly lotSize: number;
  /** The most this sizer may risk before the request's multiplier. */
  readonly riskCeiling: number;
}

function expectRiskInvariants(req: SizingRequest, result: SizingResult, limits: Limits): void {
  const { quantity, riskFraction } = result;
  const { capital: cap, entryPrice: entry } = req;
  const riskPerUnit = Math.abs(entry - (req.stopLossPrice as number));
  const lot = limits.lotSize;
  // 1. quantity >= 0, finite, a whole number of lots.
  expect(quantity).toBeGreaterThanOrEqual(0);
  expect(Number.isFinite(quantity)).toBe(true);
  expectWholeLots(quantity, lot);
  // 2. the position cap, exceeded by less than one lot's value.
  expect(quantity * entry).toBeLessThanOrEqual(cap * limits.maxPositionFraction + lot * entry);
  // 3. the risk at the stop stays within the (multiplied) risk fraction.
  const multiplied = limits.riskCeiling * (req.riskMultiplier ?? 1);
  expect(riskFraction).toBeLessThanOrEqual(multiplied * (1 + 1e-12));
  expect(quantity * riskPerUnit).toBeLessThanOrEqual(cap * riskFraction * (1 + SLACK));
  // The reported detail is consistent.
  expect(result.riskPerUnit).toBe(riskPerUnit);
  expect(result.riskAmount).toBe(quantity * riskPerUnit);
  expect(result.positionValue).toBe(quantity * entry);
  // Cash: the purchase and its commission fit, exactly as computed in floats.
  const unitCost = entry * (1 + (req.commissionPct ?? 0));
  if (req.cash !== undefined) expect(quantity * unitCost).toBeLessThanOrEqual(req.cash);
  // Maximality: one more lot would break the risk budget, the position cap or the cash.
  if (!DECLINED.has(result.limitedBy)) {
    const next = quantity + lot;
    const breaks =
      next * riskPerUnit > cap * riskFraction * (1 - SLACK) ||
      next * entry > cap * limits.maxPositionFraction * (1 - SLACK) ||
      (req.cash !== undefined && next * unitCost > req.cash * (1 - SLACK));
    expect(breaks).toBe(true);
  } else {
    expect(quantity).toBe(0);
  }
}

describe('property: fixed fractional', () => {
  it('respects the three invariants, the cash and maximality', () => {
    fc.assert(
      fc.property(request, fraction, fraction, lotSize, (req, riskFraction, maxPositionFraction, lot) => {
        const sizer = new FixedFractionalSizing({ riskFraction, maxPositionFraction, lotSize: lot });
        const result = sizer.calculate(req);
        expectRiskInvariants(req, result, { maxPositionFraction, lotSize: lot, riskCeiling: riskFraction });
        expect(sizer.calculateSize(req)).toBe(result.quantity);
      }),
      RUNS,
    );
  });

  it('a larger risk multiplier never gives a smaller size', () => {
    fc.assert(
      fc.property(request, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (req, a, b) => {
        const sizer = new FixedFractionalSizing();
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(sizer.calculateSize({ ...req, riskMultiplier: low })).toBeLessThanOrEqual(sizer.calculateSize({ ...req, riskMultiplier: high }));
      }),
      RUNS,
    );
  });
});

describe('property: Kelly', () => {
  const stats = fc.record({
    winRate: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.4, 0.5, 1)),
    avgWin: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
    avgLoss: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
  });

  it('respects the three invariants, the cash and maximality', () => {
    fc.assert(
      fc.property(request, stats, fraction, fraction, fraction, lotSize, (req, s, kellyFraction, maxRiskFraction, maxPositionFraction, lot) => {
        const sizer = new KellyCriterion({ kellyFraction, maxRiskFraction, maxPositionFraction, lotSize: lot });
        const full = { ...req, ...s };
        const result = sizer.calculate(full);
        expectRiskInvariants(full, result, { maxPositionFraction, lotSize: lot, riskCeiling: maxRiskFraction });
        // The risk fraction never exceeds kellyFraction x f*.
        const edge = s.winRate - (1 - s.winRate) / (s.avgWin / s.avgLoss);
        if (result.quantity > 0) {
          expect(s.winRate).toBeGreaterThanOrEqual(0.4);
          expect(edge).toBeGreaterThan(0);
          expect(result.riskFraction).toBeLessThanOrEqual(kellyFraction * edge * (req.riskMultiplier ?? 1) * (1 + 1e-9));
        }
      }),
      RUNS,
    );
  });
});

describe('property: confidence based', () => {
  const schedule = fc
    .record({ a: fraction, b: fraction, minConfidence: fc.double({ min: 0, max: 0.99, noNaN: true }) })
    .map(({ a, b, minConfidence }) => ({ baseRiskFraction: Math.min(a, b), maxRiskFraction: Math.max(a, b), minConfidence }));
  const confidence = fc.oneof(fc.double({ min: 0, max: 1.5, noNaN: true }), fc.constantFrom(0, 0.55, 1));

  it('respects the three invariants, the cash and maximality', () => {
    fc.assert(
      fc.property(request, schedule, confidence, fraction, lotSize, (req, options, conf, maxPositionFraction, lot) => {
        const sizer = new ConfidenceBasedSizing({ ...options, maxPositionFraction, lotSize: lot });
        const full = { ...req, confidence: conf };
        const result = sizer.calculate(full);
        expectRiskInvariants(full, result, { maxPositionFraction, lotSize: lot, riskCeiling: options.maxRiskFraction });
        if (conf < options.minConfidence) expect(result).toMatchObject({ quantity: 0, limitedBy: 'confidence' });
        else expect(result.riskFraction).toBeGreaterThanOrEqual(options.baseRiskFraction * (req.riskMultiplier ?? 1) * (1 - 1e-12));
      }),
      RUNS,
    );
  });

  it('a higher confidence never gives a smaller size', () => {
    fc.assert(
      fc.property(request, confidence, confidence, (req, a, b) => {
        const sizer = new ConfidenceBasedSizing();
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(sizer.calculateSize({ ...req, confidence: low })).toBeLessThanOrEqual(sizer.calculateSize({ ...req, confidence: high }));
      }),
      RUNS,
    );
  });
});

describe('property: percent of equity', () => {
  it('never commits more than capital x fraction (commission included) and is maximal', () => {
    fc.assert(
      fc.property(request, fraction, lotSize, fc.boolean(), (req, frac, lot, withStop) => {
        const sizer = new PercentOfEquitySizing({ fraction: frac, lotSize: lot });
        const full: SizingRequest = withStop ? req : { ...req, stopLossPrice: undefined };
        const { quantity, limitedBy } = sizer.calculate(full);
        const { capital: cap, entryPrice: entry } = full;
        const budget = cap * frac * (full.riskMultiplier ?? 1);
        const unitCost = entry * (1 + (full.commissionPct ?? 0));
        expect(quantity).toBeGreaterThanOrEqual(0);
        expectWholeLots(quantity, lot);
        expect(quantity * unitCost).toBeLessThanOrEqual(budget * (1 + SLACK));
        if (full.cash !== undefined) expect(quantity * unitCost).toBeLessThanOrEqual(full.cash);
        if (limitedBy === 'fraction' || limitedBy === 'lot' || limitedBy === 'cash') {
          const next = quantity + lot;
          const breaks = next * unitCost > budget * (1 - SLACK) || (full.cash !== undefined && next * unitCost > full.cash * (1 - SLACK));
          expect(breaks).toBe(true);
        } else {
          expect(quantity).toBe(0);
        }
      }),
      RUNS,
    );
  });
});
