import { catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { DRAWDOWN_ZONES, DrawdownZone, riskMultiplierForZone, zoneDrawdownRange, zoneForDrawdown } from './drawdown-zone';

const zones = { caution: 0.05, alert: 0.1, emergency: 0.15, killSwitch: 0.2 };
const multipliers = { normal: 1, caution: 0.5, alert: 0.25, emergency: 0 };

describe('zoneForDrawdown', () => {
  it('puts each threshold in the zone it starts', () => {
    expect(zoneForDrawdown(0, zones)).toBe('NORMAL');
    expect(zoneForDrawdown(0.0499, zones)).toBe('NORMAL');
    expect(zoneForDrawdown(0.05, zones)).toBe('CAUTION');
    expect(zoneForDrawdown(0.0999, zones)).toBe('CAUTION');
    expect(zoneForDrawdown(0.1, zones)).toBe('ALERT');
    expect(zoneForDrawdown(0.1499, zones)).toBe('ALERT');
    expect(zoneForDrawdown(0.15, zones)).toBe('EMERGENCY');
    expect(zoneForDrawdown(0.5, zones)).toBe('EMERGENCY');
  });

  it('follows custom thresholds', () => {
    const custom = { caution: 0.02, alert: 0.04, emergency: 0.06, killSwitch: 0.08 };
    expect(zoneForDrawdown(0.03, custom)).toBe('CAUTION');
    expect(zoneForDrawdown(0.07, custom)).toBe('EMERGENCY');
  });

  it('throws INVALID_ARGUMENT for NaN', () => {
    expect(catchAlgoTradingError(() => zoneForDrawdown(Number.NaN, zones), 'INVALID_ARGUMENT').message).toMatch(/drawdown must be a number, got NaN/);
  });
});

describe('riskMultiplierForZone', () => {
  it('maps each zone to its multiplier', () => {
    expect(DRAWDOWN_ZONES.map((z) => riskMultiplierForZone(z, multipliers))).toEqual([1, 0.5, 0.25, 0]);
    expect(riskMultiplierForZone(DrawdownZone.CAUTION, { ...multipliers, caution: 0.7 })).toBe(0.7);
  });
});

describe('zoneDrawdownRange', () => {
  it('gives each zone the thresholds that start it and the next one', () => {
    expect(DRAWDOWN_ZONES.map((z) => zoneDrawdownRange(z, zones))).toEqual([
      { floor: Number.NEGATIVE_INFINITY, ceiling: 0.05 },
      { floor: 0.05, ceiling: 0.1 },
      { floor: 0.1, ceiling: 0.15 },
      { floor: 0.15, ceiling: Number.POSITIVE_INFINITY },
    ]);
  });

  it('holds exactly the drawdowns zoneForDrawdown puts in the zone', () => {
    const drawdowns = [-0.01, 0, 0.0499, 0.05, 0.0501, 0.0999, 0.1, 0.1499, 0.15, 0.2, 1, 5];
    for (const d of drawdowns) {
      for (const z of DRAWDOWN_ZONES) {
        const { floor, ceiling } = zoneDrawdownRange(z, zones);
        expect(d >= floor && d < ceiling, `${d} in ${z}`).toBe(zoneForDrawdown(d, zones) === z);
      }
    }
  });
});
