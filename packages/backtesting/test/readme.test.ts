import { readFileSync } from 'node:fs';
import { BarSeries } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing, PercentOfEquitySizing } from '@algo-trading/sizing';
import { describe, expect, it } from 'vitest';
import { BacktestEngine, type BacktestResults } from '../src/index';

// The README's examples run as written (imports and type annotations stripped) and give what the
// README says they give.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;

function example(heading: string): string {
  const section = readme.split(`## ${heading}`)[1]!;
  return section.split('```ts')[1]!.split('```')[0]!;
}

async function run<T>(heading: string, returned: string): Promise<T> {
  const body = example(heading)
    .replace(/^import .*$/gm, '')
    .replace(/: CommissionContext/g, '');
  const fn = new AsyncFunction('BarSeries', 'BacktestEngine', 'RiskManager', 'FixedFractionalSizing', 'PercentOfEquitySizing', `${body}\nreturn ${returned};`);
  return (await fn(BarSeries, BacktestEngine, RiskManager, FixedFractionalSizing, PercentOfEquitySizing)) as T;
}

describe('README examples', () => {
  it('several symbols: shared cash, a symbol without a bar marked at its last close, a delisting', async () => {
    const { engine, results } = await run<{ engine: BacktestEngine; results: BacktestResults }>('Example: several symbols with shared cash', '{ engine, results }');
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.quantity, f.price, f.reason])).toEqual([
      ['AAPL', 'buy', 49, 102, 'entry'],
      ['MSFT', 'buy', 98, 51, 'entry'],
      ['MSFT', 'sell', 98, 55, 'delisted'],
    ]);
    expect(Array.from(engine.getEquityCurve().equity)).toEqual([10_000, 10_000, 4 + 49 * 104 + 98 * 51, 4 + 98 * 55 + 49 * 103, 10_588]);
    expect(results.finalEquity).toBe(10_588);
    expect(results.perSymbol['MSFT']).toMatchObject({ pnl: 392, contribution: 0.0392, trades: 1, exposure: 0.4 });
    expect(results.perSymbol['AAPL']).toMatchObject({ pnl: 196, trades: 0, exposure: 0.8 });
    const { positions } = engine.getHoldings();
    expect(Array.from(positions['AAPL']!)).toEqual([0, 49, 49, 49, 49]);
    expect(Array.from(positions['MSFT']!)).toEqual([0, 98, 98, 0, 0]);
  });

  it('signals with a risk manager: enters at the next open with slippage, sizes at the stop, exits at the target', async () => {
    const { engine, results } = await run<{ engine: BacktestEngine; results: BacktestResults }>('Example: signals, a risk manager, a sizer', '{ engine, results }');
    const [entry, exit] = engine.getFills();
    const fillPrice = 101 * 1.0005;
    expect(entry!.price).toBeCloseTo(fillPrice, 12);
    // 1% of 10,000 at a 3% stop is 32 units; the 25% cap allows 2,500 / 101.05 = 24
    expect(entry!.quantity).toBe(24);
    expect(exit).toMatchObject({ barIndex: 2, reason: 'take_profit' });
    // The target is a limit order: it fills at its level, never worse (no slippage below it).
    expect(exit!.referencePrice).toBeCloseTo(fillPrice * 1.05, 10);
    expect(exit!.price).toBe(exit!.referencePrice);
    expect(results.tradeCount).toBe(1);
    // 24 x (exit - entry) less 0.15% commission on both legs, on 10,000 (the exit at the target, 1.05 x entry).
    const exitPrice = fillPrice * 1.05;
    const pnl = 24 * (exitPrice - fillPrice) - 0.0015 * 24 * (fillPrice + exitPrice);
    expect(engine.getTrades()[0]!.pnl).toBeCloseTo(pnl, 9);
    expect(results.totalReturn).toBeCloseTo(pnl / 10_000, 12);
    expect(results.finalEquity).toBeCloseTo(10_000 + pnl, 9);
    expect(engine.getEquityCurve().equity).toHaveLength(4);
    // The manager's protective orders: a trailing stop-loss, the take-profit and the time stop.
    expect(engine.getOrders().map((o) => [o.role, o.type, o.status])).toEqual([
      ['entry', 'market', 'filled'],
      ['stop_loss', 'trailing_stop', 'cancelled'],
      ['take_profit', 'limit', 'filled'],
      ['time_stop', 'market', 'cancelled'],
    ]);
  });

  it('a limit entry with a bracket', async () => {
    const { fills, orders } = await run<{ fills: unknown; orders: unknown }>('Example: a limit entry with a bracket', '{ fills, orders }');
    expect(fills).toEqual([
      [1, 'buy', 99, 'entry'],
      [2, 'sell', 104, 'take_profit'],
    ]);
    expect(orders).toEqual([
      [0, 'order', 'limit', null, 'filled'],
      [1, 'stop_loss', 'stop', 0, 'cancelled'],
      [2, 'take_profit', 'limit', 0, 'filled'],
      [3, 'order', 'limit', null, 'accepted'],
    ]);
    const text = example('Example: a limit entry with a bracket');
    expect(text).toContain("// [[1, 'buy', 99, 'entry'], [2, 'sell', 104, 'take_profit']]");
    expect(text).toContain("[3, 'order', 'limit', null, 'accepted']]");
  });

  it('instruments, a long-format frame and target weights from the strategy', async () => {
    const { engine, results } = await run<{ engine: BacktestEngine; results: BacktestResults }>(
      'Example: instruments, a long-format frame, target weights from the strategy',
      '{ engine, results }',
    );
    expect(engine.getFills().map((f) => [f.symbol, f.quantity, f.price, f.commission])).toEqual([
      ['ETH', 199.8, 20.55, 1],
      ['SPY', 50, 101.11, 0],
    ]);
    // Cash: 10,000 - 199.8 x 20.55 - 1 - 50 x 101.11 = 837.61.
    expect(results.finalCash).toBeCloseTo(837.61, 9);
    expect(results.finalEquity).toBeCloseTo(837.61 + 50 * 102 + 199.8 * 21.4, 9);
    expect(results.finalEquity).toBeCloseTo(10_213.33, 9);
  });

  it('a custom commission model', async () => {
    const { costs } = await run<{ costs: [string, number, number][] }>('Example: a custom commission model', '{ costs }');
    expect(costs.map(([side, quantity]) => [side, quantity])).toEqual([
      ['buy', 199],
      ['sell', 199],
    ]);
    // Buy: 199 x 0.005 = 0.995, the $1 minimum. Sell at 51 - half of 2 bp: $1 minimum + 0.02% of 199 x 50.9949.
    expect(costs[0]![2]).toBe(1);
    expect(costs[1]![2]).toBeCloseTo(1 + 0.0002 * 199 * (51 - 51 * 0.0001), 12);
    expect(example('Example: a custom commission model')).toContain(`['sell', 199, ${costs[1]![2].toFixed(4)}...]`);
  });
});
