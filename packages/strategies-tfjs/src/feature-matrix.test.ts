import { catchAlgoTradingError, isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { validateFeatureMatrix, validateLabels } from './feature-matrix';

describe('validateFeatureMatrix', () => {
  const training = { name: 'X', allowNonFinite: false, minRows: 2 };

  it('returns the shape of arrays and typed-array rows', () => {
    expect(validateFeatureMatrix([[1, 2, 3], [4, 5, 6]], training)).toEqual({ rows: 2, columns: 3 });
    expect(validateFeatureMatrix([Float64Array.of(1, 2), Float64Array.of(3, 4)], training)).toEqual({ rows: 2, columns: 2 });
  });

  it('names the row, column and value of a NaN when training', () => {
    const e = catchAlgoTradingError(() => validateFeatureMatrix([[1, 2], [3, Number.NaN]], training));
    expect(isAlgoTradingError(e, 'INVALID_DATA')).toBe(true);
    expect(e.message).toBe('X[1][1] must be a finite number, got NaN');
    expect(e.details).toMatchObject({ field: 'X', index: 1, column: 1 });
  });

  it('allows NaN for prediction but still rejects non-numbers', () => {
    const predicting = { name: 'X', allowNonFinite: true, minRows: 0, columns: 2 };
    expect(validateFeatureMatrix([[1, Number.NaN]], predicting)).toEqual({ rows: 1, columns: 2 });
    expect(catchAlgoTradingError(() => validateFeatureMatrix([[1, '2' as unknown as number]], predicting)).message).toBe(
      'X[0][1] must be a finite number, got "2"',
    );
  });

  it('rejects ragged rows, wrong widths, too few rows and non-arrays', () => {
    expect(catchAlgoTradingError(() => validateFeatureMatrix([[1, 2], [3]], training)).message).toBe(
      'X[1] has 1 column(s), expected 2 (the width of X[0])',
    );
    expect(catchAlgoTradingError(() => validateFeatureMatrix([[1, 2, 3]], { ...training, minRows: 0, columns: 2 })).message).toContain(
      'expected 2 (the feature count the model was trained with)',
    );
    expect(catchAlgoTradingError(() => validateFeatureMatrix([[1, 2]], training)).message).toBe('X must have at least 2 row(s), got 1');
    expect(catchAlgoTradingError(() => validateFeatureMatrix([[1], 5 as never], training)).message).toBe('X[1] must be an array of numbers, got 5');
    expect(catchAlgoTradingError(() => validateFeatureMatrix('x' as never, training), 'INVALID_ARGUMENT').code).toBe('INVALID_ARGUMENT');
    expect(catchAlgoTradingError(() => validateFeatureMatrix([[], []], training)).message).toContain('at least one column');
  });
});

describe('validateLabels', () => {
  it('returns 0/1 labels as bytes', () => {
    expect(Array.from(validateLabels([0, 1, 1], 3))).toEqual([0, 1, 1]);
    expect(Array.from(validateLabels(Float64Array.of(1, 0), 2))).toEqual([1, 0]);
  });
  it('names the index and value of a bad label', () => {
    expect(catchAlgoTradingError(() => validateLabels([0, 0.5], 2)).message).toBe('y[1] must be 0 or 1, got 0.5');
    expect(catchAlgoTradingError(() => validateLabels([Number.NaN, 1], 2)).message).toBe('y[0] must be 0 or 1, got NaN');
    expect(catchAlgoTradingError(() => validateLabels([0, 1], 3)).message).toBe('y has 2 label(s) but X has 3 row(s)');
    expect(catchAlgoTradingError(() => validateLabels(null as never, 1), 'INVALID_ARGUMENT').code).toBe('INVALID_ARGUMENT');
  });
});
