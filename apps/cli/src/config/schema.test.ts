import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { parseConfigText, validateConfig } from './load';
import { defaultConfig } from './schema';
import { CONFIG_TEMPLATE } from './template';

function errorOf(fn: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('config.yaml schema', () => {
  it('has the product defaults (docs/trading-rules.md)', () => {
    expect(defaultConfig()).toEqual({
      risk_management: {
        position_sizing: { method: 'confidence_based', risk_per_trade: 0.01, max_position_size: 0.25 },
        stop_loss: { enabled: true, hard_stop_pct: 0.03, trailing_stop_pct: 0.02, take_profit_pct: 0.05, time_stop_days: 30 },
        portfolio: { max_drawdown_pct: 0.15, daily_loss_limit_pct: 0.03, max_portfolio_heat: 0.03 },
        drawdown_zones: { normal: 0.05, caution: 0.1, alert: 0.15, emergency: 0.2 },
      },
      strategy: { type: 'MLPredictionStrategy', confidence_threshold: 0.55 },
      backtesting: { initial_capital: 10000, transaction_cost: 0.0015, slippage_bps: 5, lot_size: 1 },
      logging: { level: 'INFO', file: './logs/trading.log', console: true },
      store: { path: './algo-trading.duckdb', record_runs: true, lock_timeout_ms: 10000 },
    });
  });

  it('the commented template of `config init` parses to exactly the defaults', () => {
    expect(parseConfigText(CONFIG_TEMPLATE)).toEqual(defaultConfig());
  });

  it('an empty file and a file with only comments mean every default', () => {
    expect(parseConfigText('')).toEqual(defaultConfig());
    expect(parseConfigText('# nothing here\n')).toEqual(defaultConfig());
  });

  it('keeps given values and fills the rest with defaults', () => {
    const config = parseConfigText('risk_management:\n  stop_loss:\n    hard_stop_pct: 0.04\nbacktesting:\n  initial_capital: 5000\n');
    expect(config.risk_management.stop_loss).toEqual({
      enabled: true,
      hard_stop_pct: 0.04,
      trailing_stop_pct: 0.02,
      take_profit_pct: 0.05,
      time_stop_days: 30,
    });
    expect(config.backtesting.initial_capital).toBe(5000);
    expect(config.backtesting.transaction_cost).toBe(0.0015);
  });

  it('names the path, the expectation and the value of a bad value, as the README shows', () => {
    const error = errorOf(() => parseConfigText('risk_management:\n  stop_loss:\n    hard_stop_pct: "3%"\n', 'my.yaml'));
    expect(isAlgoTradingError(error, 'INVALID_CONFIG')).toBe(true);
    expect(error.message).toBe(
      'Invalid configuration file my.yaml:\nrisk_management.stop_loss.hard_stop_pct: expected a number between 0 and 1, got "3%"',
    );
    expect(error.details?.['field']).toBe('risk_management.stop_loss.hard_stop_pct');
  });

  it('rejects a misspelt key with its path and suggests the right one', () => {
    const error = errorOf(() => parseConfigText('risk_management:\n  stop_los:\n    enabled: true\n'));
    expect(error.message).toContain('risk_management.stop_los: unknown key (check the spelling); did you mean "stop_loss"?');
    const top = errorOf(() => parseConfigText('bactesting:\n  initial_capital: 1\n'));
    expect(top.message).toContain('bactesting: unknown key (check the spelling); did you mean "backtesting"?');
    const far = errorOf(() => parseConfigText('strategy:\n  zzz: 1\n'));
    expect(far.message).toContain('strategy.zzz: unknown key (check the spelling)');
    expect(far.message).not.toContain('did you mean');
  });

  it('lists every problem, one per line: first the shape of the file, then the values', () => {
    const shape = errorOf(() => validateConfig({ backtesting: { slippage_bps: 'five', lot_sise: 1 }, strategy: { confidence_threshold: 0.3 } }));
    expect(shape.message.split('\n').slice(1).sort()).toEqual([
      'backtesting.lot_sise: unknown key (check the spelling); did you mean "lot_size"?',
      'backtesting.slippage_bps: expected a number between 0 and 1000, got "five"',
      'strategy.confidence_threshold: expected a number at least 0.5 and less than 1, got 0.3',
    ]);
    const values = errorOf(() =>
      validateConfig({
        backtesting: { initial_capital: -1, lot_size: 0 },
        risk_management: { portfolio: { max_portfolio_heat: 1.5 }, stop_loss: { hard_stop_pct: 0 } },
      }),
    );
    expect(isAlgoTradingError(values, 'INVALID_CONFIG')).toBe(true);
    const lines = values.message.split('\n').slice(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^backtesting\.initial_capital: expected a .*number greater than 0, got -1$/),
        expect.stringMatching(/^backtesting\.lot_size: expected a .*number greater than 0, got 0$/),
        expect.stringMatching(/^risk_management\.portfolio\.max_portfolio_heat: expected a number .*, got 1\.5$/),
        expect.stringMatching(/^risk_management\.stop_loss\.hard_stop_pct: expected a number .*, got 0$/),
      ]),
    );
    // Each problem once, although the risk manager, the sizers and the engine all take the capital or the lot.
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.filter((l) => l.startsWith('backtesting.initial_capital'))).toHaveLength(1);
  });

  it('checks the values with the libraries that take them, so a run accepts what the check passes', () => {
    // Each of these passed the file's own schema once and failed later in the run.
    const cases: [Record<string, unknown>, string][] = [
      [{ risk_management: { portfolio: { daily_loss_limit_pct: 0 } } }, 'risk_management.portfolio.daily_loss_limit_pct'],
      [{ risk_management: { position_sizing: { risk_per_trade: 1.5 } } }, 'risk_management.position_sizing.risk_per_trade'],
      [{ risk_management: { stop_loss: { time_stop_days: 0 } } }, 'risk_management.stop_loss.time_stop_days'],
      [{ risk_management: { drawdown_zones: { emergency: 1.2 } } }, 'risk_management.drawdown_zones.emergency'],
    ];
    for (const [raw, path] of cases) {
      const error = errorOf(() => validateConfig(raw, 'c.yaml'));
      expect(error.message, JSON.stringify(raw)).toMatch(new RegExp(`^Invalid configuration file c\\.yaml:\\n${path.replace(/\./g, '\\.')}: `));
      expect(error.details?.['field']).toBe(path);
      // The library's own option names never show.
      expect(error.message).not.toMatch(/[a-z][A-Z]/);
    }
  });

  it('rejects enums with the allowed values', () => {
    const error = errorOf(() => validateConfig({ risk_management: { position_sizing: { method: 'martingale' } } }));
    expect(error.message).toContain(
      'risk_management.position_sizing.method: expected one of "fixed_fractional", "kelly", "confidence_based", "percent_of_equity", got "martingale"',
    );
    const kelly = errorOf(() => validateConfig({ risk_management: { position_sizing: { method: 'kelly' } } }));
    expect(kelly.message).toContain('risk_management.position_sizing.method: kelly needs the win rate');
  });

  it('treats max_drawdown_pct and drawdown_zones.alert as one limit', () => {
    const viaPortfolio = validateConfig({ risk_management: { portfolio: { max_drawdown_pct: 0.12 } } });
    expect(viaPortfolio.risk_management.drawdown_zones.alert).toBe(0.12);
    expect(viaPortfolio.risk_management.portfolio.max_drawdown_pct).toBe(0.12);
    const viaZones = validateConfig({ risk_management: { drawdown_zones: { alert: 0.13 } } });
    expect(viaZones.risk_management.portfolio.max_drawdown_pct).toBe(0.13);
    const both = errorOf(() =>
      validateConfig({ risk_management: { portfolio: { max_drawdown_pct: 0.12 }, drawdown_zones: { alert: 0.13 } } }),
    );
    expect(both.message).toContain('risk_management.portfolio.max_drawdown_pct: expected to equal drawdown_zones.alert (0.13)');
  });

  it('requires increasing drawdown zones (checked by the risk package, named by config path)', () => {
    const error = errorOf(() => validateConfig({ risk_management: { drawdown_zones: { caution: 0.04 } } }));
    expect(error.message).toContain(
      'risk_management.drawdown_zones.caution: thresholds must increase (normal < caution < alert < emergency), but normal is 0.05 and caution is 0.04, got 0.04',
    );
    const limit = errorOf(() => validateConfig({ risk_management: { portfolio: { max_drawdown_pct: 0.25 } } }));
    expect(limit.message).toContain(
      'risk_management.drawdown_zones.emergency: thresholds must increase (normal < caution < alert < emergency), but alert is 0.25 and emergency is 0.2, got 0.2',
    );
  });

  it('refuses a file of several YAML documents instead of reading the first', () => {
    const error = errorOf(() => parseConfigText('backtesting:\n  initial_capital: 5000\n---\nbacktesting:\n  initial_capital: 9000\n', 'two.yaml'));
    expect(isAlgoTradingError(error, 'PARSE_ERROR')).toBe(true);
    expect(error.message).toBe('two.yaml:3:1: holds 2 YAML documents (separated by ---); a configuration is one document, the others would be ignored');
    // A leading or trailing separator alone is one document.
    expect(parseConfigText('---\nbacktesting:\n  initial_capital: 5000\n').backtesting.initial_capital).toBe(5000);
    expect(parseConfigText('backtesting:\n  initial_capital: 5000\n---\n').backtesting.initial_capital).toBe(5000);
  });

  it('accepts log levels in any case and null for no log file', () => {
    const config = validateConfig({ logging: { level: 'warning', file: null } });
    expect(config.logging.level).toBe('WARNING');
    expect(config.logging.file).toBeNull();
    const error = errorOf(() => validateConfig({ logging: { level: 'loud' } }));
    expect(error.message).toContain('logging.level: expected one of "DEBUG", "INFO", "WARNING", "WARN", "ERROR", "SILENT", got "loud"');
  });

  it('checks the store settings: a path, a boolean, a whole number of milliseconds', () => {
    const config = validateConfig({ store: { path: ' data/runs.duckdb ', record_runs: false, lock_timeout_ms: 0 } });
    expect(config.store).toEqual({ path: 'data/runs.duckdb', record_runs: false, lock_timeout_ms: 0 });
    expect(errorOf(() => validateConfig({ store: { path: '' } })).message).toContain('store.path: expected a file path');
    expect(errorOf(() => validateConfig({ store: { lock_timeout_ms: 2.5 } })).message).toContain('store.lock_timeout_ms: expected an integer between 0 and 3600000, got 2.5');
    expect(errorOf(() => validateConfig({ store: { record_runs: 'no' } })).message).toContain('store.record_runs: expected true or false, got "no"');
    expect(errorOf(() => validateConfig({ store: { db: 'x.duckdb' } })).message).toContain('store.db: unknown key');
  });

  it('reports malformed YAML with the line as a PARSE_ERROR', () => {
    const error = errorOf(() => parseConfigText('strategy:\n  type: [unclosed\n', 'bad.yaml'));
    expect(isAlgoTradingError(error, 'PARSE_ERROR')).toBe(true);
    expect(error.message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML: /);
    const duplicate = errorOf(() => parseConfigText('strategy: {}\nstrategy: {}\n', 'dup.yaml'));
    expect(duplicate.message).toMatch(/^dup\.yaml:2:1: invalid YAML: Map keys must be unique/);
  });

  it('rejects a top level that is not a mapping', () => {
    const error = errorOf(() => parseConfigText('- 1\n- 2\n'));
    expect(isAlgoTradingError(error, 'INVALID_CONFIG')).toBe(true);
    expect(error.message).toContain('(root)');
  });
});
