import { readFileSync } from 'node:fs';
import { BarSeries } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';

// The risk package's README example of the manager inside the engine runs as written (imports
// and type annotations stripped) and gives what the README says. It runs here because the risk
// package does not depend on the engine.
const readme = readFileSync(new URL('../../risk/README.md', import.meta.url), 'utf8');
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;

describe('risk README: the manager inside the engine', () => {
  it("a limit entry with a bracket, the manager's protection and a custom commission model", async () => {
    const example = readme.split('## Example: inside the backtest engine')[1]!.split('```ts')[1]!.split('```')[0]!;
    const body = example.replace(/^import [\s\S]*?;$/gm, '').replace(/: CommissionContext/g, '');
    const fn = new AsyncFunction('BarSeries', 'BacktestEngine', 'RiskManager', 'FixedFractionalSizing', `${body}\nreturn { orders, fills };`);
    const { orders, fills } = (await fn(BarSeries, BacktestEngine, RiskManager, FixedFractionalSizing)) as { orders: unknown[][]; fills: unknown[][] };
    expect(orders).toEqual([
      ['order', 'limit', 99, 'filled'],
      ['stop_loss', 'trailing_stop', 96, 'cancelled'],
      ['take_profit', 'limit', 99 * 1.04, 'filled'],
      ['time_stop', 'market', null, 'cancelled'],
    ]);
    expect(fills).toEqual([
      ['buy', 25, 99, 1, 'entry'],
      ['sell', 25, 99 * 1.04, 1, 'take_profit'],
    ]);
    expect(99 * 1.04).toBeCloseTo(102.96, 12);
    expect(example).toContain("// [['buy', 25, 99, 1, 'entry'], ['sell', 25, 102.96, 1, 'take_profit']]");
  });
});
