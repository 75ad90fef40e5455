import { BarSeries, type Fill } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at, expectError } from './helpers';

const bars = BarSeries.fromColumns({
  time: [at(0), at(1), at(2), at(3)],
  open: [100, 101, 104, 99],
  high: [101, 106, 108, 100],
  low: [99, 100, 103, 95],
  close: [100, 104, 107, 96],
});

function entry(): Fill {
  return {
    time: at(0), barIndex: 0, orderId: -1, symbol: 'X', side: 'buy', effect: 'open', quantity: 10, price: 100,
    referencePrice: 100, commission: 0, slippageCost: 0, reason: 'entry',
  };
}

/** Drives one manager through the price methods and one through the index fast paths. */
function both(options: ConstructorParameters<typeof RiskManager>[0]) {
  const slow = new RiskManager(options);
  const fast = new RiskManager(options);
  for (const rm of [slow, fast]) {
    rm.reset({ initialCapital: 10_000, time: at(0) });
    rm.onFill(entry(), { stopLoss: 97, takeProfit: 120 });
  }
  return { slow, fast };
}

describe('RiskManager index fast paths (checkExitAt, markAt)', () => {
  it('checkExitAt and markAt give the results and the state of checkExit, updatePrice and markToMarket', () => {
    const { slow, fast } = both({ trailingStopPct: 0.02, trailingActivationPct: 0.03 });
    const reasons: unknown[][] = [[], []];
    for (let i = 1; i < bars.length; i++) {
      const a = slow.checkExit('X', bars.open[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!, bars.time[i]!);
      const b = fast.checkExitAt('X', bars, i);
      reasons[0]!.push(a, slow.lastExitPrice);
      reasons[1]!.push(b, fast.lastExitPrice);
      if (a !== null) break;
      slow.updatePrice('X', bars.close[i]!);
      reasons[0]!.push(slow.markToMarket(bars.time[i]!));
      reasons[1]!.push(fast.markAt('X', bars, i, true));
    }
    // Bar 1 arms the trailing stop (high 106 >= entry x 1.03) at 106 x 0.98 = 103.88; bar 2
    // opens above it and trades down through it (low 103): a trailing stop at 103.88.
    expect(reasons[1]![0]).toBeNull();
    expect(reasons[1]![2]).toBe('none');
    expect(reasons[1]![3]).toBe('trailing_stop');
    expect(reasons[1]![4]).toBeCloseTo(103.88, 12);
    expect(reasons[1]).toHaveLength(5);
    expect(fast.getPositions()).toEqual(slow.getPositions());
    expect(fast.getRiskMetrics()).toEqual(slow.getRiskMetrics());
    expect(Array.from(fast.getReturns())).toEqual(Array.from(slow.getReturns()));
  });

  it('markAt without a position marks the book at the bar time only', () => {
    const rm = new RiskManager();
    rm.reset({ initialCapital: 10_000, time: at(0) });
    expect(rm.markAt('X', bars, 1, false)).toBe('none');
    expect(rm.getRiskMetrics()).toMatchObject({ equity: 10_000, periods: 1 });
  });

  it('rejects an index outside the bars and a symbol without a position', () => {
    const { fast } = both({});
    expectError(() => fast.checkExitAt('X', bars, 4), 'INVALID_ARGUMENT', /index must be an integer in \[0, 3\], got 4/);
    expectError(() => fast.markAt('X', bars, 1.5, true), 'INVALID_ARGUMENT', /index must be an integer/);
    expectError(() => fast.checkExitAt('Y', bars, 1), 'NOT_FOUND', /checkExitAt: no open position in "Y"/);
    expectError(() => fast.markAt('Y', bars, 1, true), 'NOT_FOUND', /markAt: no open position in "Y"/);
  });
});
