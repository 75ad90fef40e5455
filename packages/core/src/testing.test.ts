import { describe, expect, it } from 'vitest';
import { AlgoTradingError } from './errors';
import { catchAlgoTradingError, catchAlgoTradingRejection, catchError, catchRejection } from './testing';

const invalid = () => {
  throw new AlgoTradingError('INVALID_DATA', 'close[3] must be > 0, got -1', { details: { field: 'close', index: 3 } });
};

describe('catchError / catchRejection', () => {
  it('return what was thrown, whatever it is', async () => {
    expect(catchError(() => JSON.parse('{'))).toBeInstanceOf(SyntaxError);
    expect(catchError(() => {
      throw 'a string';
    })).toBe('a string');
    expect(await catchRejection(Promise.reject(new RangeError('r')))).toBeInstanceOf(RangeError);
    expect(await catchRejection(async () => Promise.reject(7))).toBe(7);
  });

  it('fail when nothing is thrown', async () => {
    expect(() => catchError(() => 1)).toThrow('expected an error, nothing was thrown');
    await expect(catchRejection(Promise.resolve(1))).rejects.toThrow('expected a rejection, the promise resolved');
  });
});

describe('catchAlgoTradingError / catchAlgoTradingRejection', () => {
  it('return the AlgoTradingError, checked against the code when given', async () => {
    const error = catchAlgoTradingError(invalid, 'INVALID_DATA');
    expect(error.message).toBe('close[3] must be > 0, got -1');
    expect(error.details).toEqual({ field: 'close', index: 3 });
    expect(catchAlgoTradingError(invalid).code).toBe('INVALID_DATA');
    expect((await catchAlgoTradingRejection(async () => invalid(), 'INVALID_DATA')).details.index).toBe(3);
  });

  it('fail on another code, another error or no error, saying what happened', async () => {
    expect(() => catchAlgoTradingError(invalid, 'INVALID_CONFIG')).toThrow(
      'expected an AlgoTradingError INVALID_CONFIG, got AlgoTradingError INVALID_DATA: close[3] must be > 0, got -1',
    );
    expect(() => catchAlgoTradingError(() => JSON.parse('{'))).toThrow(/^expected an AlgoTradingError, got SyntaxError: /);
    expect(() => catchAlgoTradingError(() => 0, 'INVALID_DATA')).toThrow('expected an error, nothing was thrown');
    await expect(catchAlgoTradingRejection(Promise.reject(new Error('boom')), 'IO_ERROR')).rejects.toThrow(
      'expected an AlgoTradingError IO_ERROR, got Error: boom',
    );
  });
});
