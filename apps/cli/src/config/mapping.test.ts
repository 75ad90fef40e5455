import { BacktestEngine } from '@algo-trading/backtesting';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { validateConfig } from './load';
import { engineCostsFromConfig, positionSizerFromConfig, riskManagerOptionsFromConfig } from './mapping';
import { defaultConfig } from './schema';

describe('config.yaml -> library options', () => {
  it('maps the risk keys onto RiskManager options the manager accepts', () => {
    const options = riskManagerOptionsFromConfig(defaultConfig());
    expect(options).toEqual({
      initialCapital: 10_000,
      maxDrawdownPct: 0.15,
      dailyLossLimitPct: 0.03,
      maxPortfolioHeat: 0.03,
      maxOpenPositions: null,
      maxGrossExposure: null,
      hardStopPct: 0.03,
      trailingStopPct: 0.02,
      takeProfitPct: 0.05,
      timeStopDays: 30,
      maxPositionPct: 0.25,
      minConfidence: 0.55,
      drawdownZones: { caution: 0.05, alert: 0.1, emergency: 0.15, killSwitch: 0.2 },
    });
    const manager = new RiskManager(options);
    expect(manager.protectiveLevels('long', 100)).toEqual({ stopLoss: 97, takeProfit: 105 });
  });

  it('stop_loss.enabled: false turns every stop off', () => {
    const config = validateConfig({ risk_management: { stop_loss: { enabled: false } } });
    const options = riskManagerOptionsFromConfig(config);
    expect([options.hardStopPct, options.trailingStopPct, options.takeProfitPct, options.timeStopDays]).toEqual([null, null, null, null]);
    expect(new RiskManager(options).protectiveLevels('long', 100)).toEqual({ stopLoss: null, takeProfit: null });
  });

  it('maps the portfolio limits max_open_positions and max_gross_exposure, and names their paths in errors', () => {
    const config = validateConfig({ risk_management: { portfolio: { max_open_positions: 5, max_gross_exposure: 1.5 } } });
    const options = riskManagerOptionsFromConfig(config);
    expect([options.maxOpenPositions, options.maxGrossExposure]).toEqual([5, 1.5]);
    expect(new RiskManager(options).options.maxOpenPositions).toBe(5);
    const bad = (portfolio: Record<string, unknown>) => {
      try {
        validateConfig({ risk_management: { portfolio } });
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(bad({ max_open_positions: 0 })).toMatch(/risk_management\.portfolio\.max_open_positions: .*got 0/);
    expect(bad({ max_open_positions: 1.5 })).toMatch(/risk_management\.portfolio\.max_open_positions: .*got 1\.5/);
    expect(bad({ max_gross_exposure: -1 })).toMatch(/risk_management\.portfolio\.max_gross_exposure: .*got -1/);
  });

  it('passes a logger only when given one', () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    expect(riskManagerOptionsFromConfig(defaultConfig(), logger).logger).toBe(logger);
    expect('logger' in riskManagerOptionsFromConfig(defaultConfig())).toBe(false);
  });

  it('builds the configured sizer: confidence based risks 1% at the threshold and 2% at confidence 1', () => {
    const choice = positionSizerFromConfig(validateConfig({ risk_management: { position_sizing: { max_position_size: 1 } } }), true);
    expect(choice.sizer.method).toBe('confidence_based');
    expect(choice.fallbackReason).toBeUndefined();
    // 10,000 capital, entry 100, stop 90: 10 per unit at risk.
    expect(choice.sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 90, confidence: 0.55 })).toBe(10);
    expect(choice.sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 90, confidence: 1 })).toBe(20);
    expect(choice.sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 90, confidence: 0.54 })).toBe(0);
  });

  it('sizes a bar without a confidence (NaN, "none") at the base risk instead of failing', () => {
    const { sizer } = positionSizerFromConfig(validateConfig({ risk_management: { position_sizing: { max_position_size: 1 } } }), true);
    // The base risk: 1% of 10,000 over 10 per unit = 10 units, as at the threshold and as fixed fractional.
    expect(sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 90 })).toBe(10);
    expect(sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 90, confidence: Number.NaN })).toBe(10);
    expect(sizer.calculate({ capital: 10_000, entryPrice: 100, stopLossPrice: 90, confidence: Number.NaN })).toMatchObject({ quantity: 10, riskFraction: 0.01 });
    expect(sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 90, confidence: 1 })).toBe(20);
  });

  it('falls back to fixed fractional for signals without confidences, and says why', () => {
    const choice = positionSizerFromConfig(defaultConfig(), false);
    expect(choice.sizer.method).toBe('fixed_fractional');
    expect(choice.fallbackReason).toContain('confidence_based sizing needs model confidences');
    // 1% of 10,000 over 3 per unit = 33.3, capped at 25% of 10,000 / 100 = 25.
    expect(choice.sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 97 })).toBe(25);
  });

  it('fixed_fractional and percent_of_equity, with the lot size', () => {
    const fixed = positionSizerFromConfig(
      validateConfig({ risk_management: { position_sizing: { method: 'fixed_fractional', max_position_size: 1 } }, backtesting: { lot_size: 0.5 } }),
      true,
    );
    expect(fixed.fallbackReason).toBeUndefined();
    expect(fixed.sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 97 })).toBe(33); // 33.33 -> 33.0 in 0.5 lots
    const pct = positionSizerFromConfig(
      validateConfig({ risk_management: { position_sizing: { method: 'percent_of_equity', max_position_size: 0.5 } }, backtesting: { transaction_cost: 0.001 } }),
      false,
    );
    expect(pct.sizer.method).toBe('percent_of_equity');
    // 5,000 / (100 x 1.001) = 49.95 -> 49
    expect(pct.sizer.calculateSize({ capital: 10_000, entryPrice: 100 })).toBe(49);
  });

  it('maps the engine costs', () => {
    expect(engineCostsFromConfig(validateConfig({ backtesting: { initial_capital: 5000, transaction_cost: 0.001, slippage_bps: 2, lot_size: 0.01 } }))).toEqual({
      initialCapital: 5000,
      commissionPct: 0.001,
      slippageBps: 2,
      lotSize: 0.01,
      maxLeverage: 1,
      passedLevels: 'exit',
    });
  });

  it('passes the execution models, which replace the shorthands, to an engine that accepts them', () => {
    const options = engineCostsFromConfig(
      validateConfig({
        backtesting: {
          commission: { model: 'maker_taker', maker: 0.0001, taker: 0.0005 },
          slippage: { model: 'spread', spread_bps: 2 },
          volume_participation: 0.1,
          financing: { cash_rate: 0.01 },
          passed_levels: 'reject',
        },
      }),
    );
    expect(options).toEqual({
      initialCapital: 10_000,
      commission: { model: 'maker_taker', maker: 0.0001, taker: 0.0005 },
      slippage: { model: 'spread', spreadBps: 2 },
      lotSize: 1,
      volumeParticipation: 0.1,
      financing: { cashRate: 0.01 },
      maxLeverage: 1,
      passedLevels: 'reject',
    });
    const engine = new BacktestEngine(options);
    expect(engine.options).toMatchObject({ commissionPct: null, slippageBps: null, passedLevels: 'reject', maxLeverage: 1 });
    expect([engine.options.commission.name, engine.options.slippage.name, engine.options.financing!.name]).toEqual(['maker_taker', 'spread', 'daily']);
  });
});
