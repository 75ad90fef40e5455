import { AlgoTradingError, catchAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine, type Strategy, type StrategyContext } from '../src/index';
import { bars, ohlcPath, rejects, signalsOf } from './helpers';

const data = bars([
  [100, 101, 99, 100],
  [101, 103, 100, 102],
  [102, 104, 101, 103],
  [105, 106, 104, 105],
]);

describe('strategy-callback mode', () => {
  it('calls onBar once per bar with the bars up to the current one', async () => {
    const seen: number[][] = [];
    const strategy: Strategy = {
      onBar(ctx) {
        seen.push([ctx.index, ctx.bars.length, ctx.bars.close(ctx.index), ctx.time]);
        return 0;
      },
    };
    await new BacktestEngine({ initialCapital: 1_000 }).run({ data, strategy });
    expect(seen.map((s) => s.slice(0, 3))).toEqual([
      [0, 1, 100],
      [1, 2, 102],
      [2, 3, 103],
      [3, 4, 105],
    ]);
  });

  it('makes look-ahead impossible: reading a later bar throws', async () => {
    let message = '';
    const strategy: Strategy = {
      onBar(ctx) {
        if (ctx.index === 1) message = catchAlgoTradingError(() => ctx.bars.close(2), 'INVALID_ARGUMENT').message;
        return 0;
      },
    };
    await new BacktestEngine({ initialCapital: 1_000 }).run({ data, strategy });
    expect(message).toContain('look-ahead');
  });

  it('wraps an error thrown by onBar with the bar index and time, keeping it as the cause', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'close')");
    const strategy: Strategy = {
      onBar(ctx) {
        if (ctx.index === 2) throw bug;
        return 0;
      },
    };
    const error = await rejects(
      new BacktestEngine({ initialCapital: 1_000 }).run({ data, strategy }),
      'INVALID_CONFIG',
      `strategy.onBar failed at bar 2 (${new Date(data.time[2]!).toISOString()}): TypeError: Cannot read properties of undefined`,
    );
    expect(error.cause).toBe(bug);
    expect(error.details).toMatchObject({ field: 'strategy', index: 2 });
    // A typed error keeps its code.
    const typed: Strategy = {
      onBar() {
        throw new AlgoTradingError('INVALID_DATA', 'feature 3 is NaN');
      },
    };
    await rejects(new BacktestEngine({ initialCapital: 1_000 }).run({ data, strategy: typed }), 'INVALID_DATA', 'strategy.onBar failed at bar 0', 'feature 3 is NaN');
  });

  it('bounds every accessor and the column views', async () => {
    const lengths: number[] = [];
    const strategy: Strategy = {
      onBar(ctx) {
        lengths.push(ctx.bars.column('close').length);
        for (const read of [ctx.bars.open, ctx.bars.high, ctx.bars.low, ctx.bars.volume, ctx.bars.time]) {
          expect(() => read.call(ctx.bars, ctx.index + 1)).toThrow(/look-ahead/);
        }
        expect(() => ctx.bars.close(-1)).toThrow(/expected an integer/);
        expect(() => ctx.bars.close(0.5)).toThrow(/expected an integer/);
        return 0;
      },
    };
    await new BacktestEngine({ initialCapital: 1_000 }).run({ data, strategy });
    expect(lengths).toEqual([1, 2, 3, 4]);
  });

  it('shows the position, cash and equity after the bar', async () => {
    const views: unknown[] = [];
    const strategy: Strategy = {
      onBar(ctx: StrategyContext) {
        views.push({ side: ctx.position.side, quantity: ctx.position.quantity, cash: ctx.cash, equity: ctx.equity });
        return ctx.index === 0 ? 1 : 0;
      },
    };
    await new BacktestEngine({ initialCapital: 1_000, commissionPct: 0, slippageBps: 0 }).run({ data, strategy });
    // entry at bar 1's open 101: floor(1000 / 101) = 9 units, cash 91
    expect(views).toEqual([
      { side: null, quantity: 0, cash: 1_000, equity: 1_000 },
      { side: 'long', quantity: 9, cash: 91, equity: 91 + 9 * 102 },
      { side: 'long', quantity: 9, cash: 91, equity: 91 + 9 * 103 },
      { side: 'long', quantity: 9, cash: 91, equity: 91 + 9 * 105 },
    ]);
  });

  it('accepts decisions with confidence and levels, and rejects malformed ones naming the bar', async () => {
    const engine = new BacktestEngine({ initialCapital: 1_000, commissionPct: 0, slippageBps: 0 });
    await engine.run({ data, strategy: { onBar: (ctx) => (ctx.index === 0 ? { signal: 1, stopLoss: 90, takeProfit: 120, confidence: 0.8 } : undefined) } });
    expect(engine.getOpenPositions()[0]).toMatchObject({ stopLoss: 90, takeProfit: 120 });
    await rejects(engine.run({ data, strategy: { onBar: () => 2 as never } }), 'INVALID_DATA', 'bar 0', 'signal');
    await rejects(engine.run({ data, strategy: { onBar: () => ({ signal: 1, confidence: 1.5 }) } }), 'INVALID_DATA', 'confidence', '1.5');
    await rejects(engine.run({ data, strategy: { onBar: () => ({ signal: 1, stopLoss: -1 }) } }), 'INVALID_DATA', 'stopLoss', '-1');
    await rejects(engine.run({ data, strategy: {} as Strategy }), 'INVALID_ARGUMENT', 'onBar');
    await rejects(engine.run({ data, strategy: { onBar: async () => 1 } as never }), 'INVALID_DATA', 'synchronously');
  });

  it('calls onStart once with the symbol', async () => {
    const starts: string[] = [];
    await new BacktestEngine({ initialCapital: 1_000 }).run({ data, strategy: { onStart: (info) => starts.push(info.symbol), onBar: () => 0 } });
    expect(starts).toEqual(['TEST']);
  });

  it('gives results identical to the signals mode for the same decisions', async () => {
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(2, 40).chain((series) =>
          fc.record({
            series: fc.constant(series),
            signals: signalsOf(series.length),
            stops: fc.array(fc.option(fc.double({ min: 0.8, max: 0.99, noNaN: true }), { nil: undefined }), { minLength: series.length, maxLength: series.length }),
            fillAt: fc.constantFrom('next_open' as const, 'close' as const),
            allowShort: fc.boolean(),
          }),
        ),
        async ({ series, signals, stops, fillAt, allowShort }) => {
          // Long stops below the close (shorts above), NaN = none.
          const levels = stops.map((f, i) => (f === undefined ? NaN : signals[i] === -1 ? series.close[i]! / f : series.close[i]! * f));
          const options = { initialCapital: 10_000, fillAt, allowShort, closeAtEnd: true } as const;
          const a = new BacktestEngine(options);
          const b = new BacktestEngine(options);
          const ra = await a.runBacktest({ data: series, signals, stopLosses: levels });
          const rb = await b.run({
            data: series,
            strategy: { onBar: (ctx) => ({ signal: signals[ctx.index] as -1 | 0 | 1, stopLoss: levels[ctx.index] }) },
          });
          expect(rb).toEqual(ra);
          expect(b.getFills()).toEqual(a.getFills());
          expect(b.getTrades()).toEqual(a.getTrades());
          expect(b.getRejections()).toEqual(a.getRejections());
          expect(b.getEquityCurve()).toEqual(a.getEquityCurve());
        },
      ),
      { numRuns: 100 },
    );
  });
});
