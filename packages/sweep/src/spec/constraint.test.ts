import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { parseConstraint } from './constraint';

const names = ['fast', 'slow', 'mode'];

function errorOf(fn: () => unknown): { code: string; message: string; field: unknown } {
  try {
    fn();
  } catch (error) {
    if (isAlgoTradingError(error)) return { code: error.code, message: error.message, field: error.details.field };
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseConstraint', () => {
  it('compares parameters', () => {
    const c = parseConstraint('fast < slow', names, 'constraints[0]');
    expect(c.parameters).toEqual(['fast', 'slow']);
    expect(c.test({ fast: 5, slow: 20 })).toBe(true);
    expect(c.test({ fast: 20, slow: 20 })).toBe(false);
    expect(c.test({ fast: 30, slow: 20 })).toBe(false);
  });

  it('evaluates arithmetic with the usual precedence', () => {
    // 2 * fast + 1 <= slow: fast 5 -> 11 <= 11 true; fast 6 -> 13 <= 11 false.
    const c = parseConstraint('2 * fast + 1 <= slow', names, 'c');
    expect(c.test({ fast: 5, slow: 11 })).toBe(true);
    expect(c.test({ fast: 6, slow: 11 })).toBe(false);
    // (fast + 1) * 2 == slow: (4 + 1) * 2 = 10.
    expect(parseConstraint('(fast + 1) * 2 == slow', names, 'c').test({ fast: 4, slow: 10 })).toBe(true);
    expect(parseConstraint('slow % fast == 0', names, 'c').test({ fast: 4, slow: 12 })).toBe(true);
    expect(parseConstraint('slow % fast == 0', names, 'c').test({ fast: 5, slow: 12 })).toBe(false);
    expect(parseConstraint('-fast < 0', names, 'c').test({ fast: 1, slow: 2 })).toBe(true);
    expect(parseConstraint('slow / fast >= 2.5e0', names, 'c').test({ fast: 4, slow: 10 })).toBe(true);
  });

  it('chains comparisons like a range', () => {
    const c = parseConstraint('5 <= fast < slow', names, 'c');
    expect(c.test({ fast: 5, slow: 6 })).toBe(true);
    expect(c.test({ fast: 4, slow: 6 })).toBe(false);
    expect(c.test({ fast: 6, slow: 6 })).toBe(false);
  });

  it('joins with and / or / not, and compares strings', () => {
    const c = parseConstraint("mode == 'ema' or (fast < slow and not fast == 1)", names, 'c');
    expect(c.test({ mode: 'ema', fast: 9, slow: 2 })).toBe(true);
    expect(c.test({ mode: 'sma', fast: 2, slow: 9 })).toBe(true);
    expect(c.test({ mode: 'sma', fast: 1, slow: 9 })).toBe(false);
    expect(c.test({ mode: 'sma', fast: 9, slow: 2 })).toBe(false);
  });

  it('names the constraint and the unknown parameter', () => {
    const e = errorOf(() => parseConstraint('fsat < slow', names, 'constraints[1]'));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.field).toBe('constraints[1]');
    expect(e.message).toBe('constraints[1]: unknown parameter "fsat" (parameters: fast, slow, mode) in "fsat < slow"');
  });

  it('rejects malformed expressions with the position', () => {
    expect(errorOf(() => parseConstraint('fast <', names, 'c')).message).toBe('c: expression ends too early in "fast <"');
    expect(errorOf(() => parseConstraint('fast', names, 'c')).message).toBe('c: expected a comparison (<, <=, >, >=, ==, !=) in "fast"');
    expect(errorOf(() => parseConstraint('fast < slow )', names, 'c')).message).toBe('c: unexpected ")" at position 13 in "fast < slow )"');
    expect(errorOf(() => parseConstraint('fast $ slow', names, 'c')).message).toBe('c: unexpected character "$" at position 6 in "fast $ slow"');
    expect(errorOf(() => parseConstraint('', names, 'c')).code).toBe('INVALID_CONFIG');
  });

  it('is false (not an error) when arithmetic meets a string', () => {
    expect(parseConstraint('mode + 1 > 0', names, 'c').test({ mode: 'sma', fast: 1, slow: 2 })).toBe(false);
  });
});
