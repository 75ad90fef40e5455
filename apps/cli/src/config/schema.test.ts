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
        portfolio: {
          max_drawdown_pct: 0.15,
          daily_loss_limit_pct: 0.03,
          max_portfolio_heat: 0.03,
          max_open_positions: null,
          max_gross_exposure: null,
        },
        drawdown_zones: { normal: 0.05, caution: 0.1, alert: 0.15, emergency: 0.2 },
      },
      strategy: { type: 'MLPredictionStrategy', confidence_threshold: 0.55 },
      backtesting: { initial_capital: 10000, transaction_cost: 0.0015, slippage_bps: 5, lot_size: 1, max_leverage: 1, passed_levels: 'exit' },
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
      'risk_management.drawdown_zones.caution: must be greater than risk_management.drawdown_zones.normal (0.05): each zone starts at a larger drawdown than the one before, got 0.04',
    );
    const limit = errorOf(() => validateConfig({ risk_management: { portfolio: { max_drawdown_pct: 0.25 } } }));
    expect(limit.message).toContain(
      'risk_management.drawdown_zones.emergency: must be greater than risk_management.drawdown_zones.alert (0.25): each zone starts at a larger drawdown than the one before, got 0.2',
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

  it('reads the execution models in snake_case and names the path of a bad key or value', () => {
    const config = validateConfig({
      backtesting: {
        commission: { model: 'per_share', rate: 0.005, minimum: 1, maximum_pct: 0.01 },
        slippage: { model: 'volume_share', price_impact: 0.1, volume_limit: 0.025 },
        volume_participation: 0.05,
        financing: { cash_rate: 0.02, borrow_rate: 0.01 },
        max_leverage: 2,
      },
    });
    expect(config.backtesting.commission).toEqual({ model: 'per_share', rate: 0.005, minimum: 1, maximumPct: 0.01 });
    expect(config.backtesting.slippage).toEqual({ model: 'volume_share', priceImpact: 0.1, volumeLimit: 0.025 });
    expect(config.backtesting.financing).toEqual({ cashRate: 0.02, borrowRate: 0.01 });
    const tiered = validateConfig({ backtesting: { commission: { model: 'tiered', tiers: [{ up_to: 1000, rate: 0.002 }, { rate: 0.001 }] } } });
    expect(tiered.backtesting.commission).toEqual({ model: 'tiered', tiers: [{ upTo: 1000, rate: 0.002 }, { rate: 0.001 }] });
    const bad = (backtesting: Record<string, unknown>) => errorOf(() => validateConfig({ backtesting })).message;
    expect(bad({ commission: { model: 'per_share', rate: 0.005, maximum_pct: 2 } })).toContain('backtesting.commission.maximum_pct');
    expect(bad({ commission: { model: 'per_share', rate: 0.005, maximumPct: 0.01 } })).toContain('backtesting.commission.maximumPct: unknown key: config.yaml keys are snake_case');
    expect(bad({ slippage: { model: 'teleport' } })).toContain('backtesting.slippage.model');
    expect(bad({ slippage: { model: 'volume_share', price_impact: -1 } })).toContain('backtesting.slippage.price_impact');
    expect(bad({ financing: { cash_rate: 0.02, borow_rate: 0.1 } })).toContain('backtesting.financing.borow_rate: unknown key');
    expect(bad({ volume_participation: 2 })).toContain('backtesting.volume_participation: expected a fraction of the bar volume greater than 0 and at most 1, got 2');
    expect(bad({ max_leverage: 0.5 })).toContain('backtesting.max_leverage: expected a number at least 1, got 0.5');
    // Checked by the engine, named in config.yaml's words: snake_case keys inside the models too.
    const tiers = bad({ commission: { model: 'tiered', tiers: [{ up_to: 10, rate: 0.01 }, { up_to: 5, rate: 0.01 }] } });
    expect(tiers).toContain("backtesting.commission.tiers.1.up_to: expected more than the previous tier's up_to (10), got 5");
    expect(bad({ commission: { model: 'teleport' } })).toContain(
      'backtesting.commission.model: expected a commission model: percent, per_share, fixed, tiered or maker_taker, got "teleport"',
    );
    expect(bad({ slippage: 3 })).toContain("backtesting.slippage: expected a mapping of the slippage model's options, got 3");
    for (const message of [tiers, bad({ volume_participation: 2 }), bad({ commission: { model: 'teleport' } })]) expect(message).not.toMatch(/[a-z][A-Z]/);
  });
});
