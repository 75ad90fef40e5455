import { describe, expect, it } from 'vitest';
import { AlgoTradingError, ERROR_CODES, describeValue, isAlgoTradingError } from './errors';

describe('AlgoTradingError', () => {
  it('carries code, message, details and cause', () => {
    const cause = new Error('disk full');
    const error = new AlgoTradingError('IO_ERROR', 'cannot write results.json', {
      cause,
      details: { field: 'out', value: '/tmp/x' },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AlgoTradingError');
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toBe('cannot write results.json');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ field: 'out', value: '/tmp/x' });
  });

  it('has empty details and no cause by default', () => {
    const error = new AlgoTradingError('NOT_FOUND', 'missing');
    expect(error.details).toEqual({});
    expect('cause' in error).toBe(false);
  });

  it('lists a closed set of codes', () => {
    expect(ERROR_CODES).toContain('INVALID_ARGUMENT');
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});

describe('isAlgoTradingError', () => {
  it('recognises errors of this package and narrows by code', () => {
    const error = new AlgoTradingError('INVALID_DATA', 'bad');
    expect(isAlgoTradingError(error)).toBe(true);
    expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
    expect(isAlgoTradingError(error, 'NOT_FOUND')).toBe(false);
  });

  it('rejects other errors and non-objects', () => {
    expect(isAlgoTradingError(new Error('x'))).toBe(false);
    expect(isAlgoTradingError({ code: 'INVALID_DATA', message: 'x' })).toBe(false);
    expect(isAlgoTradingError(null)).toBe(false);
    expect(isAlgoTradingError('INVALID_DATA')).toBe(false);
  });

  it('recognises an error from another copy of the package (shared Symbol.for marker)', () => {
    // A second copy of core defines its own class; only the registered symbol is shared.
    class OtherCopyError extends Error {
      readonly code = 'INVALID_DATA';
      constructor() {
        super('from another copy');
        Object.defineProperty(this, Symbol.for('@algo-trading/core:AlgoTradingError'), { value: true });
      }
    }
    const foreign = new OtherCopyError();
    expect(foreign instanceof AlgoTradingError).toBe(false);
    expect(isAlgoTradingError(foreign)).toBe(true);
    expect(isAlgoTradingError(foreign, 'INVALID_DATA')).toBe(true);
  });
});

describe('describeValue', () => {
  it.each([
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [-3.5, '-3.5'],
    ['3%', '"3%"'],
    [undefined, 'undefined'],
    [null, 'null'],
    [true, 'true'],
    [new Date('2020-01-02T00:00:00Z'), '2020-01-02T00:00:00.000Z'],
    [new Date(Number.NaN), 'Invalid Date'],
    [[1, 2, 3], 'an array of length 3'],
    [new Float64Array(4), 'Float64Array(4)'],
    [{ a: 1 }, '{"a":1}'],
  ])('renders %s as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('shortens long strings and objects', () => {
    expect(describeValue('x'.repeat(200)).length).toBeLessThanOrEqual(82);
    expect(describeValue({ text: 'y'.repeat(200) }).length).toBeLessThanOrEqual(80);
  });

  it('does not throw on circular objects', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeValue(circular)).toBe('[object Object]');
  });
});
