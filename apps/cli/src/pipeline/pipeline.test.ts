import { BarSeries, isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { demoFolderName } from '../demo';
import { buildMlDataset, planFolds } from './ml-walk-forward';
import { parseSignalsCsv } from './signals-file';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function barsOf(closes: readonly number[]): BarSeries {
  return BarSeries.fromRows(closes.map((c, i) => ({ time: T0 + i * DAY, open: c, high: c, low: c, close: c })), { symbol: 'T' });
}

describe('planFolds', () => {
  it('expands the training window and tiles the rest with equal test windows after a 1-bar embargo', () => {
    const folds = planFolds(1000, 3);
    // train 400, test floor((1000 - 400 - 1) / 3) = 199
    expect(folds).toEqual([
      { fold: 0, trainStart: 0, trainEnd: 400, testStart: 401, testEnd: 600 },
      { fold: 1, trainStart: 0, trainEnd: 599, testStart: 600, testEnd: 799 },
      { fold: 2, trainStart: 0, trainEnd: 798, testStart: 799, testEnd: 998 },
    ]);
  });

  it('refuses too little data with a readable message', () => {
    try {
      planFolds(300, 10);
      expect.unreachable();
    } catch (error) {
      expect(isAlgoTradingError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toContain('300 bars are too few for 10 walk-forward folds');
    }
  });
});

describe('buildMlDataset', () => {
  it('aligns features, next-bar labels and returns with the bars', () => {
    const bars = barsOf(Array.from({ length: 120 }, (_, i) => 100 + i + (i % 3)));
    const { features, labels, returns } = buildMlDataset(bars);
    expect(features.length).toBe(120);
    expect(labels.length).toBe(120);
    expect(labels[119]).toBeNaN();
    expect(labels[0]).toBe(bars.close[1]! > bars.close[0]! ? 1 : 0);
    expect(returns[0]).toBeNaN();
    expect(returns[5]).toBeCloseTo(bars.close[5]! / bars.close[4]! - 1, 15);
  });
});

describe('parseSignalsCsv', () => {
  const bars = barsOf([10, 11, 12, 13]);

  it('aligns rows by time (ISO or epoch seconds / ms); missing bars hold', () => {
    const text = `date,signal,confidence\n2024-01-02,1,0.7\n${(T0 + 3 * DAY) / 1000},-1,\n`;
    const out = parseSignalsCsv(text, bars);
    expect([...out.signals]).toEqual([0, 1, 0, -1]);
    expect(out.confidences![1]).toBe(0.7);
    expect(out.confidences![3]).toBeNaN();
    expect(out.rows).toBe(2);
    const noConfidence = parseSignalsCsv(`Timestamp,Signal\n${T0},1\n`, bars);
    expect([...noConfidence.signals]).toEqual([1, 0, 0, 0]);
    expect(noConfidence.confidences).toBeUndefined();
  });

  it('names the file and line of a bad row', () => {
    expect(() => parseSignalsCsv('date,signal\n2024-01-01,1\n2024-02-01,1\n', bars, 's.csv')).toThrow(
      's.csv line 3: "2024-02-01" is not the time of any bar in the data',
    );
    expect(() => parseSignalsCsv('date,signal\n2024-01-01,1\n2024-01-01,0\n', bars, 's.csv')).toThrow('s.csv line 3: "2024-01-01" appears twice');
    expect(() => parseSignalsCsv('date,signal\nyesterday,1\n', bars, 's.csv')).toThrow('s.csv line 2: date must be an ISO date');
    expect(() => parseSignalsCsv('date,signal,confidence\n2024-01-01,1,1.5\n', bars, 's.csv')).toThrow(
      's.csv line 2: confidence must be a number between 0 and 1, got "1.5"',
    );
    expect(() => parseSignalsCsv('when,what\n1,2\n', bars, 's.csv')).toThrow('s.csv line 1: expected a header with a date');
    expect(() => parseSignalsCsv('date,signal\n2024-01-01,1,extra\n', bars, 's.csv')).toThrow(/^s\.csv line 2: /);
  });
});

describe('demoFolderName', () => {
  it('is demo-<UTC date>-<UTC time>', () => {
    expect(demoFolderName(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe('demo-20240102-030405');
  });
});
