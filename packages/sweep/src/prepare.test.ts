import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BarSeries, isAlgoTradingError, sha256Hex } from '@algo-trading/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, smaSpec, tempDir, writeBarsCsv } from '../test/helpers';
import { prepareSweep, unitKey, type PrepareSweepOptions } from './prepare';

let dir: string;
let remove: () => void;
let csv: string;

beforeAll(() => {
  ({ dir, remove } = tempDir());
  csv = writeBarsCsv(dir, { bars: 400 });
});
afterAll(() => remove());

async function failure(options: PrepareSweepOptions): Promise<{ code: string; message: string; field: unknown }> {
  try {
    await prepareSweep(options);
  } catch (error) {
    if (isAlgoTradingError(error)) return { code: error.code, message: error.message, field: error.details.field };
    throw error;
  }
  throw new Error('expected prepareSweep to fail');
}

describe('prepareSweep', () => {
  it('expands the grid into units keyed by the spec hash, the parameters and the bar range', async () => {
    const prepared = await prepareSweep({ spec: smaSpec(csv), baseDir: dir });
    expect(prepared.combinations.map((c) => c.params)).toEqual([
      { fast: 3, slow: 10 },
      { fast: 3, slow: 20 },
      { fast: 3, slow: 30 },
      { fast: 5, slow: 10 },
      { fast: 5, slow: 20 },
      { fast: 5, slow: 30 },
      { fast: 8, slow: 10 },
      { fast: 8, slow: 20 },
      { fast: 8, slow: 30 },
    ]);
    expect(prepared.units).toHaveLength(9);
    expect(prepared.units[4]).toEqual({
      index: 4,
      combination: 4,
      key: unitKey(prepared.specHash, { fast: 5, slow: 20 }, 0, 400),
      params: { fast: 5, slow: 20 },
      fold: null,
      segment: 'full',
      start: 0,
      end: 400,
    });
    expect(prepared.metricNames).toEqual(expect.arrayContaining(['sharpeRatio', 'totalReturn', 'maxDrawdown', 'tradeCount', 'finalEquity']));
    expect(prepared.data.ref).toMatchObject({ kind: 'file', path: csv, length: 400 });
    expect(prepared.data.ref.hash).toBe(sha256Hex(await import('node:fs').then((fs) => fs.readFileSync(csv))));
  });

  it('keeps the spec hash for the same rows and changes it with the data or the engine', async () => {
    const a = await prepareSweep({ spec: smaSpec(csv), baseDir: dir });
    const b = await prepareSweep({ spec: smaSpec(csv, { parameters: { fast: [3], slow: [10] }, objective: 'totalReturn' }), baseDir: dir });
    expect(b.specHash).toBe(a.specHash);
    expect(b.units[0]!.key).toBe(a.units[0]!.key);
    const other = writeBarsCsv(dir, { bars: 400, seed: 8, name: 'other.csv' });
    expect((await prepareSweep({ spec: smaSpec(other), baseDir: dir })).specHash).not.toBe(a.specHash);
    const costs = smaSpec(csv, { engine: { initialCapital: 100_000, commissionPct: 0.002 } });
    expect((await prepareSweep({ spec: costs, baseDir: dir })).specHash).not.toBe(a.specHash);
  });

  it('plans walk-forward train units per fold', async () => {
    const prepared = await prepareSweep({ spec: smaSpec(csv, { walkForward: { trainSize: 200, testSize: 50, embargo: 5 } }), baseDir: dir });
    expect(prepared.folds).toEqual([
      { fold: 0, trainStart: 0, trainEnd: 200, testStart: 205, testEnd: 255 },
      { fold: 1, trainStart: 50, trainEnd: 250, testStart: 255, testEnd: 305 },
      { fold: 2, trainStart: 100, trainEnd: 300, testStart: 305, testEnd: 355 },
    ]);
    expect(prepared.units).toHaveLength(27);
    expect(prepared.units[9]).toMatchObject({ index: 9, combination: 0, fold: 1, segment: 'train', start: 50, end: 250 });
  });

  describe('bad input: a clear error naming the field, before any work', () => {
    it('an unknown parameter', async () => {
      expect(await failure({ spec: smaSpec(csv, { parameters: { fast: [3], slow: [10], period: [2] } }), baseDir: dir })).toEqual({
        code: 'INVALID_CONFIG',
        message: 'parameters.period: unknown parameter of @algo-trading/strategies#smaCross (its parameters: fast, slow)',
        field: 'parameters.period',
      });
    });

    it('a parameter the strategy needs but the spec lacks', async () => {
      expect((await failure({ spec: smaSpec(csv, { parameters: { fast: [3] }, constraints: [] }), baseDir: dir })).message).toBe(
        'parameters: @algo-trading/strategies#smaCross needs the parameter slow (give a value or a grid)',
      );
    });

    it('a value the strategy rejects', async () => {
      const e = await failure({ spec: smaSpec(csv, { parameters: { fast: [0, 3], slow: [10] } }), baseDir: dir });
      expect(e.field).toBe('parameters.fast');
      expect(e.message).toMatch(/^parameters.fast: @algo-trading\/strategies#smaCross rejects the value 0: expected an integer greater than or equal to 1/);
    });

    it('an empty grid', async () => {
      expect((await failure({ spec: smaSpec(csv, { parameters: { fast: [], slow: [10] } }), baseDir: dir })).message).toBe(
        'parameters.fast: empty grid: the list of values is empty',
      );
    });

    it('a strategy module that cannot be imported, or has no such export, or is not a strategy', async () => {
      const missing = await failure({ spec: smaSpec(csv, { strategy: './nope.js#x' }), baseDir: dir });
      expect(missing.field).toBe('strategy');
      expect(missing.message).toMatch(/^strategy: cannot import \.\/nope\.js: .*nope\.js cannot be read/);
      const noPackage = await failure({ spec: smaSpec(csv, { strategy: 'no-such-package#x' }), baseDir: dir });
      expect(noPackage.message).toMatch(/^strategy: cannot import no-such-package: no such package/);
      const noExport = await failure({ spec: smaSpec(csv, { strategy: '@algo-trading/strategies#smaCros' }), baseDir: dir });
      expect(noExport.message).toMatch(/^strategy: @algo-trading\/strategies#smaCros: the module has no export "smaCros" \(exports: .*smaCross/);
      const notOne = await failure({ spec: smaSpec(csv, { strategy: join(FIXTURES, 'strategies.ts#notAStrategy') }), baseDir: dir });
      expect(notOne.message).toContain('export "notAStrategy" is not a parameterized strategy');
      const broken = join(dir, 'broken.mjs');
      writeFileSync(broken, 'export const x = ;\n');
      const syntax = await failure({ spec: smaSpec(csv, { strategy: './broken.mjs#x' }), baseDir: dir });
      expect(syntax.message).toMatch(/^strategy: cannot import \.\/broken\.mjs#x: /);
    });

    it('engine, risk and sizing options, checked by their libraries', async () => {
      const e = await failure({
        spec: smaSpec(csv, {
          engine: { initialCapital: 100_000, commissionPct: 2, slipageBps: 1 },
          risk: { hardStopPct: -1 },
          sizing: { method: 'fixed_fractional', riskFraction: 5 },
        }),
        baseDir: dir,
      });
      expect(e.code).toBe('INVALID_CONFIG');
      expect(e.field).toBe('engine.commissionPct');
      expect(e.message.split('\n')).toEqual([
        'Invalid sweep spec:',
        'engine.commissionPct: expected a number at least 0 and less than 1, got 2',
        'engine.slipageBps: unknown key (check the spelling)',
        expect.stringMatching(/^risk\.hardStopPct: .*got -1$/),
        expect.stringMatching(/^sizing\.riskFraction: .*got 5$/),
      ]);
      expect((await failure({ spec: smaSpec(csv, { sizing: { method: 'martingale' } }), baseDir: dir })).field).toBe('sizing.method');
      expect((await failure({ spec: smaSpec(csv, { engine: { initialCapital: 1, riskManager: {} } }), baseDir: dir })).message).toBe(
        'Invalid sweep spec:\nengine.riskManager: give the RiskManager options under risk',
      );
    });

    it('an unknown objective metric', async () => {
      const e = await failure({ spec: smaSpec(csv, { objective: { metric: 'sharpe' } }), baseDir: dir });
      expect(e.field).toBe('objective.metric');
      expect(e.message).toMatch(/^objective.metric: unknown metric "sharpe" \(metrics: .*sharpeRatio/);
    });

    it('unknown keys and wrong shapes of the spec', async () => {
      const e = await failure({ spec: { ...smaSpec(csv), paramters: {} }, baseDir: dir, source: 'spec.yaml' });
      expect(e.message).toBe('Invalid sweep spec spec.yaml:\nparamters: unknown key (check the spelling)');
      const step = await failure({ spec: smaSpec(csv, { parameters: { fast: { from: 1, to: 5, step: -1 }, slow: [10] } }), baseDir: dir });
      expect(step.message).toBe('Invalid sweep spec:\nparameters.fast.step: expected a step greater than 0, got -1');
    });

    it('a walk-forward that does not fit the data', async () => {
      const e = await failure({ spec: smaSpec(csv, { walkForward: { trainSize: 300, testSize: 200 } }), baseDir: dir });
      expect(e.message).toBe('walkForward: trainSize (300) + embargo (0) + testSize (200) = 500 exceeds n (400): no fold fits');
    });

    it('data that cannot be found or resolved', async () => {
      expect(await failure({ spec: smaSpec('./missing.csv'), baseDir: dir })).toMatchObject({ code: 'NOT_FOUND', field: 'data' });
      expect((await failure({ spec: smaSpec('sample:nasdaq'), baseDir: dir })).message).toBe('data: unknown sample "nasdaq" (samples: sp500, stocks)');
      expect((await failure({ spec: smaSpec('store:SPY@1d'), baseDir: dir })).message).toBe(
        'data: no resolver for "store:" references (store:SPY@1d); store references are loaded by @algo-trading/store: pass its resolver as dataResolvers.store',
      );
    });

    it('checks Redis (beforeLoad) before loading the data', async () => {
      let loaded = false;
      const e = await prepareSweep({
        spec: smaSpec('./missing.csv'),
        baseDir: dir,
        beforeLoad: async () => {
          loaded = true;
          throw new Error('Redis first');
        },
      }).catch((error: Error) => error.message);
      expect(loaded).toBe(true);
      expect(e).toBe('Redis first');
    });
  });

  it('loads a store: reference through its resolver, hashing the bars', async () => {
    const bars = BarSeries.fromColumns({ time: [1, 2, 3, 4], open: [1, 2, 3, 4], high: [2, 3, 4, 5], low: [1, 1, 2, 3], close: [2, 3, 4, 5] }, { symbol: 'SPY' });
    const seen: string[] = [];
    const prepared = await prepareSweep({
      spec: smaSpec('store:SPY@1d', { parameters: { fast: [1], slow: [2] } }),
      baseDir: dir,
      dataResolvers: { store: (reference) => (seen.push(reference), { bars }) },
    });
    expect(seen).toEqual(['SPY@1d']);
    expect(prepared.data.ref).toMatchObject({ kind: 'resolver', name: 'store', reference: 'SPY@1d', length: 4, symbol: 'SPY' });
  });
});
