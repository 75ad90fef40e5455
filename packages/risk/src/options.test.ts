import { catchAlgoTradingError, silentLogger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_OPTIONS, resolveRiskOptions, type RiskManagerOptions } from './options';

/** The INVALID_CONFIG error of resolving `input`. */
const configError = (input: unknown) => catchAlgoTradingError(() => resolveRiskOptions(input as RiskManagerOptions), 'INVALID_CONFIG');

describe('resolveRiskOptions', () => {
  it('applies the product defaults', () => {
    const { options, logger } = resolveRiskOptions();
    expect(options).toEqual({
      initialCapital: 10_000,
      maxDrawdownPct: 0.15,
      dailyLossLimitPct: 0.03,
      maxPortfolioHeat: 0.03,
      hardStopPct: 0.03,
      trailingStopPct: 0.02,
      trailingActivationPct: 0.02,
      takeProfitPct: 0.05,
      timeStopDays: 30,
      maxPositionPct: 0.25,
      maxOpenPositions: null,
      maxGrossExposure: null,
      minConfidence: 0.55,
      drawdownZones: { caution: 0.05, alert: 0.1, emergency: 0.15, killSwitch: 0.2 },
      zoneRiskMultipliers: { normal: 1, caution: 0.5, alert: 0.25, emergency: 0 },
      intrabarPolicy: 'stop_first',
      timeZone: 'UTC',
      varConfidence: 0.95,
      commissionPct: 0,
    });
    expect(logger).toBe(silentLogger);
    expect(DEFAULT_RISK_OPTIONS.drawdownZones.emergency).toBe(options.maxDrawdownPct);
  });

  it('accepts the README example and a logger', () => {
    const { options, logger } = resolveRiskOptions({
      initialCapital: 50_000,
      maxDrawdownPct: 0.15,
      trailingStopPct: 0.04,
      timeStopDays: 10,
      logger: silentLogger,
    });
    expect(options.initialCapital).toBe(50_000);
    expect(options.trailingActivationPct).toBe(0.04);
    expect(options.timeStopDays).toBe(10);
    expect(logger).toBe(silentLogger);
  });

  it('lets null disable stops and limits', () => {
    const { options } = resolveRiskOptions({
      hardStopPct: null,
      trailingStopPct: null,
      takeProfitPct: null,
      timeStopDays: null,
      dailyLossLimitPct: null,
      maxPortfolioHeat: null,
    });
    expect(options.hardStopPct).toBeNull();
    expect(options.trailingStopPct).toBeNull();
    expect(options.trailingActivationPct).toBe(0);
    expect(options.takeProfitPct).toBeNull();
    expect(options.timeStopDays).toBeNull();
    expect(options.dailyLossLimitPct).toBeNull();
    expect(options.maxPortfolioHeat).toBeNull();
  });

  it('accepts 1 for the fraction-of-equity limits (heat, daily loss) and rejects above 1 or 0', () => {
    const { options } = resolveRiskOptions({ maxPortfolioHeat: 1, dailyLossLimitPct: 1 });
    expect(options.maxPortfolioHeat).toBe(1);
    expect(options.dailyLossLimitPct).toBe(1);
    expect(configError({ maxPortfolioHeat: 1.01 })).toMatchObject({ details: { field: 'maxPortfolioHeat' } });
    expect(configError({ maxPortfolioHeat: 1.01 }).message).toMatch(/greater than 0 and at most 1, got 1\.01/);
    expect(configError({ dailyLossLimitPct: 0 }).message).toMatch(/dailyLossLimitPct: .*got 0/);
    expect(configError({ dailyLossLimitPct: 2 }).message).toMatch(/dailyLossLimitPct: .*got 2/);
  });

  it('accepts a take-profit distance above 100% (valid for a long), not 0 or below', () => {
    expect(resolveRiskOptions({ takeProfitPct: 1.5 }).options.takeProfitPct).toBe(1.5);
    expect(resolveRiskOptions({ takeProfitPct: 1 }).options.takeProfitPct).toBe(1);
    expect(configError({ takeProfitPct: 0 }).message).toMatch(/takeProfitPct: expected a number greater than 0, got 0/);
    expect(configError({ takeProfitPct: -0.1 }).details.field).toBe('takeProfitPct');
    expect(configError({ takeProfitPct: Infinity }).details.field).toBe('takeProfitPct');
  });

  it('derives the EMERGENCY threshold from maxDrawdownPct and vice versa', () => {
    expect(resolveRiskOptions({ maxDrawdownPct: 0.12 }).options.drawdownZones).toEqual({
      caution: 0.05,
      alert: 0.1,
      emergency: 0.12,
      killSwitch: 0.2,
    });
    expect(resolveRiskOptions({ drawdownZones: { emergency: 0.18 } }).options.maxDrawdownPct).toBe(0.18);
    expect(resolveRiskOptions({ zoneRiskMultipliers: { caution: 0.6 } }).options.zoneRiskMultipliers.caution).toBe(0.6);
  });

  it('takes the portfolio limits: maxOpenPositions an integer >= 1, maxGrossExposure > 0 (above 1 for leverage), null = off', () => {
    const { options } = resolveRiskOptions({ maxOpenPositions: 5, maxGrossExposure: 1.5 });
    expect([options.maxOpenPositions, options.maxGrossExposure]).toEqual([5, 1.5]);
    const off = resolveRiskOptions({ maxOpenPositions: null, maxGrossExposure: null }).options;
    expect([off.maxOpenPositions, off.maxGrossExposure]).toEqual([null, null]);
    expect(configError({ maxOpenPositions: 0 }).message).toMatch(/maxOpenPositions: expected an integer greater than or equal to 1.*got 0/);
    expect(configError({ maxOpenPositions: 2.5 }).message).toMatch(/maxOpenPositions: .*got 2\.5/);
    expect(configError({ maxGrossExposure: 0 }).message).toMatch(/maxGrossExposure: .*got 0/);
    expect(configError({ maxGrossExposure: Number.POSITIVE_INFINITY }).message).toMatch(/maxGrossExposure/);
  });

  it('rejects unknown keys, naming them', () => {
    const e = configError({ hardStopPtc: 0.03 });
    expect(e.message).toMatch(/hardStopPtc: unknown key/);
    expect(configError({ drawdownZones: { panic: 0.3 } }).message).toMatch(/drawdownZones\.panic: unknown key/);
  });

  it('rejects bad values, naming the key and the value', () => {
    expect(configError({ hardStopPct: 1.5 }).message).toMatch(/hardStopPct: .*got 1\.5/);
    expect(configError({ initialCapital: -5 }).message).toMatch(/initialCapital: .*got -5/);
    expect(configError({ minConfidence: Number.NaN }).message).toMatch(/minConfidence: .*got NaN/);
    expect(configError({ intrabarPolicy: 'random' }).message).toMatch(/intrabarPolicy/);
    expect(configError({ timeZone: 'Mars/Olympus' }).message).toMatch(/timeZone: expected an IANA time zone.*"Mars\/Olympus"/);
    expect(configError({ logger: { info: 1 } }).message).toMatch(/logger: expected a Logger \(an object with debug, info, warn and error methods\)/);
    expect(configError({ commissionPct: 1 }).message).toMatch(/commissionPct/);
  });

  it('rejects thresholds that do not increase and a maxDrawdownPct that disagrees with the zones', () => {
    expect(configError({ drawdownZones: { alert: 0.04 } }).message).toMatch(
      /drawdownZones\.alert: must be greater than drawdownZones\.caution \(0\.05\): each zone starts at a larger drawdown than the one before, got 0\.04/,
    );
    expect(configError({ drawdownZones: { killSwitch: 0.12 } }).message).toMatch(/drawdownZones\.killSwitch: must be greater than drawdownZones\.emergency \(0\.15\).*got 0\.12/);
    // Reported on the key written when only the lower one was given.
    expect(configError({ drawdownZones: { caution: 0.12 } }).message).toMatch(/drawdownZones\.caution: must be less than drawdownZones\.alert \(0\.1\).*got 0\.12/);
    expect(configError({ maxDrawdownPct: 0.25 }).message).toMatch(
      /maxDrawdownPct: must be below drawdownZones\.killSwitch \(0\.2\).*got 0\.25/,
    );
    expect(configError({ maxDrawdownPct: 0.08 }).message).toMatch(/maxDrawdownPct: must be greater than drawdownZones\.alert \(0\.1\)/);
    expect(configError({ maxDrawdownPct: 0.12, drawdownZones: { emergency: 0.13 } }).message).toMatch(
      /maxDrawdownPct: must equal drawdownZones\.emergency \(0\.13\)/,
    );
  });
});
