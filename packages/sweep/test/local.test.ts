// @long-running: runs sweeps on worker-thread pools (started first, see tools/config/long-running-first.ts).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Evaluator,
  LruIndicatorCache,
  prepareSweep,
  runSweep,
  selectBest,
  type SweepResult,
  type SweepRow,
} from '../src/index';
import { FIXTURES, smaSpec, stable, tempDir } from './helpers';
import { writeBarsCsv } from './helpers';

// Worker threads start from the TypeScript sources (tsx in each thread): slow on a busy machine.
const PROCESS_TIMEOUT = 240_000;

let dir: string;
let remove: () => void;
let csv: string;
let oneWorker: SweepResult;

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  csv = writeBarsCsv(dir, { bars: 1500 });
  oneWorker = await runSweep({ spec: smaSpec(csv), baseDir: dir, workers: 1, chunkSize: 2 });
}, PROCESS_TIMEOUT);
afterAll(() => remove());

describe('runSweep on worker threads', () => {
  it('gives the same rows, in the same order, with 1 and 2 workers', async () => {
    const twoWorkers = await runSweep({ spec: smaSpec(csv), baseDir: dir, workers: 2, chunkSize: 1 });
    expect(oneWorker.complete).toBe(true);
    expect(oneWorker.rows).toHaveLength(9);
    expect(oneWorker.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(twoWorkers.rows.map(stable)).toEqual(oneWorker.rows.map(stable));
    expect(twoWorkers.summary.best?.key).toBe(oneWorker.summary.best?.key);
    expect(twoWorkers.summary.deflatedSharpe).toBe(oneWorker.summary.deflatedSharpe);
    expect(oneWorker.stats.threads).toBe(1);
    expect(twoWorkers.stats.threads).toBe(2);
    // Every row ran without error and traded.
    expect(oneWorker.rows.every((r) => r.error === null && (r.tradeCount ?? 0) > 0)).toBe(true);
  }, PROCESS_TIMEOUT);

  it('computes each indicator once per worker, not once per combination', () => {
    // 9 combinations read 18 SMAs over 6 distinct periods (3, 5, 8, 10, 20, 30); one thread
    // computes each period once. The deflated-Sharpe re-run of the best uses its own cache.
    expect(oneWorker.stats.indicatorCache).toEqual({ hits: 12, misses: 6, evictions: 0 });
  });

  it('summarises the sweep: best row, trials, Sharpe variance, neighbourhood', () => {
    const s = oneWorker.summary;
    const best = selectBest(oneWorker.rows, oneWorker.objective)!;
    expect(s.best).toEqual(best);
    expect(s.trials).toBe(9);
    const sharpes = oneWorker.rows.map((r) => r.metrics!['sharpeRatio']!);
    const mean = sharpes.reduce((a, b) => a + b, 0) / 9;
    expect(s.sharpeVariance).toBeCloseTo(sharpes.reduce((a, b) => a + (b - mean) ** 2, 0) / 8, 12);
    expect(s.deflatedSharpe).toBeGreaterThanOrEqual(0);
    expect(s.deflatedSharpe).toBeLessThanOrEqual(1);
    expect(s.neighbourhood?.best).toBe(best.metrics!['sharpeRatio']);
    expect(s.neighbourhood!.neighbours).toBeGreaterThanOrEqual(3);
  });

  it('records a combination that throws with its error and goes on', async () => {
    const result = await runSweep({
      spec: smaSpec(csv, { strategy: `${join(FIXTURES, 'strategies.ts')}#failingSmaCross`, parameters: { fast: [5, 7, 9], slow: [20] } }),
      baseDir: dir,
      workers: 2,
      chunkSize: 3,
    });
    expect(result.complete).toBe(true);
    expect(result.rows.map((r) => r.error?.message ?? null)).toEqual([null, 'fast 7 is not supported by this test strategy', null]);
    expect(result.rows[1]!.metrics).toBeNull();
    expect(result.rows[2]!.metrics!['tradeCount']).toBeGreaterThan(0);
    expect(result.summary.errors).toBe(1);
    expect(result.summary.trials).toBe(3);
  }, PROCESS_TIMEOUT);

  it('stops on abort keeping what is finished, and a resumed run completes it without redoing it', async () => {
    const spec = smaSpec(csv, {
      strategy: `${join(FIXTURES, 'strategies.ts')}#slowSmaCross`,
      parameters: { fast: [3, 4, 5, 6], slow: [10, 20, 30], delayMs: 200 },
    });
    const controller = new AbortController();
    const seen: SweepRow[] = [];
    const partial = await runSweep({
      spec,
      baseDir: dir,
      workers: 2,
      chunkSize: 1,
      signal: controller.signal,
      onRows: (rows) => {
        seen.push(...rows);
        if (seen.length >= 3) controller.abort();
      },
    });
    expect(partial.complete).toBe(false);
    expect(partial.rows.length).toBeGreaterThanOrEqual(3);
    expect(partial.rows.length).toBeLessThan(12);
    expect(partial.rows.map((r) => r.key).sort()).toEqual(seen.map((r) => r.key).sort());

    const fresh: SweepRow[] = [];
    const resumed = await runSweep({ spec, baseDir: dir, workers: 2, resume: partial.rows, onRows: (rows) => fresh.push(...rows) });
    expect(resumed.complete).toBe(true);
    expect(resumed.rows).toHaveLength(12);
    expect(fresh).toHaveLength(12 - partial.rows.length);
    // The finished rows were kept as they were, not run again.
    for (const row of partial.rows) expect(resumed.rows[row.index]).toEqual(row);
    const whole = await runSweep({ spec, baseDir: dir, workers: 2, chunkSize: 3 });
    expect(resumed.rows.map(stable)).toEqual(whole.rows.map(stable));
  }, PROCESS_TIMEOUT);

  it('walk-forward: each fold picks its best on train only and is scored on test', async () => {
    const spec = smaSpec(csv, { walkForward: { trainSize: 600, testSize: 250, embargo: 10 } });
    const result = await runSweep({ spec, baseDir: dir, workers: 2 });
    expect(result.complete).toBe(true);
    expect(result.folds).toHaveLength(3);
    expect(result.rows).toHaveLength(27);
    const prepared = await prepareSweep({ spec, baseDir: dir });
    const evaluator = new Evaluator({ bars: prepared.data.bars, strategy: prepared.strategy, runOptions: prepared.runOptions, cache: new LruIndicatorCache(), worker: 'test' });
    for (const fold of result.folds!) {
      const train = result.rows.filter((r) => r.fold === fold.fold);
      expect(train.every((r) => r.segment === 'train' && r.start === fold.trainStart && r.end === fold.trainEnd)).toBe(true);
      const best = selectBest(train, result.objective);
      expect(fold.best).toEqual(best);
      expect(fold.test).not.toBeNull();
      expect(fold.test!.params).toEqual(best!.params);
      expect([fold.test!.start, fold.test!.end]).toEqual([fold.testStart, fold.testEnd]);
      expect(fold.testStart - fold.trainEnd).toBe(10);
      const direct = await evaluator.run({ ...fold.test!, index: 0 });
      expect(fold.test!.metrics).toEqual(direct.row.metrics);
    }
    expect(result.summary.outOfSample).toMatchObject({ folds: 3, tested: 3 });
    expect(result.summary.best).toBeNull();
  }, PROCESS_TIMEOUT);
});
