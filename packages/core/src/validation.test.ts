import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  isPositiveFinite,
  parseOptions,
  requireFinite,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
  throwInvalid,
  zFraction,
  zIntegerAtLeast,
  zNonNegative,
  zNumberBetween,
  zPositive,
} from './validation';
import { catchAlgoTradingError } from './testing';

describe('argument checks', () => {
  it('accept valid values and return them', () => {
    expect(requireFinite('price', -2.5)).toBe(-2.5);
    expect(requirePositive('price', 0.01)).toBe(0.01);
    expect(requireNonNegative('volume', 0)).toBe(0);
    expect(requireInteger('horizon', 3, 1)).toBe(3);
    expect(requireInRange('fraction', 1, { min: 0, max: 1, minExclusive: true })).toBe(1);
  });

  it('name the field and the offending value', () => {
    const error = catchAlgoTradingError(() => requirePositive('entryPrice', -5));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('entryPrice must be a finite number greater than 0, got -5');
    expect(error.details).toEqual({ field: 'entryPrice', value: -5 });
  });

  it.each([
    ['requireFinite NaN', () => requireFinite('x', Number.NaN), 'x must be a finite number, got NaN'],
    ['requireFinite string', () => requireFinite('x', '3'), 'x must be a finite number, got "3"'],
    ['requirePositive 0', () => requirePositive('x', 0), 'x must be a finite number greater than 0, got 0'],
    ['requirePositive Infinity', () => requirePositive('x', Infinity), 'x must be a finite number greater than 0, got Infinity'],
    ['requireNonNegative', () => requireNonNegative('x', -1e-9), 'x must be a finite number greater than or equal to 0, got -1e-9'],
    ['requireInteger fraction', () => requireInteger('n', 1.5), 'n must be an integer greater than or equal to 0, got 1.5'],
    ['requireInteger min', () => requireInteger('n', 0, 1), 'n must be an integer greater than or equal to 1, got 0'],
    [
      'requireInRange exclusive min',
      () => requireInRange('f', 0, { min: 0, max: 1, minExclusive: true }),
      'f must be a number in (0, 1], got 0',
    ],
    [
      'requireInRange max',
      () => requireInRange('f', 1.01, { min: 0, max: 1 }),
      'f must be a number in [0, 1], got 1.01',
    ],
    [
      'requireInRange exclusive max',
      () => requireInRange('f', 1, { min: 0, max: 1, maxExclusive: true }),
      'f must be a number in [0, 1), got 1',
    ],
  ])('%s', (_name, fn, message) => {
    expect(catchAlgoTradingError(fn).message).toBe(message);
  });

  it('uses the given error code', () => {
    expect(catchAlgoTradingError(() => requireFinite('close', Number.NaN, 'INVALID_DATA')).code).toBe('INVALID_DATA');
  });
});

describe('zod helpers', () => {
  it('zFraction and zNumberBetween accept the closed range and reject outside', () => {
    expect(zFraction().parse(0)).toBe(0);
    expect(zFraction().parse(1)).toBe(1);
    expect(zFraction().safeParse(1.5).success).toBe(false);
    expect(zFraction({ minExclusive: true }).safeParse(0).success).toBe(false);
    expect(zNumberBetween(2, 4).safeParse('3').success).toBe(false);
  });

  it('zPositive, zNonNegative and zIntegerAtLeast', () => {
    expect(zPositive().safeParse(0).success).toBe(false);
    expect(zPositive().safeParse(Infinity).success).toBe(false);
    expect(zNonNegative().parse(0)).toBe(0);
    expect(zNonNegative().safeParse(-1).success).toBe(false);
    expect(zIntegerAtLeast(1).parse(5)).toBe(5);
    expect(zIntegerAtLeast(1).safeParse(0.5).success).toBe(false);
  });
});

describe('parseOptions', () => {
  const schema = z.strictObject({
    riskFraction: zFraction({ minExclusive: true }).default(0.01),
    stopLoss: z.strictObject({ hardStopPct: zFraction().default(0.03) }).prefault({}),
  });

  it('applies defaults', () => {
    expect(parseOptions(schema, {}, { what: 'sizer options' })).toEqual({ riskFraction: 0.01, stopLoss: { hardStopPct: 0.03 } });
  });

  it('names the path, the expectation and the received value', () => {
    const error = catchAlgoTradingError(() =>
      parseOptions(schema, { stopLoss: { hardStopPct: '3%' } }, { what: 'configuration', pathPrefix: 'risk_management' }),
    );
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe(
      'Invalid configuration:\nrisk_management.stopLoss.hardStopPct: expected a number between 0 and 1, got "3%"',
    );
    expect(error.details.field).toBe('risk_management.stopLoss.hardStopPct');
    expect(error.details.value).toBe('3%');
  });

  it('reports unknown keys by name', () => {
    const error = catchAlgoTradingError(() => parseOptions(schema, { riskFracton: 0.02 }, { what: 'sizer options' }));
    expect(error.message).toContain('riskFracton: unknown key');
  });

  it('lists every problem, one per line, with the given code', () => {
    const error = catchAlgoTradingError(() =>
      parseOptions(schema, { riskFraction: 0, stopLoss: { hardStopPct: 2 } }, { what: 'x', code: 'INVALID_ARGUMENT' }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message.split('\n')).toHaveLength(3);
    expect((error.details.issues as unknown[]).length).toBe(2);
  });
});

describe('throwInvalid / isPositiveFinite / zNumberBetween bounds', () => {
  it('throwInvalid words the error like every check: field, expectation, value', () => {
    const error = catchAlgoTradingError(() => throwInvalid('side', '"long" or "short"', 'up'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('side must be "long" or "short", got "up"');
    expect(error.details).toEqual({ field: 'side', value: 'up' });
    expect(catchAlgoTradingError(() => throwInvalid('close', 'a price', Number.NaN, 'INVALID_DATA')).code).toBe('INVALID_DATA');
  });

  it('isPositiveFinite accepts finite numbers above 0 only', () => {
    expect([1, 1e-300, Number.MAX_VALUE].map(isPositiveFinite)).toEqual([true, true, true]);
    expect([0, -0, -1, Number.NaN, Infinity, '1', null, undefined].map(isPositiveFinite)).toEqual(Array(8).fill(false));
  });

  it('opens either end of a range, with the message naming the bounds', () => {
    const messageOf = (schema: z.ZodType, value: number) => schema.safeParse(value).error?.issues[0]?.message;
    const open = zFraction({ minExclusive: true, maxExclusive: true });
    expect([0.5, 1e-9].map((v) => open.safeParse(v).success)).toEqual([true, true]);
    expect(messageOf(open, 1)).toBe('expected a number greater than 0 and less than 1');
    expect(messageOf(open, 0)).toBe('expected a number greater than 0 and less than 1');
    const halfOpen = zFraction({ maxExclusive: true });
    expect(halfOpen.safeParse(0).success).toBe(true);
    expect(messageOf(halfOpen, 1)).toBe('expected a number at least 0 and less than 1');
    expect(messageOf(zFraction({ minExclusive: true }), 0)).toBe('expected a number greater than 0 and at most 1');
    expect(zFraction({ minExclusive: true }).safeParse(1).success).toBe(true);
    expect(messageOf(zNumberBetween(2, 5), 6)).toBe('expected a number between 2 and 5');
  });
});
