import { isAlgoTradingError, silentLogger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { LstmClassifier } from './lstm-classifier';
import { TfjsClassifier } from './tfjs-classifier';

function configError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(isAlgoTradingError(e, 'INVALID_CONFIG')).toBe(true);
    return e as Error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('TfjsClassifier options', () => {
  it('applies the documented defaults', () => {
    const m = new TfjsClassifier();
    expect(m.options).toEqual({
      hiddenUnits: [64, 32],
      activation: 'relu',
      dropout: 0.1,
      epochs: 50,
      batchSize: 256,
      learningRate: 1e-3,
      validationSplit: 0.2,
      earlyStoppingPatience: 5,
      restoreBestWeights: true,
      classWeight: 'none',
      predictBatchSize: 8192,
    });
    expect(m.isFitted).toBe(false);
  });

  it('names the key and the value of a bad option', () => {
    expect(configError(() => new TfjsClassifier({ dropout: 1 })).message).toContain('dropout: expected a number at least 0 and less than 1');
    expect(configError(() => new TfjsClassifier({ epochs: 0 })).message).toContain('epochs: expected an integer greater than or equal to 1, got 0');
    expect(configError(() => new TfjsClassifier({ hiddenUnits: [] })).message).toContain('hiddenUnits: expected at least one hidden layer');
    expect(configError(() => new TfjsClassifier({ seed: -1 })).message).toContain('seed: expected an integer between 0 and 4294967295, got -1');
    expect(configError(() => new TfjsClassifier({ classWeight: 'auto' as never })).message).toContain("classWeight: expected 'balanced' or 'none'");
    expect(configError(() => new TfjsClassifier({ learningRate: Number.NaN })).message).toContain('learningRate');
    expect(configError(() => new TfjsClassifier({ logger: {} as never })).message).toContain('logger: expected a Logger');
  });

  it('rejects unknown keys (typos)', () => {
    expect(configError(() => new TfjsClassifier({ hiddenUnit: [4] } as never)).message).toContain('hiddenUnit: unknown key');
  });

  it('accepts a logger without exposing it in options', () => {
    const m = new TfjsClassifier({ logger: silentLogger, seed: 3 });
    expect('logger' in m.options).toBe(false);
    expect(m.options.seed).toBe(3);
  });
});

describe('LstmClassifier options', () => {
  it('applies the documented defaults', () => {
    const m = new LstmClassifier();
    expect(m.options).toMatchObject({ windowSize: 20, lstmUnits: [32], epochs: 30, batchSize: 128, dropout: 0.1 });
  });
  it('requires a window of at least 2 rows', () => {
    expect(configError(() => new LstmClassifier({ windowSize: 1 })).message).toContain('windowSize: expected an integer greater than or equal to 2, got 1');
  });
});
