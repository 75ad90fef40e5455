import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSampleBars } from '@algo-trading/data';
import { describe, expect, it } from 'vitest';
import { openStore, parseStoreReference } from '../src/index';
import { tempDir, writeText } from './helpers';

// Keeps the package README's example true: the same calls, in a temporary working folder.
describe('README example', () => {
  it('imports, loads, records, compares and exports as the README shows', async () => {
    const cwd = process.cwd();
    const dir = tempDir();
    process.chdir(dir);
    try {
      mkdirSync('data');
      writeText('data', 'SPY.csv', 'Date,Open,High,Low,Close,Volume\n2024-01-02,472.16,473.67,470.49,472.65,123623700\n2024-01-03,470.43,471.19,468.17,468.79,103585900\n');
      writeText('data', 'QQQ.csv', 'Date,Open,High,Low,Close,Volume\n2024-01-02,405.11,405.7,400.77,402.68,68492300\n2024-01-03,400.6,402.67,399.49,399.77,55510300\n');

      // --- README example ---
      const store = await openStore({ path: 'data/algo-trading.duckdb' });
      try {
        // Bars: files or folders of CSV / Parquet; idempotent; one transaction per import.
        const imported = await store.importBars({ files: ['data/SPY.csv', 'data/QQQ.csv'], timeframe: '1d' });
        expect([imported.inserted, imported.unchanged, imported.conflicting]).toEqual([4, 0, 0]); // README: 4 0 0

        const again = await store.importBars({ files: 'data' }); // the folder: same rows, nothing changes
        expect([again.inserted, again.unchanged]).toEqual([0, 4]); // README: 0 4

        await store.writeBars({ bars: loadSampleBars('sp500'), timeframe: '1d', source: 'sample:sp500' });

        const { symbols, timeframe } = parseStoreReference('store:SPY,QQQ@1d');
        const universe = await store.loadBars({ symbols, timeframe, from: '2024-01-01' });
        expect(universe.QQQ!.close[1]).toBe(399.77); // README: 399.77
        const sp500 = await store.loadBars({ symbols: 'SP500' });
        expect(sp500.length).toBe(5105); // README: 5105

        const id = await store.recordRun({
          command: 'backtest',
          configHash: 'sha256-of-the-config',
          dataHash: 'sha256-of-the-bars',
          codeVersion: '@algo-trading/cli@0.1.0',
          strategy: 'sma-crossover',
          parameters: { fast: 10, slow: 30 },
          metrics: { totalReturn: 0.12, sharpeRatio: 1.4, maxDrawdown: -0.08 },
          equityCurve: { time: sp500.time, equity: sp500.close },
        });
        const runs = await store.listRuns({ limit: 20 });
        expect(runs[0]!.metrics.sharpeRatio).toBe(1.4); // README: 1.4
        const comparison = await store.compareRuns([id]);
        expect(comparison.metrics.map((m) => m.name)).toEqual(['totalReturn', 'sharpeRatio', 'maxDrawdown']);

        const exported = await store.exportParquet({ table: 'bars', path: 'export/bars.parquet', symbols: ['SPY'] });
        expect(exported.rows).toBe(2); // README: 2
      } finally {
        await store.close();
      }
      // --- end of the README example ---
      expect(existsSync(join(dir, 'export', 'bars.parquet'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  }, 120_000); // imports, runs and exports through a real database file: slow on a loaded machine
});
