import { catchAlgoTradingError, isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { expectRejects } from '../test/helpers';
import { ConfidenceBasedSizing } from './confidence-based';
import { SIZING_METHODS, createPositionSizer, isSizingMethod } from './factory';
import { FixedFractionalSizing } from './fixed-fractional';
import { KellyCriterion } from './kelly';
import { PercentOfEquitySizing } from './percent-of-equity';

const example = { capital: 10_000, entryPrice: 100, stopLossPrice: 97 } as const;

describe('createPositionSizer', () => {
  it('lists the snake_case method names of the configuration file', () => {
    expect(SIZING_METHODS).toEqual(['fixed_fractional', 'kelly', 'confidence_based', 'percent_of_equity']);
  });

  it.each([
    ['fixed_fractional', FixedFractionalSizing],
    ['kelly', KellyCriterion],
    ['confidence_based', ConfidenceBasedSizing],
    ['percent_of_equity', PercentOfEquitySizing],
  ] as const)('creates %s with the defaults', (method, Class) => {
    const sizer = createPositionSizer(method);
    expect(sizer).toBeInstanceOf(Class);
    expect(sizer.method).toBe(method);
    expect(sizer.options).toEqual(new Class().options);
  });

  it('passes the options through (the worked examples of the README give 25)', () => {
    const confidence = createPositionSizer('confidence_based', { baseRiskFraction: 0.01, maxRiskFraction: 0.02 });
    expect(confidence.options).toMatchObject({ baseRiskFraction: 0.01, maxRiskFraction: 0.02, minConfidence: 0.55 });
    expect(confidence.calculateSize({ ...example, confidence: 0.75 })).toBe(25);
    expect(createPositionSizer('fixed_fractional', { riskFraction: 0.01, maxPositionFraction: 0.25 }).calculateSize(example)).toBe(25);
    expect(
      createPositionSizer('kelly', { kellyFraction: 0.25, minWinRate: 0.4 }).calculateSize({
        ...example,
        winRate: 0.6,
        avgWin: 300,
        avgLoss: 100,
      }),
    ).toBe(25);
    // 10,000 x 0.5 / 100 = 50.
    expect(createPositionSizer('percent_of_equity', { fraction: 0.5 }).calculateSize({ capital: 10_000, entryPrice: 100 })).toBe(50);
  });

  it('an options object with a different key order or explicit defaults gives the same sizer', () => {
    const a = createPositionSizer('kelly', { lotSize: 1, kellyFraction: 0.25 });
    const b = createPositionSizer('kelly', {});
    expect(a.options).toEqual(b.options);
  });

  it.each(['fixedFractional', 'FIXED_FRACTIONAL', 'fixed-fractional', 'kelly_criterion', '', 42, undefined])(
    'rejects the unknown method %o naming the key',
    (method) => {
      const error = expectRejects(() => createPositionSizer(method as never), 'INVALID_CONFIG', 'method');
      expect(error.message).toContain('"fixed_fractional", "kelly", "confidence_based", "percent_of_equity"');
      expect(error.details.value).toBe(method);
    },
  );

  it.each([
    ['fixed_fractional', { riskFraction: 2 }, 'riskFraction', 'riskFraction: expected a number greater than 0 and at most 1, got 2'],
    ['fixed_fractional', { risk_fraction: 0.01 }, 'risk_fraction', 'risk_fraction: unknown key (check the spelling)'],
    ['kelly', { kellyFraction: -0.25 }, 'kellyFraction', 'got -0.25'],
    ['kelly', { minWinRate: 1.4 }, 'minWinRate', 'expected a number between 0 and 1, got 1.4'],
    ['kelly', { winRate: 2 }, 'winRate', 'got 2'],
    ['kelly', { avgLoss: 0 }, 'avgLoss', 'expected a number greater than 0, got 0'],
    ['confidence_based', { maxRiskFraction: 0.005 }, 'baseRiskFraction', 'baseRiskFraction: expected baseRiskFraction (0.01) to be at most maxRiskFraction (0.005)'],
    ['confidence_based', { minConfidence: '0.6' }, 'minConfidence', 'got "0.6"'],
    ['percent_of_equity', { fraction: 0 }, 'fraction', 'got 0'],
    ['percent_of_equity', { lotSize: Number.NaN }, 'lotSize', 'got NaN'],
    ['percent_of_equity', { riskFraction: 0.01 }, 'riskFraction', 'unknown key'],
  ] as const)('%s rejects %o naming the key', (method, options, key, message) => {
    const error = expectRejects(() => createPositionSizer(method, options as never), 'INVALID_CONFIG', key, message);
    expect(isAlgoTradingError(error, 'INVALID_CONFIG')).toBe(true);
  });

  it('lists every problem, one per line', () => {
    const error = catchAlgoTradingError(() => createPositionSizer('fixed_fractional', { riskFraction: 0, lotSize: -1, extra: true } as never));
    expect(error.message.split('\n')).toEqual([
      'Invalid FixedFractionalSizing options:',
      'riskFraction: expected a number greater than 0 and at most 1, got 0',
      'lotSize: expected a number greater than 0, got -1',
      'extra: unknown key (check the spelling)',
    ]);
  });

  it('rejects options that are not an object', () => {
    expect(catchAlgoTradingError(() => createPositionSizer('kelly', null as never)).code).toBe('INVALID_CONFIG');
    expect(catchAlgoTradingError(() => createPositionSizer('kelly', 0.25 as never)).code).toBe('INVALID_CONFIG');
  });
});

describe('isSizingMethod', () => {
  it('accepts exactly the method names', () => {
    for (const method of SIZING_METHODS) expect(isSizingMethod(method)).toBe(true);
    expect(isSizingMethod('Kelly')).toBe(false);
    expect(isSizingMethod('percent-of-equity')).toBe(false);
    expect(isSizingMethod(undefined)).toBe(false);
    expect(isSizingMethod(['kelly'])).toBe(false);
  });
});
