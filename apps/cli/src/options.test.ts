import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFLICT_POLICIES, RUN_STATUSES, TIMEFRAME_PATTERN } from '@algo-trading/store';
import { OPTIMIZATION_METRICS } from '@algo-trading/strategies';
import { describe, expect, it } from 'vitest';
import { catchError } from '../test/helpers';
import {
  LOG_LEVELS,
  ON_CONFLICT_CHOICES,
  OPTIMIZE_METRICS,
  RUN_STATUS_CHOICES,
  TIMEFRAME_OPTION_PATTERN,
  parseIntegerOption,
  parseLogLevel,
  parseNumberOption,
  parseTimeframeOption,
} from './options';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * The modules a file imports for their values (type-only imports are erased), resolved to files
 * for relative specifiers.
 */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const pattern = /^(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?'([^']+)';/gm;
  for (const match of text.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

/** Every package a module loads at import time, following relative imports. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), `${specifier}.ts`));
      else packages.add(specifier);
    }
  }
  return packages;
}

describe('startup', () => {
  it('the binary loads commander and Node built-ins only; every command imports its own dependencies when it runs', () => {
    const packages = [...packagesLoadedBy(join(SRC, 'cli.ts'))].sort();
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
  });

  it('the store package (and DuckDB) is imported only when a command uses the store', () => {
    // The run commands, the data loader and the sweep load without it: it is imported lazily.
    for (const file of ['commands/backtest.ts', 'commands/walk-forward.ts', 'commands/demo.ts', 'commands/sweep.ts', 'commands/worker.ts', 'commands/train.ts', 'commands/data.ts', 'commands/runs.ts']) {
      const packages = packagesLoadedBy(join(SRC, file));
      expect(packages.has('@algo-trading/store'), file).toBe(false);
      expect([...packages].some((p) => p.startsWith('@duckdb/')), file).toBe(false);
    }
  });

  it('the import scan sees value imports and skips type-only ones; the context loads neither the YAML reader nor the progress bar up front', () => {
    const packages = packagesLoadedBy(join(SRC, 'context.ts'));
    expect(packages.has('@algo-trading/core')).toBe(true);
    expect(packages.has('zod')).toBe(true); // through ./config/schema
    expect(packages.has('cli-progress')).toBe(false); // a type-only import in ./progress: required when a bar is drawn
    expect(packages.has('yaml')).toBe(false); // ./config/load is imported when there is a file to read
    expect(packagesLoadedBy(join(SRC, 'config/load.ts')).has('yaml')).toBe(true);
  });
});

describe('option values', () => {
  it('--metric offers exactly the strategies package metrics', () => {
    expect([...OPTIMIZE_METRICS]).toEqual([...OPTIMIZATION_METRICS]);
  });

  it('--on-conflict and --status offer exactly the store package values', () => {
    expect([...ON_CONFLICT_CHOICES]).toEqual([...CONFLICT_POLICIES]);
    expect([...RUN_STATUS_CHOICES]).toEqual([...RUN_STATUSES]);
  });

  it('--timeframe takes the store package timeframes', () => {
    expect(TIMEFRAME_OPTION_PATTERN.source).toBe(TIMEFRAME_PATTERN.source);
    expect(parseTimeframeOption(' 1d ')).toBe('1d');
    expect(parseTimeframeOption('15m')).toBe('15m');
    for (const bad of ['1x', '0d', 'd', '1D', '']) expect((catchError(() => parseTimeframeOption(bad)) as Error).message).toContain('expected a timeframe such as 1m');
  });

  it('integers and numbers are checked against their bounds', () => {
    expect(parseIntegerOption(1, 1000)('1000')).toBe(1000);
    for (const bad of ['0', '1001', '2.5']) {
      expect((catchError(() => parseIntegerOption(1, 1000)(bad)) as Error).message).toBe('expected an integer between 1 and 1000.');
    }
    expect(parseIntegerOption(1)('4')).toBe(4);
    for (const bad of ['0', '1.5', 'two', '', ' ']) {
      expect((catchError(() => parseIntegerOption(1)(bad)) as Error).message).toBe('expected an integer greater than or equal to 1.');
    }
    expect(parseNumberOption(0.05, 0.5)('0.2')).toBe(0.2);
    for (const bad of ['0.04', '0.51', 'NaN', '', 'Infinity']) {
      expect((catchError(() => parseNumberOption(0.05, 0.5)(bad)) as Error).message).toBe('expected a number between 0.05 and 0.5.');
    }
  });

  it('--log-level accepts the levels in any case and names them otherwise', () => {
    expect(parseLogLevel('debug')).toBe('DEBUG');
    expect(parseLogLevel(' Warning ')).toBe('WARNING');
    expect(LOG_LEVELS).toContain('SILENT');
    expect((catchError(() => parseLogLevel('loud')) as Error).message).toBe('expected one of DEBUG, INFO, WARNING, ERROR, SILENT.');
  });
});
