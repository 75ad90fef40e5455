import { isAlgoTradingError, type Logger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { computeMetrics, type PerformanceMetrics } from './compute-metrics';
import { drawdownPeriods } from './drawdown';
import { annualVolatility, cagr, returnsFromEquity, stability, totalReturn } from './returns';
import { calmarRatio, downsideRisk, omegaRatio, sharpeRatio, sortinoRatio, tailRatio } from './ratios';
import { maxDrawdown } from './drawdown';
import { conditionalValueAtRisk, valueAtRisk } from './tail-risk';
import { tradeStatistics } from './trades';

const KEYS: (keyof PerformanceMetrics)[] = [
  'totalReturn', 'cagr', 'annualVolatility', 'sharpeRatio', 'sortinoRatio', 'downsideRisk', 'maxDrawdown', 'calmarRatio',
  'valueAtRisk', 'conditionalValueAtRisk', 'omegaRatio', 'tailRatio', 'stability', 'maxDrawdownDuration',
  'maxDrawdownDurationDays', 'periodsPerYear', 'observations', 'tradeCount', 'winRate', 'profitFactor', 'expectancy',
  'averageWin', 'averageLoss', 'averageTradePnl', 'payoffRatio', 'maxConsecutiveLosses', 'finalEquity',
];

const DAY = 86_400_000;
const equity = [10_000, 10_100, 9_900, 10_050, 10_300, 10_200, 9_800, 10_400, 10_500, 10_450];
const times = equity.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY); // every day: a 24/7 calendar
const trades = [
  { pnl: 100, initialRisk: 50 },
  { pnl: -200, initialRisk: 100 },
  { pnl: 500, initialRisk: null },
];

describe('computeMetrics', () => {
  it('returns exactly the documented keys, frozen', () => {
    const m = computeMetrics({ equity });
    expect(Object.keys(m).sort()).toEqual([...KEYS].sort());
    expect(Object.isFrozen(m)).toBe(true);
  });

  it('equals the individual functions on the derived returns', () => {
    const rf = 0.0001;
    const m = computeMetrics({ equity, periodsPerYear: 252, riskFree: rf, trades });
    const r = returnsFromEquity(equity);
    expect(m.totalReturn).toBe(totalReturn(r));
    expect(m.totalReturn).toBeCloseTo(10_450 / 10_000 - 1, 14);
    expect(m.cagr).toBe(cagr(r));
    expect(m.annualVolatility).toBe(annualVolatility(r));
    expect(m.sharpeRatio).toBe(sharpeRatio(r, { riskFree: rf }));
    expect(m.sortinoRatio).toBe(sortinoRatio(r, { requiredReturn: rf }));
    expect(m.downsideRisk).toBe(downsideRisk(r, { requiredReturn: rf }));
    expect(m.maxDrawdown).toBe(maxDrawdown(r));
    expect(m.maxDrawdown).toBeCloseTo(9_800 / 10_300 - 1, 14);
    expect(m.calmarRatio).toBe(calmarRatio(r));
    expect(m.valueAtRisk).toBe(valueAtRisk(r));
    expect(m.conditionalValueAtRisk).toBe(conditionalValueAtRisk(r));
    expect(m.omegaRatio).toBe(omegaRatio(r, { riskFree: rf }));
    expect(m.tailRatio).toBe(tailRatio(r));
    expect(m.stability).toBe(stability(r));
    expect(m.observations).toBe(9);
    expect(m.periodsPerYear).toBe(252);
    expect(m.finalEquity).toBe(10_450);
    const s = tradeStatistics(trades);
    expect(m).toMatchObject({
      tradeCount: 3,
      winRate: 2 / 3,
      profitFactor: 600 / 200,
      expectancy: (2 + -2) / 2,
      averageWin: 300,
      averageLoss: -200,
      averageTradePnl: 400 / 3,
      payoffRatio: s.payoffRatio,
      maxConsecutiveLosses: 1,
    });
  });

  it('drawdown durations: longest episode in bars, and in days with times', () => {
    // episodes: 10100 -> 9900 -> 10300 (bars 1..4 = 3), 10300 -> 9800 -> 10400 (bars 4..7 = 3), 10500 -> 10450 open (1)
    const withoutTimes = computeMetrics({ equity });
    expect(withoutTimes.maxDrawdownDuration).toBe(3);
    expect(withoutTimes.maxDrawdownDurationDays).toBeNaN();
    const withTimes = computeMetrics({ equity, times });
    expect(withTimes.maxDrawdownDurationDays).toBe(3);
    expect(drawdownPeriods(equity)[0]!.durationBars).toBe(3);
  });

  it('infers periodsPerYear from times unless given; logs it', () => {
    const lines: unknown[] = [];
    const logger: Logger = { debug: (o: unknown) => void lines.push(o), info: () => {}, warn: () => {}, error: () => {} };
    expect(computeMetrics({ equity, times, logger }).periodsPerYear).toBe(365);
    expect(lines).toEqual([{ periodsPerYear: 365, inferred: true }]);
    expect(computeMetrics({ equity, times, periodsPerYear: 12 }).periodsPerYear).toBe(12);
    expect(computeMetrics({ equity }).periodsPerYear).toBe(252);
  });

  it('initialValue: first return from it, it is the first peak', () => {
    const m = computeMetrics({ equity: [90, 100, 110], initialValue: 100 });
    expect(m.observations).toBe(3);
    expect(m.totalReturn).toBeCloseTo(0.1, 14);
    expect(m.maxDrawdown).toBeCloseTo(-0.1, 14);
    expect(m.maxDrawdownDuration).toBe(1);
  });

  it('annualRiskFree converts; a riskFree that looks annual is rejected', () => {
    const a = computeMetrics({ equity, annualRiskFree: 0.05 });
    expect(a.sharpeRatio).toBe(sharpeRatio(returnsFromEquity(equity), { riskFree: Math.pow(1.05, 1 / 252) - 1 }));
    const error = (() => {
      try {
        computeMetrics({ equity, riskFree: 0.05 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isAlgoTradingError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toContain('annualRiskFree');
  });

  it('edge cases: empty, one point, no trades', () => {
    const empty = computeMetrics({ equity: [] });
    expect(empty.observations).toBe(0);
    expect(empty.totalReturn).toBeNaN();
    expect(empty.maxDrawdownDuration).toBeNaN();
    expect(empty.finalEquity).toBeNaN();
    expect(empty.tradeCount).toBe(0);
    expect(empty.winRate).toBeNaN();
    expect(computeMetrics({ equity: [], initialValue: 5 }).finalEquity).toBe(5);
    const one = computeMetrics({ equity: [100] });
    expect(one.observations).toBe(0);
    expect(one.maxDrawdown).toBeNaN();
    expect(one.maxDrawdownDuration).toBe(0);
    expect(one.finalEquity).toBe(100);
  });

  it('validates its input', () => {
    expect(() => computeMetrics({ equity: [1, Number.NaN] })).toThrow('equity[1] must be a finite number >= 0, got NaN');
    expect(() => computeMetrics({ equity, times: times.slice(1) })).toThrow(/times must have one entry per equity value \(10\), got 9/);
    expect(() => computeMetrics({ equity, trades: [{ pnl: Number.NaN }] })).toThrow(/trades\[0\]\.pnl/);
    expect(() => computeMetrics({ equity, periodsPerYear: -1 })).toThrow(/periodsPerYear/);
    expect(() => computeMetrics({ equity, riskfree: 0 } as never)).toThrow(/riskfree: unknown key/);
    expect(() => computeMetrics({ equity, logger: {} as never })).toThrow(/logger/);
    expect(() => computeMetrics({} as never)).toThrow(/equity/);
    expect(() => computeMetrics(null as never)).toThrow(/computeMetrics input/);
  });
});

describe('computeMetrics scratch buffers', () => {
  const curve = (n: number, seed: number) => {
    const equity = new Float64Array(n);
    let v = 1000;
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      v *= 1 + (seed / 4294967296 - 0.5) * 0.02;
      equity[i] = v;
    }
    return equity;
  };
  const sameMetrics = (a: PerformanceMetrics, b: PerformanceMetrics) => {
    for (const key of KEYS) expect(Object.is(a[key], b[key]), key).toBe(true);
  };

  it('gives the same result whatever ran before (a longer curve, a shorter one)', () => {
    const small = { equity: curve(20_000, 3), initialValue: 1000 };
    const first = computeMetrics(small);
    computeMetrics({ equity: curve(60_000, 4) });
    sameMetrics(computeMetrics(small), first);
  });

  it('is re-entrant: a trade getter calling computeMetrics does not disturb the outer call', () => {
    const equity = curve(30_000, 9);
    const expected = computeMetrics({ equity, trades: [{ pnl: 5, initialRisk: 1 }] });
    let inner: PerformanceMetrics | undefined;
    const trade = {
      get pnl() {
        inner = computeMetrics({ equity: curve(50_000, 10) });
        return 5;
      },
      initialRisk: 1,
    };
    sameMetrics(computeMetrics({ equity, trades: [trade] }), expected);
    expect(inner?.observations).toBe(49_999);
  });
});
