import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/schema';
import { CONFIG_TEMPLATE } from '../src/config/template';
import { parseResults, readResultsDir } from '../src/output/results-file';
import { cliVersion } from '../src/program';
import { runInProcess, tempDir, writeSampleCsv } from './helpers';

/** Every command on small data, in this process: output, --json, exit codes, error messages. */

const HEADLINE_KEYS = [
  'totalReturn',
  'cagr',
  'sharpeRatio',
  'sortinoRatio',
  'maxDrawdown',
  'calmarRatio',
  'winRate',
  'profitFactor',
  'expectancy',
  'valueAtRisk',
  'conditionalValueAtRisk',
  'trades',
];

let cwd: string;
let prices: string;

beforeAll(() => {
  cwd = tempDir();
  prices = writeSampleCsv(cwd, 600);
});

function json(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

/**
 * The fold table and the headline come from one engine run: prod(1 + fold return) - 1 equals the
 * headline's total return (final equity / capital - 1) up to floating-point rounding.
 */
function expectCompounds(foldReturns: readonly number[], total: number): void {
  const compounded = foldReturns.reduce((g, r) => g * (1 + r), 1) - 1;
  expect(Math.abs(compounded - total)).toBeLessThan(1e-12);
}

describe('usage', () => {
  it('--version prints the version, exit 0', async () => {
    const run = await runInProcess(['--version'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(cliVersion());
  });

  it('--help lists every command; each command has its own --help', async () => {
    const run = await runInProcess(['--help'], cwd);
    expect(run.code).toBe(0);
    for (const command of ['backtest', 'train', 'optimize', 'walk-forward', 'report', 'demo', 'config', 'sweep', 'worker', 'data', 'runs', 'data import', 'data ls', 'data show', 'runs init', 'runs ls', 'runs show', 'runs compare']) {
      expect(run.stdout).toContain(command.split(' ')[0]);
      const help = await runInProcess([...command.split(' '), '--help'], cwd);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: algo-trading ${command}`);
    }
    expect((await runInProcess(['config', 'init', '--help'], cwd)).code).toBe(0);
  });

  it('bad usage exits 2 with a message', async () => {
    const unknown = await runInProcess(['frobnicate'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const missing = await runInProcess(['backtest'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-d, --data <source>' not specified");
    const badOption = await runInProcess(['backtest', '--data', prices, '--nope'], cwd);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("unknown option '--nope'");
    const badValue = await runInProcess(['walk-forward', '--data', prices, '--folds', 'two'], cwd);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('expected an integer greater than or equal to 1');
    const badChoice = await runInProcess(['backtest', '--data', prices, '--strategy', 'magic'], cwd);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toContain('Allowed choices are sma-cross, ml');
    const noCommand = await runInProcess([], cwd);
    expect(noCommand.code).toBe(2);
  });

  it('conflicting options are usage errors, reported as JSON with --json', async () => {
    const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--fast', '50', '--slow', '20', '--json'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--fast must be less than --slow');
    expect(json(run.stdout)).toEqual({
      ok: false,
      error: { code: 'USAGE', message: '--fast must be less than --slow, got --fast 50 and --slow 20', exitCode: 2 },
    });
  });
});

describe('config init / check', () => {
  it('init writes the commented defaults, refuses to overwrite without --force', async () => {
    const dir = tempDir();
    const init = await runInProcess(['config', 'init'], dir);
    expect(init.code).toBe(0);
    expect(readFileSync(join(dir, 'config.yaml'), 'utf8')).toBe(CONFIG_TEMPLATE);
    const again = await runInProcess(['config', 'init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; pass --force');
    expect((await runInProcess(['config', 'init', '--force', '--json'], dir)).code).toBe(0);
    const check = await runInProcess(['config', 'check', '--json'], dir);
    expect(check.code).toBe(0);
    expect(json(check.stdout)['config']).toEqual(defaultConfig());
    const plain = await runInProcess(['config', 'check', 'config.yaml'], dir);
    expect(plain.stdout).toContain('config.yaml is valid.');
  });

  it('check names the path of a typo and of a bad value, exit 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'typo.yaml'), 'risk_management:\n  stop_loss:\n    hard_stop_pct: "3%"\n  portfolo:\n    max_portfolio_heat: 0.02\n');
    const run = await runInProcess(['config', 'check', 'typo.yaml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('risk_management.stop_loss.hard_stop_pct: expected a number between 0 and 1, got "3%"');
    expect(run.stderr).toContain('risk_management.portfolo: unknown key (check the spelling); did you mean "portfolio"?');
    const missing = await runInProcess(['config', 'check', 'nope.yaml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`configuration file not found: ${join(dir, 'nope.yaml')}`);
  });
});

describe('backtest', () => {
  it('runs the SMA crossover, prints the summary and writes every output file', async () => {
    const out = join(cwd, 'sma-run');
    const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--fast', '10', '--slow', '30', '--out', 'sma-run'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SMA crossover (10/30) on');
    expect(run.stdout).toMatch(/Total return\s+-?\d+\.\d\d%/);
    expect(run.stdout).toMatch(/Trades\s+\d+/);
    expect(run.stdout).toContain(`Report: ${join(out, 'report.html')}`);
    expect(readdirSync(out).sort()).toEqual(['equity.csv', 'fills.csv', 'report.html', 'results.json', 'trades.csv']);
    const results = parseResults(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.dataRange.bars).toBe(600);
    expect(readFileSync(join(out, 'equity.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(601);
    expect(readFileSync(join(out, 'trades.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(results.trades.length + 1);
    expect(readFileSync(join(out, 'fills.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(results.fills.length + 1);
    expect(results.strategy.parameters['risk_management.position_sizing.method']).toBe('fixed_fractional');
  });

  it('compares the run with buy and hold of its data, or of the --benchmark series', async () => {
    const own = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--json', '--quiet', '--out', 'bench-own'], cwd);
    expect(own.code).toBe(0);
    const doc = json(own.stdout);
    const benchmark = doc['benchmark'] as { label: string; metrics: Record<string, number>; relative: Record<string, number>; equity?: unknown };
    expect(benchmark.label).toBe('Buy and hold ASSET'); // the engine's name for a file without a symbol
    expect(benchmark.equity).toBeUndefined(); // the curve is the benchmark column of equity.csv, not on stdout
    expect(Object.keys(benchmark.relative).sort()).toEqual(['alpha', 'beta', 'excessReturn', 'informationRatio']);
    expect(parseResults(readFileSync(join(cwd, 'bench-own', 'results.json'), 'utf8')).benchmark!.equity).toEqual([]);
    expect(readFileSync(join(cwd, 'bench-own', 'equity.csv'), 'utf8').split('\n', 1)[0]).toBe('time,equity,cash,drawdown,benchmark,close');
    const results = await readResultsDir(join(cwd, 'bench-own'));
    expect(results.benchmark!.equity).toHaveLength(results.equityCurve.equity.length);
    expect(results.equityCurve.equity.length).toBe(600);
    // Buy and hold of the same bars: the first 600 S&P 500 closes, bought at bar 1's open.
    const closes = readFileSync(prices, 'utf8').trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[4]));
    // The price chart's closes: the close column of equity.csv (results.json names the symbol only).
    expect(results.prices!.symbol).toBe('ASSET');
    expect(Array.from(results.prices!.close)).toEqual(closes.slice(0, 600));
    const entry = results.benchmark!.entry!;
    expect(entry.time).toBe(results.equityCurve.time[1]);
    expect(results.benchmark!.equity[results.benchmark!.equity.length - 1]).toBeCloseTo(10_000 - entry.quantity * entry.price * 1.0015 + entry.quantity * closes.at(-1)!, 6);

    // The same prices stamped at 21:00 UTC and shifted up: aligned by date, so the benchmark's
    // returns are the data's own (the lot size aside) and beta is the strategy's against the data.
    const shifted = readFileSync(prices, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.replace(/^(\d{4}-\d\d-\d\d)/, '$1T21:00:00Z')))
      .join('\n');
    writeFileSync(join(cwd, 'bench.csv'), `${shifted}\n`);
    const other = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--json', '--quiet', '--benchmark', 'bench.csv'], cwd);
    expect(other.code).toBe(0);
    const otherBenchmark = json(other.stdout)['benchmark'] as { alignment: string; source: string; metrics: Record<string, number> };
    expect(otherBenchmark.alignment).toBe('as_of_date');
    expect(otherBenchmark.source).toBe(join(cwd, 'bench.csv'));
    expect(otherBenchmark.metrics['totalReturn']).toBeCloseTo(benchmark.metrics['totalReturn']!, 12);
    const missing = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--benchmark', 'sample:nope'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/data source "sample:nope": unknown sample "nope"; the samples are sp500 \(.*\), stocks \(/);
    // A benchmark is one series: a universe there is a usage error.
    const universe = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--benchmark', 'sample:stocks'], cwd);
    expect(universe.code).toBe(2);
    expect(universe.stderr).toContain('sample:stocks holds 5 symbols (AAPL, AMZN, GOOG, IBM, MSFT); the commands run one series');
  });

  it('trades the S&P 500 sample in lots of 0.01 without a config file, and warns when whole units stop the trading', async () => {
    const sample = await runInProcess(['backtest', '--data', 'sample:sp500', '--strategy', 'sma-cross', '--out', 'sp500-run'], cwd);
    expect(sample.code).toBe(0);
    expect(sample.stderr).toContain('sample:sp500 trades in lots of 0.01');
    expect(sample.stdout).not.toContain('WARNING');
    const results = parseResults(readFileSync(join(cwd, 'sp500-run', 'results.json'), 'utf8'));
    expect(results.config.backtesting.lot_size).toBe(0.01);
    expect(results.warnings).toEqual([]);
    expect(results.fills.filter((f) => f.effect === 'open').at(-1)!.time).toBeGreaterThan(Date.UTC(2019, 0, 1));

    writeFileSync(join(cwd, 'whole-units.yaml'), 'backtesting:\n  lot_size: 1\n');
    const whole = await runInProcess(['backtest', '--data', 'sample:sp500', '--strategy', 'sma-cross', '--config', 'whole-units.yaml', '--out', 'sp500-whole'], cwd);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/^WARNING: Trading stopped on 2017-05-08, 15% of the run before its end: all 5 entry orders were rejected after it because one lot of 1 at a price around [\d,.]+ is more than the sizing allows .*set backtesting\.lot_size to 0\.01/m);
    const report = readFileSync(join(cwd, 'sp500-whole', 'report.html'), 'utf8');
    expect(report).toContain('<section id="warnings"><h2>Read this first</h2><ul><li>Trading stopped on 2017-05-08');
  }, 120_000); // two backtests of the S&P 500 sample with their reports

  it('warns about a run that made no trade, on the console, in results.json and in the report', async () => {
    const dates = readFileSync(prices, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]);
    writeFileSync(join(cwd, 'flat.csv'), `date,signal\n${dates.map((d) => `${d},0`).join('\n')}\n`);
    const run = await runInProcess(['backtest', '--data', prices, '--signals', 'flat.csv', '--out', 'flat-run', '--quiet'], cwd);
    expect(run.code).toBe(0);
    const warning = 'The run made no trade: the strategy gave no buy signal. Every figure is the initial capital standing still.';
    expect(run.stdout).toContain(`WARNING: ${warning}`);
    expect(parseResults(readFileSync(join(cwd, 'flat-run', 'results.json'), 'utf8')).warnings).toEqual([warning]);
    expect(readFileSync(join(cwd, 'flat-run', 'report.html'), 'utf8')).toContain(`<li>${warning}</li>`);
    const asJson = await runInProcess(['backtest', '--data', prices, '--signals', 'flat.csv', '--json', '--quiet'], cwd);
    expect(json(asJson.stdout)['warnings']).toEqual([warning]);
  });

  it('--json prints one parseable document with the headline metrics', async () => {
    const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--json', '--quiet'], cwd);
    expect(run.code).toBe(0);
    const doc = json(run.stdout);
    expect(doc['ok']).toBe(true);
    expect(Object.keys(doc['summary'] as object).sort()).toEqual([...HEADLINE_KEYS].sort());
    expect((doc['summary'] as Record<string, number>)['trades']).toBe(doc['trades']);
    expect(doc['files']).toEqual([]);
    expect(doc['outDir']).toBeNull();
    expect(run.stderr).toBe('');
  });

  it('backtests a signals file with confidences through confidence-based sizing', async () => {
    const lines = readFileSync(prices, 'utf8').trimEnd().split('\n').slice(1);
    const rows = lines.map((l, i) => `${l.split(',')[0]},${i % 40 === 5 ? 1 : i % 40 === 25 ? -1 : 0},${i % 40 === 5 ? 0.8 : ''}`);
    writeFileSync(join(cwd, 'signals.csv'), `date,signal,confidence\n${rows.join('\n')}\n`);
    const run = await runInProcess(['backtest', '--data', prices, '--signals', 'signals.csv', '--json'], cwd);
    expect(run.code).toBe(0);
    const doc = json(run.stdout);
    expect((doc['strategy'] as { parameters: Record<string, unknown> }).parameters['risk_management.position_sizing.method']).toBe('confidence_based');
    expect((doc['summary'] as Record<string, number>)['trades']).toBeGreaterThan(5);
  });

  it('a buy without a confidence (empty cell: none) is sized at the base risk, not a failed run', async () => {
    const lines = readFileSync(prices, 'utf8').trimEnd().split('\n').slice(1);
    const rows = lines.map((l, i) => `${l.split(',')[0]},${i % 40 === 5 ? 1 : i % 40 === 25 ? -1 : 0},${i % 80 === 5 ? 0.9 : ''}`);
    writeFileSync(join(cwd, 'sparse-signals.csv'), `date,signal,confidence\n${rows.join('\n')}\n`);
    const run = await runInProcess(['backtest', '--data', prices, '--signals', 'sparse-signals.csv', '--json', '--quiet'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const doc = json(run.stdout);
    expect((doc['strategy'] as { parameters: Record<string, unknown> }).parameters['risk_management.position_sizing.method']).toBe('confidence_based');
    expect((doc['summary'] as Record<string, number>)['trades']).toBeGreaterThan(5);
  });

  it('a malformed signals file names its line, exit 1', async () => {
    writeFileSync(join(cwd, 'bad-signals.csv'), 'date,signal\n2000-01-03,1\n2000-01-04,2\n');
    const run = await runInProcess(['backtest', '--data', prices, '--signals', 'bad-signals.csv'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad-signals.csv line 3: signal must be -1, 0 or 1, got "2"');
  });

  it('a malformed CSV names the line, exit 1, and leaves no output folder', async () => {
    const lines = readFileSync(prices, 'utf8').split('\n');
    lines[6] = '2000-01-11,1441.47,1454.09,oops,1438.56,1438.56,1014000000';
    writeFileSync(join(cwd, 'broken.csv'), lines.join('\n'));
    const run = await runInProcess(['backtest', '--data', 'broken.csv', '--strategy', 'sma-cross', '--out', 'broken-run'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/line 7/);
    expect(existsSync(join(cwd, 'broken-run'))).toBe(false);
  });

  it('rows out of time order fail with a hint to --sort-unordered, which sorts them', async () => {
    const lines = readFileSync(prices, 'utf8').trimEnd().split('\n');
    [lines[10], lines[11]] = [lines[11]!, lines[10]!];
    writeFileSync(join(cwd, 'unordered.csv'), `${lines.join('\n')}\n`);
    const failed = await runInProcess(['backtest', '--data', 'unordered.csv', '--strategy', 'sma-cross'], cwd);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('rows must be in time order (pass --sort-unordered to sort them)');
    const sorted = await runInProcess(['backtest', '--data', 'unordered.csv', '--strategy', 'sma-cross', '--sort-unordered', '--json'], cwd);
    expect(sorted.code, sorted.stderr).toBe(0);
    expect((json(sorted.stdout)['dataRange'] as Record<string, number>)['bars']).toBe(600);
    expect(sorted.stderr).toContain('not in time order');
  });

  it('a missing data file names the path, exit 1, JSON error with --json', async () => {
    const run = await runInProcess(['backtest', '--data', 'missing.csv', '--strategy', 'sma-cross', '--out', 'missing-run', '--json'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(join(cwd, 'missing.csv'));
    const doc = json(run.stdout);
    expect(doc['ok']).toBe(false);
    expect(['NOT_FOUND', 'IO_ERROR']).toContain((doc['error'] as Record<string, unknown>)['code']);
    expect((doc['error'] as Record<string, unknown>)['exitCode']).toBe(1);
    expect(existsSync(join(cwd, 'missing-run'))).toBe(false);
  });

  it('a config typo names the path, exit 2, nothing written', async () => {
    writeFileSync(join(cwd, 'typo.yaml'), 'backtesting:\n  initial_captial: 5000\n');
    const run = await runInProcess(['backtest', '--data', prices, '--config', 'typo.yaml', '--strategy', 'sma-cross', '--out', 'typo-run'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('backtesting.initial_captial: unknown key (check the spelling); did you mean "initial_capital"?');
    expect(existsSync(join(cwd, 'typo-run'))).toBe(false);
  });

  it('applies the configuration (initial capital, costs)', async () => {
    writeFileSync(join(cwd, 'rich.yaml'), 'backtesting:\n  initial_capital: 1000000\n  transaction_cost: 0\n  slippage_bps: 0\nlogging:\n  file: null\n');
    const run = await runInProcess(['backtest', '--data', prices, '--config', 'rich.yaml', '--strategy', 'sma-cross', '--json'], cwd);
    expect(run.code).toBe(0);
    const metrics = json(run.stdout)['metrics'] as Record<string, number>;
    expect(metrics['initialCapital']).toBe(1_000_000);
    expect(metrics['totalCommission']).toBe(0);
    expect(metrics['totalSlippage']).toBe(0);
  });
});

describe('configuration and logging', () => {
  it('config check validates what a run validates: both refuse a value, before any data is read', async () => {
    writeFileSync(join(cwd, 'heat.yaml'), 'risk_management:\n  portfolio:\n    daily_loss_limit_pct: 0\n');
    const check = await runInProcess(['config', 'check', 'heat.yaml'], cwd);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('risk_management.portfolio.daily_loss_limit_pct: ');
    // The data file does not exist: a run that reached the data would fail with exit 1 naming it.
    const run = await runInProcess(['backtest', '--data', 'not-there.csv', '--config', 'heat.yaml', '--strategy', 'sma-cross'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('risk_management.portfolio.daily_loss_limit_pct: ');
    expect(run.stderr).not.toContain('not-there.csv');
  });

  it('config check and a run agree on values at the edges of the ranges', async () => {
    const edges = [
      'risk_management:\n  portfolio:\n    max_portfolio_heat: 1\n',
      'risk_management:\n  portfolio:\n    daily_loss_limit_pct: 1\n',
      'risk_management:\n  stop_loss:\n    take_profit_pct: 1\n',
      'risk_management:\n  position_sizing:\n    risk_per_trade: 1\n',
    ];
    for (const [k, text] of edges.entries()) {
      writeFileSync(join(cwd, `edge-${k}.yaml`), `${text}logging:\n  file: null\n`);
      const check = await runInProcess(['config', 'check', `edge-${k}.yaml`], cwd);
      const run = await runInProcess(['backtest', '--data', prices, '--config', `edge-${k}.yaml`, '--strategy', 'sma-cross', '--quiet'], cwd);
      expect(run.code === 0, `${text}check: ${check.code} ${check.stderr}\nrun: ${run.code} ${run.stderr}`).toBe(check.code === 0);
      if (check.code !== 0) expect(run.code).toBe(2);
    }
  });

  it('reads ./config.yaml when no --config is given, and says so; demo keeps its own', async () => {
    const dir = tempDir();
    writeSampleCsv(dir, 300);
    writeFileSync(join(dir, 'config.yaml'), 'backtesting:\n  initial_capital: 20000\nlogging:\n  file: null\n');
    const run = await runInProcess(['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((json(run.stdout)['metrics'] as Record<string, number>)['initialCapital']).toBe(20_000);
    expect(run.stderr).toContain(`using ${join(dir, 'config.yaml')} (found in the working folder; --config chooses another file)`);
    const explicit = await runInProcess(['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--json', '--config', 'other.yaml'], dir);
    expect(explicit.code).toBe(2); // --config wins, even when it is missing
    expect(explicit.stderr).toContain(`configuration file not found: ${join(dir, 'other.yaml')}`);
  });

  it('an unwritable log file is an I/O failure (exit 1), not a usage error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), 'a file where the log folder should be');
    const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--log-file', 'blocker/run.log', '--json'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error (IO_ERROR)');
    expect(run.stderr).toContain(join(dir, 'blocker'));
    expect((json(run.stdout)['error'] as Record<string, unknown>)['exitCode']).toBe(1);
    const unreadable = join(dir, 'log-dir');
    mkdirSync(unreadable);
    const folder = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--log-file', 'log-dir'], dir);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain('error (IO_ERROR): cannot open the log file');
  });
});

describe('report', () => {
  it('rebuilds report.html from results.json', async () => {
    const dir = join(cwd, 'report-run');
    expect((await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--out', 'report-run', '--quiet'], cwd)).code).toBe(0);
    const before = readFileSync(join(dir, 'report.html'), 'utf8');
    rmSync(join(dir, 'report.html'));
    const run = await runInProcess(['report', 'report-run'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Report: ${join(dir, 'report.html')}`);
    // Same page; only ECharts' generated element ids inside the SVGs differ between renders in one process.
    const after = readFileSync(join(dir, 'report.html'), 'utf8');
    const withoutSvg = (html: string) => html.replace(/<svg[\s\S]*?<\/svg>/g, '<svg/>');
    expect(withoutSvg(after)).toBe(withoutSvg(before));
    expect(after.match(/<svg/g)).toHaveLength(before.match(/<svg/g)!.length);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the missing results file, exit 1', async () => {
    const run = await runInProcess(['report', 'nowhere'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`results file not found: ${join(cwd, 'nowhere', 'results.json')}`);
  });
});

describe('ML commands on small data', () => {
  it('train saves a model; backtest --model and optimize --model use it', async () => {
    const train = await runInProcess(['train', '--data', prices, '--model-out', 'model', '--epochs', '2', '--json', '--quiet'], cwd);
    expect(train.code).toBe(0);
    const summary = json(train.stdout);
    expect(summary['ok']).toBe(true);
    expect(summary['modelDir']).toBe(join(cwd, 'model'));
    expect(summary['heldOutRows']).toBeGreaterThan(100);
    expect(readdirSync(join(cwd, 'model')).sort()).toEqual(['classifier.json', 'model.json', 'weights.bin']);
    expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const reuse = await runInProcess(['train', '--data', prices, '--model-out', 'model', '--epochs', '1'], cwd);
    expect(reuse.code).toBe(2);
    expect(reuse.stderr).toContain('exists and is not empty');

    const backtest = await runInProcess(['backtest', '--data', prices, '--strategy', 'ml', '--model', 'model', '--json', '--quiet'], cwd);
    expect(backtest.code).toBe(0);
    expect((json(backtest.stdout)['strategy'] as { name: string }).name).toBe('MLPredictionStrategy (saved model)');

    const optimize = await runInProcess(['optimize', '--data', prices, '--model', 'model', '--metric', 'total_return', '--json', '--quiet', '--out', 'opt'], cwd);
    expect(optimize.code).toBe(0);
    const table = json(optimize.stdout);
    expect(table['metric']).toBe('total_return');
    expect((table['rows'] as unknown[]).length).toBe(11); // 0.5 to 0.75 by 0.025
    expect(readdirSync(join(cwd, 'opt')).sort()).toEqual(['optimization.csv', 'optimization.json']);
  });

  it('optimize trains on the first part and evaluates the rest; prints the table', async () => {
    const run = await runInProcess(['optimize', '--data', prices, '--epochs', '2', '--min', '0.5', '--max', '0.6', '--step', '0.05', '--quiet'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^threshold\s+metric\s+trades/m);
    expect(run.stdout).toMatch(/^\s*0\.500\s/m);
    expect(run.stdout).toMatch(/^\s*0\.600\s/m);
    const bad = await runInProcess(['optimize', '--data', prices, '--min', '0.7', '--max', '0.6'], cwd);
    expect(bad.code).toBe(2);
  });

  it('walk-forward reports every fold out of sample', async () => {
    const run = await runInProcess(['walk-forward', '--data', prices, '--folds', '2', '--epochs', '2', '--json', '--quiet', '--out', 'wf'], cwd);
    expect(run.code).toBe(0);
    const doc = json(run.stdout);
    const folds = doc['folds'] as { fold: number; totalReturn: number; trades: number; signalOnlyReturn: number }[];
    expect(folds).toHaveLength(2);
    expect(folds[0]!.fold).toBe(1);
    const overall = doc['overall'] as Record<string, number>;
    expect(overall['testRows']).toBe(2 * 179);
    // Every fold figure is cut from the one engine run: the fold returns compound to its total,
    // and the fold trades add up to its trade count.
    expectCompounds(folds.map((f) => f.totalReturn), overall['totalReturn']!);
    expect(folds.reduce((s, f) => s + f.trades, 0)).toBe(overall['trades']);
    expect(typeof folds[0]!.signalOnlyReturn).toBe('number');
    expect((doc['signalOnly'] as { note: string }).note).toMatch(/^signal-only: .*no risk manager/);
    expect(readdirSync(join(cwd, 'wf')).sort()).toEqual(['folds.csv', 'walk-forward.json']);
    const tooMany = await runInProcess(['walk-forward', '--data', prices, '--folds', '50', '--epochs', '1'], cwd);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('600 bars are too few for 50 walk-forward folds');
  });

  it('backtest --strategy ml trains walk-forward and backtests only the out-of-sample bars', async () => {
    const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'ml', '--folds', '2', '--epochs', '2', '--seed', '7', '--json', '--quiet', '--out', 'ml-run'], cwd);
    expect(run.code).toBe(0);
    const doc = json(run.stdout);
    expect((doc['dataRange'] as Record<string, number>)['bars']).toBe(2 * 179);
    expect((doc['manifest'] as Record<string, unknown>)['seed']).toBe(7);
    const results = parseResults(readFileSync(join(cwd, 'ml-run', 'results.json'), 'utf8'));
    expect((results.extra['walkForward'] as { folds: unknown[] }).folds).toHaveLength(2);
  });

  it('demo runs the whole pipeline on the S&P 500 sample and prints the report path', async () => {
    const run = await runInProcess(['demo', '--folds', '2', '--epochs', '2', '--out', 'demo-run', '--log-file', 'demo.log'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ML prediction strategy on the S&P 500');
    expect(run.stdout).toContain(`Report: ${join(cwd, 'demo-run', 'report.html')}`);
    expect(run.stderr).toContain('walk-forward folds: done (2 folds)');
    const results = parseResults(readFileSync(join(cwd, 'demo-run', 'results.json'), 'utf8'));
    expect(results.config.backtesting.lot_size).toBe(0.01);
    const folds = (results.extra['walkForward'] as { folds: { totalReturn: number }[] }).folds;
    expectCompounds(folds.map((f) => f.totalReturn), results.headline.totalReturn);
    expect(results.dataRange.symbol).toBe('SP500');
    expect(readFileSync(join(cwd, 'demo.log'), 'utf8')).toContain('"msg":"walk-forward training of the TensorFlow.js classifier"');
  });
});
