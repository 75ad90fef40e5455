import type { PositionSizer } from '@algo-trading/core';
import { generateUniverse } from '@algo-trading/data';
import { RiskManager } from '@algo-trading/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { flat } from './helpers';

/** A sizer that always answers `quantity`. */
const fixed = (quantity: number): PositionSizer => ({
  method: 'fixed',
  calculate: (r) => ({ quantity, riskAmount: 0, riskFraction: 0, riskPerUnit: 0, positionValue: quantity * r.entryPrice, limitedBy: 'risk' }),
  calculateSize: () => quantity,
});

/** A manager with only the portfolio limits under test (no stops, no heat, no position cap). */
const limitsOnly = (options: { maxOpenPositions?: number; maxGrossExposure?: number }) =>
  new RiskManager({
    initialCapital: 1000,
    hardStopPct: null,
    trailingStopPct: null,
    takeProfitPct: null,
    timeStopDays: null,
    maxPortfolioHeat: null,
    dailyLossLimitPct: null,
    maxPositionPct: 1,
    minConfidence: 0,
    ...options,
  });

const costless = { commissionPct: 0, slippageBps: 0 } as const;

describe('the RiskManager portfolio limits inside a multi-symbol run', () => {
  it('maxOpenPositions refuses a third symbol while two are open; an exit first frees the slot', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless, riskManager: limitsOnly({ maxOpenPositions: 2 }), positionSizer: fixed(10) });
    await engine.runBacktest({
      data: { A: flat([10, 10, 10, 10], 'A'), B: flat([10, 10, 10, 10], 'B'), C: flat([10, 10, 10, 10], 'C') },
      signals: { A: [1, -1, 0, 0], B: [1, 0, 0, 0], C: [1, 1, 0, 0] },
    });
    // Day 1's open: A and B fill, C is the third: refused. Day 2's open: A's exit fills first
    // (exits_first), then C's held signal enters.
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.barIndex])).toEqual([
      ['A', 'buy', 1],
      ['B', 'buy', 1],
      ['A', 'sell', 2],
      ['C', 'buy', 2],
    ]);
    const [refusal] = engine.getRejections();
    expect(refusal).toMatchObject({ symbol: 'C', barIndex: 1 });
    expect(refusal!.reasons).toEqual([{ code: 'max_open_positions', message: '2 positions are open, the maximum is 2: C would open one more' }]);
  });

  it('the order sequence decides whether an exit frees the slot for an entry at the same open', async () => {
    // Day 1: B and C open. Day 2's open: C exits and A enters. In universe order (A, B, C) A's
    // entry comes before C's exit: refused with 'submission', filled after it with 'exits_first'.
    const run = async (orderSequence: 'exits_first' | 'submission') => {
      const engine = new BacktestEngine({ initialCapital: 1000, ...costless, orderSequence, riskManager: limitsOnly({ maxOpenPositions: 2 }), positionSizer: fixed(10) });
      await engine.runBacktest({
        data: { A: flat([10, 10, 10, 10], 'A'), B: flat([10, 10, 10, 10], 'B'), C: flat([10, 10, 10, 10], 'C') },
        signals: { A: [0, 1, 0, 0], B: [1, 0, 0, 0], C: [1, -1, 0, 0] },
      });
      return engine;
    };
    const exitsFirst = await run('exits_first');
    expect(exitsFirst.getFills().map((f) => [f.symbol, f.side, f.barIndex])).toEqual([
      ['B', 'buy', 1],
      ['C', 'buy', 1],
      ['C', 'sell', 2],
      ['A', 'buy', 2],
    ]);
    expect(exitsFirst.getRejections()).toEqual([]);
    const submission = await run('submission');
    expect(submission.getFills().map((f) => [f.symbol, f.side, f.barIndex])).toEqual([
      ['B', 'buy', 1],
      ['C', 'buy', 1],
      ['C', 'sell', 2],
    ]);
    expect(submission.getRejections().map((r) => [r.symbol, r.barIndex, r.reasons[0]!.code])).toEqual([['A', 2, 'max_open_positions']]);
  });

  it('maxGrossExposure sums |market value| across symbols, shorts included', async () => {
    const engine = new BacktestEngine({
      initialCapital: 1000,
      ...costless,
      allowShort: true,
      maxLeverage: 2,
      riskManager: limitsOnly({ maxGrossExposure: 0.5 }),
      positionSizer: fixed(30),
    });
    await engine.runBacktest({
      data: { A: flat([10, 10, 10], 'A'), B: flat([10, 10, 10], 'B') },
      signals: { A: [-1, 0, 0], B: [1, 0, 0] },
    });
    // A's short of 300 is 30% of equity; B's 300 more would make 60% > 50%.
    expect(engine.getFills().map((f) => [f.symbol, f.side])).toEqual([['A', 'sell']]);
    const [refusal] = engine.getRejections();
    expect(refusal!.symbol).toBe('B');
    expect(refusal!.reasons).toEqual([
      { code: 'gross_exposure', message: 'gross exposure would be 60.00% of equity (600.00 / 1000.00), above the maximum 50.00%' },
    ]);
  });

  it('never holds more than maxOpenPositions, and every entry kept the gross exposure within the cap (property)', async () => {
    let entries = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 3 }), fc.double({ min: 0.05, max: 0.3, noNaN: true }), async (seed, maxOpen, cap) => {
        const data = generateUniverse({ symbols: 5, bars: 40, seed, missingRate: 0.1, volatility: 0.02 });
        const symbols = [...data.keys()];
        const signals = Object.fromEntries(
          symbols.map((s, k) => [s, fc.sample(fc.constantFrom(-1, 0, 0, 1), { numRuns: data.get(s)!.length, seed: seed + k })]),
        );
        const engine = new BacktestEngine({
          initialCapital: 10_000,
          commissionPct: 0.001,
          slippageBps: 2,
          riskManager: limitsOnly({ maxOpenPositions: maxOpen, maxGrossExposure: cap }),
          positionSizer: fixed(10),
        });
        await engine.runBacktest({ data, signals });
        const { positions } = engine.getHoldings();
        const slices = engine.getEquityCurve().time.length;
        for (let i = 0; i < slices; i++) {
          let open = 0;
          for (const s of symbols) if (positions[s]![i] !== 0) open++;
          expect(open).toBeLessThanOrEqual(maxOpen);
        }
        // Replays the book from the fills: before each slice's fills every position is marked at
        // its latest close; each opening fill must keep (gross of the others + its symbol's value
        // after it) within cap x (equity - its commission), as the manager saw the book then.
        const time = engine.getEquityCurve().time;
        const qty = new Map<string, number>();
        const last = new Map<string, number>();
        const closeAtOrBefore = (symbol: string, t: number): number => {
          const bars = data.get(symbol)!;
          let close = Number.NaN;
          for (let j = 0; j < bars.length && bars.time[j]! <= t; j++) close = bars.close[j]!;
          return close;
        };
        let cash = 10_000;
        let slice = -1;
        let checked = 0;
        for (const f of engine.getFills()) {
          if (f.barIndex !== slice) {
            slice = f.barIndex;
            for (const sym of qty.keys()) if (qty.get(sym) !== 0 && slice > 0) last.set(sym, closeAtOrBefore(sym, time[slice - 1]!));
          }
          const signed = f.side === 'buy' ? f.quantity : -f.quantity;
          if (f.effect === 'open') {
            let equity = cash;
            let others = 0;
            for (const [sym, q] of qty) {
              equity += q * last.get(sym)!;
              if (sym !== f.symbol) others += Math.abs(q) * last.get(sym)!;
            }
            const held = qty.get(f.symbol) ?? 0;
            const after = Math.abs(held * (held === 0 ? 0 : last.get(f.symbol)!) + signed * f.price);
            expect(others + after).toBeLessThanOrEqual(cap * (equity - f.commission) * (1 + 1e-9));
            checked++;
          }
          qty.set(f.symbol, (qty.get(f.symbol) ?? 0) + signed);
          last.set(f.symbol, f.price);
          cash += -signed * f.price - f.commission;
        }
        entries += checked;
        for (const r of engine.getRejections()) {
          for (const reason of r.reasons) expect(['max_open_positions', 'gross_exposure', 'cash', 'no_short']).toContain(reason.code);
        }
      }),
      { numRuns: 25 },
    );
    expect(entries).toBeGreaterThan(0); // the replay checked entries, not an empty run
  });
});
