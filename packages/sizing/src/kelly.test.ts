import { describe, expect, it } from 'vitest';
import { expectRejects } from '../test/helpers';
import { KellyCriterion, kellyOptionsSchema } from './kelly';

const base = { capital: 10_000, entryPrice: 100 } as const;
const stats = { winRate: 0.6, avgWin: 300, avgLoss: 100 } as const;

describe('KellyCriterion: hand-computed sizes', () => {
  const sizer = new KellyCriterion();

  it('applies the product defaults', () => {
    expect(sizer.method).toBe('kelly');
    expect(sizer.options).toEqual({
      kellyFraction: 0.25,
      minWinRate: 0.4,
      maxRiskFraction: 0.02,
      maxPositionFraction: 0.25,
      lotSize: 1,
    });
  });

  it('worked example: the 2% risk ceiling, then the position cap', () => {
    // R = 300 / 100 = 3; f* = 0.6 - 0.4 / 3 = 0.4667; x 0.25 = 0.1167 -> capped at 0.02.
    // 10,000 x 0.02 / 3 = 66.7 units by risk; cap 2,500 / 100 = 25.
    expect(sizer.calculate({ ...base, stopLossPrice: 97, ...stats })).toEqual({
      quantity: 25,
      riskAmount: 75,
      riskFraction: 0.02,
      riskPerUnit: 3,
      positionValue: 2_500,
      limitedBy: 'max_position',
    });
  });

  it('the fractional Kelly binds below the ceiling', () => {
    // R = 2; f* = 0.5 - 0.5 / 2 = 0.25; x 0.05 = 0.0125 < 0.02.
    // 10,000 x 0.0125 / (100 - 90) = 12.5 -> 12 units (cap 25).
    const small = new KellyCriterion({ kellyFraction: 0.05 });
    expect(small.calculate({ ...base, stopLossPrice: 90, winRate: 0.5, avgWin: 200, avgLoss: 100 })).toEqual({
      quantity: 12,
      riskAmount: 120,
      riskFraction: 0.0125,
      riskPerUnit: 10,
      positionValue: 1_200,
      limitedBy: 'risk',
    });
  });

  it('the ceiling binds and the risk budget sizes (stop 90)', () => {
    // risk fraction 0.02 (see above): 200 / 10 = 20 units <= 25.
    expect(sizer.calculate({ ...base, stopLossPrice: 90, ...stats })).toMatchObject({ quantity: 20, riskFraction: 0.02, limitedBy: 'risk' });
  });

  it('sizes shorts', () => {
    // Same numbers with the stop above: 200 / 10 = 20.
    expect(sizer.calculateSize({ ...base, stopLossPrice: 110, side: 'short', ...stats })).toBe(20);
    expect(() => sizer.calculateSize({ ...base, stopLossPrice: 110, ...stats })).toThrow(/for a long position .*got 110/);
    expect(sizer.calculateSize({ ...base, stopLossPrice: 103, side: 'short', ...stats })).toBe(25);
  });

  it('applies riskMultiplier after the ceiling', () => {
    // 0.02 x 0.5 = 0.01; 100 / 10 = 10.
    expect(sizer.calculate({ ...base, stopLossPrice: 90, ...stats, riskMultiplier: 0.5 })).toMatchObject({
      quantity: 10,
      riskFraction: 0.01,
      limitedBy: 'risk',
    });
  });

  it('declines below the minimum win rate', () => {
    expect(sizer.calculate({ ...base, stopLossPrice: 97, winRate: 0.39, avgWin: 1_000, avgLoss: 100 })).toEqual({
      quantity: 0,
      riskAmount: 0,
      riskFraction: 0,
      riskPerUnit: 3,
      positionValue: 0,
      limitedBy: 'min_win_rate',
    });
    // At the minimum it trades: f* = 0.4 - 0.6 / 3 = 0.2 -> 0.05 -> ceiling 0.02 -> cap 25.
    expect(sizer.calculateSize({ ...base, stopLossPrice: 97, winRate: 0.4, avgWin: 300, avgLoss: 100 })).toBe(25);
  });

  it('declines without an edge', () => {
    // f* = 0.5 - 0.5 / 1 = 0.
    expect(sizer.calculate({ ...base, stopLossPrice: 97, winRate: 0.5, avgWin: 100, avgLoss: 100 })).toMatchObject({
      quantity: 0,
      riskFraction: 0,
      limitedBy: 'zero_edge',
    });
    // f* = 0.45 - 0.55 / 1 = -0.1.
    expect(sizer.calculate({ ...base, stopLossPrice: 97, winRate: 0.45, avgWin: 100, avgLoss: 100 })).toMatchObject({
      quantity: 0,
      limitedBy: 'zero_edge',
    });
    // Break-even W = 1 / (1 + R) with R = 9: f* = 0.1 - 0.9 / 9 is 1.4e-17 in floats, exactly 0 in fact.
    const permissive = new KellyCriterion({ minWinRate: 0 });
    expect(permissive.calculate({ ...base, stopLossPrice: 97, winRate: 0.1, avgWin: 9, avgLoss: 1 })).toMatchObject({
      quantity: 0,
      limitedBy: 'zero_edge',
    });
  });

  it('a certain win has edge 1 (still capped)', () => {
    // f* = 1 - 0 = 1; x 0.25 -> ceiling 0.02; 200 / 10 = 20.
    expect(sizer.calculateSize({ ...base, stopLossPrice: 90, winRate: 1, avgWin: 1e-300, avgLoss: 1e300 })).toBe(20);
  });

  it('reports degenerate input after the Kelly gates', () => {
    expect(sizer.calculate({ ...base, capital: 0, stopLossPrice: 97, ...stats })).toMatchObject({ quantity: 0, limitedBy: 'zero_capital' });
    expect(sizer.calculate({ ...base, stopLossPrice: 100, ...stats })).toMatchObject({ quantity: 0, limitedBy: 'zero_risk' });
    expect(sizer.calculate({ ...base, stopLossPrice: 100, ...stats, winRate: 0.1 })).toMatchObject({ limitedBy: 'min_win_rate' });
  });
});

describe('KellyCriterion: statistics from the options', () => {
  // The engine's request carries no Kelly statistics: they come from the options.
  const configured = new KellyCriterion({ winRate: 0.5, avgWin: 200, avgLoss: 100, kellyFraction: 0.05 });

  it('sizes from the configured statistics', () => {
    // f* = 0.5 - 0.5 / 2 = 0.25; x 0.05 = 0.0125; 125 / 10 = 12.5 -> 12.
    expect(configured.calculate({ ...base, stopLossPrice: 90 })).toMatchObject({ quantity: 12, riskFraction: 0.0125, limitedBy: 'risk' });
  });

  it("a request's statistics take precedence, field by field", () => {
    // winRate 0.6 from the request: f* = 0.6 - 0.4 / 2 = 0.4; x 0.05 = 0.02; 200 / 10 = 20.
    expect(configured.calculate({ ...base, stopLossPrice: 90, winRate: 0.6 })).toMatchObject({ quantity: 20, riskFraction: 0.02 });
    // avgLoss 200 from the request: R = 1, f* = 0 -> declined.
    expect(configured.calculate({ ...base, stopLossPrice: 90, avgLoss: 200 })).toMatchObject({ quantity: 0, limitedBy: 'zero_edge' });
  });

  it('a configured win rate below the minimum declines', () => {
    expect(new KellyCriterion({ winRate: 0.3, avgWin: 500, avgLoss: 100 }).calculate({ ...base, stopLossPrice: 90 })).toMatchObject({
      quantity: 0,
      limitedBy: 'min_win_rate',
    });
  });

  it('names the missing statistic and where it may come from', () => {
    const partial = new KellyCriterion({ winRate: 0.6, avgWin: 300 });
    expectRejects(
      () => partial.calculate({ ...base, stopLossPrice: 90 }),
      'INVALID_ARGUMENT',
      'avgLoss',
      'avgLoss is required by kelly sizing, got undefined (pass it in the request or in the KellyCriterion options)',
    );
  });

  it.each([
    ['winRate', { winRate: -0.1 }],
    ['winRate', { winRate: Number.NaN }],
    ['avgWin', { avgWin: 0 }],
    ['avgWin', { avgWin: Infinity }],
    ['avgLoss', { avgLoss: -1 }],
  ])('rejects a bad configured %s', (key, options) => {
    expectRejects(() => new KellyCriterion(options), 'INVALID_CONFIG', key);
  });
});

describe('KellyCriterion: illegal input', () => {
  const sizer = new KellyCriterion();
  const request = { ...base, stopLossPrice: 97, ...stats };

  it.each([
    ['winRate', { winRate: undefined }, 'winRate is required by kelly sizing'],
    ['avgWin', { avgWin: undefined }, 'avgWin is required by kelly sizing'],
    ['avgLoss', { avgLoss: undefined }, 'avgLoss is required by kelly sizing'],
    ['stopLossPrice', { stopLossPrice: undefined }, 'stopLossPrice is required by kelly sizing'],
    ['winRate', { winRate: 1.2 }, 'winRate must be a number in [0, 1], got 1.2'],
    ['winRate', { winRate: -0.1 }, 'got -0.1'],
    ['winRate', { winRate: Number.NaN }, 'got NaN'],
    ['avgWin', { avgWin: 0 }, 'avgWin must be a finite number greater than 0, got 0'],
    ['avgWin', { avgWin: Infinity }, 'got Infinity'],
    ['avgLoss', { avgLoss: 0 }, 'avgLoss must be a finite number greater than 0, got 0'],
    ['avgLoss', { avgLoss: -100 }, 'got -100'],
  ])('rejects %s: %o', (field, patch, message) => {
    expectRejects(() => sizer.calculate({ ...request, ...patch }), 'INVALID_ARGUMENT', field, message);
  });
});

describe('KellyCriterion: options', () => {
  it.each([
    ['kellyFraction', { kellyFraction: 0 }],
    ['kellyFraction', { kellyFraction: 1.5 }],
    ['minWinRate', { minWinRate: 1.1 }],
    ['minWinRate', { minWinRate: -0.1 }],
    ['maxRiskFraction', { maxRiskFraction: 0 }],
    ['maxPositionFraction', { maxPositionFraction: 2 }],
    ['lotSize', { lotSize: 0 }],
    ['kelly_fraction', { kelly_fraction: 0.5 }],
  ])('rejects a bad %s', (key, options) => {
    expectRejects(() => new KellyCriterion(options as never), 'INVALID_CONFIG', key);
  });

  it('exports its schema with the defaults', () => {
    expect(kellyOptionsSchema.parse({ kellyFraction: 0.5 })).toMatchObject({ kellyFraction: 0.5, minWinRate: 0.4 });
  });
});
