import { catchAlgoTradingError, type Logger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { computeMetrics, type PerformanceMetrics } from './compute-metrics';
import { drawdownPeriods } from './drawdown';

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

  it('matches an independent computation from the published definitions', () => {
    // Expected values computed here from the definitions (empyrical's, as docs/ and the README
    // state them), written independently of the package: plain loops over the 9 returns.
    const rf = 0.0001;
    const m = computeMetrics({ equity, periodsPerYear: 252, riskFree: rf, trades });
    const r = equity.slice(1).map((e, i) => e / equity[i]! - 1);
    const n = r.length;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const std1 = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
    // Linear interpolation between order statistics (numpy's default percentile).
    const percentile = (xs: number[], q: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const h = (sorted.length - 1) * q;
      const lo = Math.floor(h);
      return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
    };
    const excess = r.map((x) => x - rf);
    const totalReturn = 10_450 / 10_000 - 1;
    const cagr = (1 + totalReturn) ** (252 / n) - 1;
    // Downside deviation over ALL observations: sqrt(mean(min(r - rf, 0)^2)), annualized.
    const downside = Math.sqrt(mean(excess.map((x) => Math.min(x, 0) ** 2))) * Math.sqrt(252);
    const maxDrawdown = 9_800 / 10_300 - 1; // peak 10,300 (bar 4) to 9,800 (bar 6)
    // Stability: R^2 of the least-squares line through cumsum(log1p(r)) against 0..n-1.
    const y: number[] = [];
    r.reduce((c, x) => (y.push(c + Math.log1p(x)), c + Math.log1p(x)), 0);
    const xMean = (n - 1) / 2;
    const yMean = mean(y);
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    y.forEach((v, i) => {
      sxx += (i - xMean) ** 2;
      sxy += (i - xMean) * (v - yMean);
      syy += (v - yMean) ** 2;
    });
    const sorted = [...r].sort((a, b) => a - b);
    const expected: Partial<Record<keyof PerformanceMetrics, number>> = {
      totalReturn,
      cagr,
      annualVolatility: std1(r) * Math.sqrt(252),
      sharpeRatio: (mean(excess) / std1(excess)) * Math.sqrt(252),
      downsideRisk: downside,
      sortinoRatio: (mean(excess) * 252) / downside,
      maxDrawdown,
      calmarRatio: cagr / Math.abs(maxDrawdown),
      valueAtRisk: percentile(r, 0.05),
      // floor((9 - 1) x 0.05) + 1 = 1 smallest return.
      conditionalValueAtRisk: sorted[0]!,
      omegaRatio: excess.reduce((a, x) => a + Math.max(x, 0), 0) / excess.reduce((a, x) => a + Math.max(-x, 0), 0),
      tailRatio: Math.abs(percentile(r, 0.95)) / Math.abs(percentile(r, 0.05)),
      stability: (sxy * sxy) / (sxx * syy),
    };
    for (const [key, value] of Object.entries(expected)) {
      expect(Math.abs(m[key as keyof PerformanceMetrics] - value) / Math.abs(value), key).toBeLessThan(1e-12);
    }
    expect(m.observations).toBe(9);
    expect(m.periodsPerYear).toBe(252);
    expect(m.finalEquity).toBe(10_450);
    // Trades by hand: wins 100 and 500, one loss of 200; R multiples 100 / 50 = 2 and -200 / 100 = -2
    // (the third trade has no initial risk); payoff = average win 300 / |average loss| 200.
    expect(m).toMatchObject({
      tradeCount: 3,
      winRate: 2 / 3,
      profitFactor: 600 / 200,
      expectancy: 0,
      averageWin: 300,
      averageLoss: -200,
      averageTradePnl: 400 / 3,
      payoffRatio: 1.5,
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
    // 5% a year is 1.05^(1/252) - 1 per bar; Sharpe = mean(r - rf) / std(r - rf, ddof 1) x sqrt(252).
    const rf = Math.pow(1.05, 1 / 252) - 1;
    const excess = equity.slice(1).map((e, i) => e / equity[i]! - 1 - rf);
    const mean = excess.reduce((x, y) => x + y, 0) / excess.length;
    const std = Math.sqrt(excess.reduce((x, y) => x + (y - mean) ** 2, 0) / (excess.length - 1));
    expect(Math.abs(a.sharpeRatio / ((mean / std) * Math.sqrt(252)) - 1)).toBeLessThan(1e-12);
    expect(catchAlgoTradingError(() => computeMetrics({ equity, riskFree: 0.05 }), 'INVALID_CONFIG').message).toContain('annualRiskFree');
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
