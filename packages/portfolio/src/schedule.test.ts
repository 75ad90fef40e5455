import { isAlgoTradingError, type BarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { randomBars } from '../test/helpers';
import { rebalanceSchedule, type RebalanceMethod } from './schedule';

const universe = () =>
  new Map(
    ['AAA', 'BBB', 'CCC', 'DDD'].map((symbol, k) => [symbol, randomBars({ seed: 11 + k, days: 320, symbol, volatility: 0.01 + 0.005 * k })] as const),
  );

/** The universe with every bar after `time` removed. */
function truncated(u: Map<string, BarSeries>, time: number): Map<string, BarSeries> {
  return new Map([...u].map(([s, bars]) => {
    let end = 0;
    while (end < bars.length && bars.time[end]! <= time) end++;
    return [s, bars.slice(0, end)] as const;
  }));
}

describe('rebalanceSchedule', () => {
  it.each<RebalanceMethod>(['hrp', 'min_variance', 'max_sharpe', 'risk_parity', 'inverse_volatility'])(
    '%s: the weights at a date do not change when later data is removed',
    async (method) => {
      const u = universe();
      const full = await rebalanceSchedule({ universe: u, lookback: 60, every: 'month', method, constraints: { riskFreeRate: -0.01 } });
      expect(full.time.length).toBeGreaterThan(8);
      for (const k of [0, 3, full.time.length - 2]) {
        const t = full.time[k]!;
        const cut = await rebalanceSchedule({ universe: truncated(u, t), lookback: 60, every: 'month', method, constraints: { riskFreeRate: -0.01 } });
        expect(cut.time[cut.time.length - 1]).toBe(t);
        expect(cut.time.length).toBe(k + 1);
        for (const symbol of full.symbols) {
          expect(Array.from(cut.weights[symbol]!)).toEqual(Array.from(full.weights[symbol]!.slice(0, k + 1)));
        }
      }
    },
  );

  it('rebalances at the first bar of each month, once the window is full, weights summing to 1', async () => {
    const s = await rebalanceSchedule({ universe: universe(), lookback: 60, every: 'month', method: 'hrp' });
    const months = Array.from(s.time, (t) => new Date(t).toISOString().slice(0, 7));
    expect(new Set(months).size).toBe(months.length);
    for (let k = 1; k < s.time.length; k++) {
      const previousDay = new Date(s.time[k]! - 86_400_000 * (new Date(s.time[k]!).getUTCDay() === 1 ? 3 : 1));
      expect(previousDay.getUTCMonth()).not.toBe(new Date(s.time[k]!).getUTCMonth());
    }
    for (let k = 0; k < s.time.length; k++) {
      const total = s.symbols.reduce((sum, sym) => sum + s.weights[sym]![k]!, 0);
      expect(total).toBeCloseTo(1, 14);
    }
  });

  it('every n rows and equal weights', async () => {
    const s = await rebalanceSchedule({ universe: universe(), lookback: 20, every: 50, method: 'equal_weight' });
    expect(s.time.length).toBe(Math.floor((319 - 20) / 50) + 1);
    expect(s.weights.AAA![0]).toBe(0.25);
  });

  it('a symbol without a full window weighs 0 until it has one', async () => {
    const u = universe();
    const late = randomBars({ seed: 99, days: 200, symbol: 'NEW', start: '2015-06-01T00:00:00Z' });
    u.set('NEW', late);
    const s = await rebalanceSchedule({ universe: u, lookback: 40, every: 'month', method: 'inverse_volatility' });
    const firstFull = late.time[40]!;
    for (let k = 0; k < s.time.length; k++) {
      if (s.time[k]! < firstFull) expect(s.weights.NEW![k]).toBe(0);
      else expect(s.weights.NEW![k]).toBeGreaterThan(0);
    }
  });

  it('names bad options and a window the estimator cannot use', async () => {
    const expectError = async (p: Promise<unknown>, pattern: RegExp) => {
      try {
        await p;
      } catch (error) {
        expect(isAlgoTradingError(error)).toBe(true);
        expect((error as Error).message).toMatch(pattern);
        return;
      }
      throw new Error('expected an error');
    };
    await expectError(rebalanceSchedule({ universe: universe(), lookback: 1000, every: 5, method: 'hrp' }), /lookback 1000 is longer than the 319 return rows/);
    await expectError(rebalanceSchedule({ universe: universe(), lookback: 20, every: 'fortnight' as never, method: 'hrp' }), /every/);
    await expectError(
      rebalanceSchedule({ universe: { symbols: ['a', 'b'], values: [[0.1, 0.2], [0.0, 0.1], [0.1, 0.1]] }, lookback: 2, every: 'month', method: 'hrp' }),
      /needs bar times/,
    );
    await expectError(rebalanceSchedule({ universe: universe(), lookback: 3, every: 20, method: 'min_variance' }), /at .* \(row 2\): sample covariance of 4 symbols needs more than 4 return rows/);
  });
});
