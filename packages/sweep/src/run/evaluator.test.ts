import { BacktestEngine } from '@algo-trading/backtesting';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { smaCross, smaCrossSignals } from '@algo-trading/strategies';
import { readBarsCsv } from '@algo-trading/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeBarsCsv } from '../../test/helpers';
import { failingSmaCross, wrongLength } from '../../test/fixtures/strategies';
import type { WorkUnit } from '../results/row';
import { Evaluator } from './evaluator';
import { LruIndicatorCache } from './indicator-cache';
import type { RunOptions } from './run-options';

let bars: Awaited<ReturnType<typeof readBarsCsv>>;
let remove: () => void;
beforeAll(async () => {
  const t = tempDir();
  remove = t.remove;
  bars = await readBarsCsv(writeBarsCsv(t.dir, { bars: 600 }));
});
afterAll(() => remove());

const runOptions: RunOptions = {
  engine: { initialCapital: 50_000, commissionPct: 0.001, slippageBps: 5 },
  risk: { hardStopPct: 0.04 },
  sizing: { method: 'fixed_fractional', riskFraction: 0.02 },
};

/** The same run built by hand from the libraries (the path the evaluator must match). */
async function direct(fast: number, slow: number, start: number, end: number) {
  const engine = new BacktestEngine({
    initialCapital: 50_000,
    commissionPct: 0.001,
    slippageBps: 5,
    riskManager: new RiskManager({ initialCapital: 50_000, hardStopPct: 0.04 }),
    positionSizer: new FixedFractionalSizing({ riskFraction: 0.02 }),
  });
  const signals = smaCrossSignals(bars.close.subarray(0, end), { fast, slow });
  return engine.runBacktest({ data: bars.slice(start, end), signals: signals.subarray(start) });
}

function unit(params: Record<string, number>, start: number, end: number): WorkUnit {
  return { index: 0, combination: 0, key: 'k', params, fold: null, segment: start === 0 && end === bars.length ? 'full' : 'train', start, end };
}

describe('Evaluator', () => {
  it('records every numeric result of the same backtest built by hand', async () => {
    const evaluator = new Evaluator({ bars, strategy: smaCross, runOptions, cache: new LruIndicatorCache(), worker: 'me' });
    const { row } = await evaluator.run(unit({ fast: 5, slow: 20 }, 0, bars.length));
    const expected = await direct(5, 20, 0, bars.length);
    expect(row.error).toBeNull();
    expect(row.worker).toBe('me');
    expect(row.metrics!['sharpeRatio']).toBe(expected.sharpeRatio);
    expect(row.metrics!['finalEquity']).toBe(expected.finalEquity);
    expect(row.metrics!['maxDrawdown']).toBe(expected.maxDrawdown);
    expect(row.tradeCount).toBe(expected.tradeCount);
    expect(expected.tradeCount).toBeGreaterThan(3);
    expect(Object.keys(row.metrics!).sort()).toEqual(
      Object.entries(expected)
        .filter(([, v]) => typeof v === 'number')
        .map(([k]) => k)
        .sort(),
    );
  });

  it('runs a window on signals computed from every bar before its end only', async () => {
    const evaluator = new Evaluator({ bars, strategy: smaCross, runOptions, cache: new LruIndicatorCache(), worker: 'me' });
    const { row } = await evaluator.run(unit({ fast: 3, slow: 10 }, 200, 450));
    const expected = await direct(3, 10, 200, 450);
    expect(row.metrics!['bars']).toBe(250);
    expect(row.metrics!['totalReturn']).toBe(expected.totalReturn);
    expect(row.metrics!['sharpeRatio']).toBe(expected.sharpeRatio);
  });

  it('gives the same row whatever ran before on the same engine', async () => {
    const fresh = new Evaluator({ bars, strategy: smaCross, runOptions, cache: new LruIndicatorCache(), worker: 'me' });
    const used = new Evaluator({ bars, strategy: smaCross, runOptions, cache: new LruIndicatorCache(), worker: 'me' });
    await used.run(unit({ fast: 8, slow: 30 }, 0, bars.length));
    await used.run(unit({ fast: 3, slow: 10 }, 100, 300));
    const a = await fresh.run(unit({ fast: 5, slow: 20 }, 0, bars.length));
    const b = await used.run(unit({ fast: 5, slow: 20 }, 0, bars.length));
    expect({ ...b.row, runMs: 0 }).toEqual({ ...a.row, runMs: 0 });
  });

  it('turns a throwing combination, rejected parameters and malformed decisions into rows with an error', async () => {
    const cache = new LruIndicatorCache();
    const failing = new Evaluator({ bars, strategy: failingSmaCross, runOptions, cache, worker: 'me' });
    const thrown = (await failing.run(unit({ fast: 7, slow: 20 }, 0, bars.length))).row;
    expect(thrown.metrics).toBeNull();
    expect(thrown.tradeCount).toBeNull();
    expect(thrown.error).toEqual({ code: 'RangeError', message: 'fast 7 is not supported by this test strategy' });
    const ok = (await failing.run(unit({ fast: 6, slow: 20 }, 0, bars.length))).row;
    expect(ok.error).toBeNull();

    const strict = new Evaluator({ bars, strategy: smaCross, runOptions, cache, worker: 'me' });
    expect((await strict.run(unit({ fast: 20, slow: 5 }, 0, bars.length))).row.error).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'invalid parameters {"fast":20,"slow":5}: fast: fast must be less than slow',
    });
    const short = new Evaluator({ bars, strategy: wrongLength, runOptions, cache, worker: 'me' });
    expect((await short.run(unit({ n: 10 }, 0, bars.length))).row.error).toEqual({
      code: 'INVALID_DATA',
      message: 'the strategy returned signals of length 10 for 600 bars',
    });
  });

  it('computes each SMA once per view through the cache', async () => {
    const cache = new LruIndicatorCache();
    const evaluator = new Evaluator({ bars, strategy: smaCross, runOptions, cache, worker: 'me' });
    for (const [fast, slow] of [
      [3, 10],
      [3, 20],
      [5, 10],
      [5, 20],
    ]) {
      await evaluator.run(unit({ fast: fast!, slow: slow! }, 0, bars.length));
    }
    expect(cache.stats).toMatchObject({ misses: 4, hits: 4 });
    await evaluator.run(unit({ fast: 3, slow: 10 }, 0, 300));
    expect(cache.stats).toMatchObject({ misses: 6, hits: 4 });
  });
});
