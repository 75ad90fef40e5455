import { catchAlgoTradingError, silentLogger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { LstmClassifier } from './lstm-classifier';
import { TfjsClassifier } from './tfjs-classifier';

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
    expect(catchAlgoTradingError(() => new TfjsClassifier({ dropout: 1 }), 'INVALID_CONFIG').message).toContain('dropout: expected a number at least 0 and less than 1');
    expect(catchAlgoTradingError(() => new TfjsClassifier({ epochs: 0 }), 'INVALID_CONFIG').message).toContain('epochs: expected an integer greater than or equal to 1, got 0');
    expect(catchAlgoTradingError(() => new TfjsClassifier({ hiddenUnits: [] }), 'INVALID_CONFIG').message).toContain('hiddenUnits: expected at least one hidden layer');
    expect(catchAlgoTradingError(() => new TfjsClassifier({ seed: -1 }), 'INVALID_CONFIG').message).toContain('seed: expected an integer between 0 and 4294967295, got -1');
    expect(catchAlgoTradingError(() => new TfjsClassifier({ classWeight: 'auto' as never }), 'INVALID_CONFIG').message).toContain("classWeight: expected 'balanced' or 'none'");
    expect(catchAlgoTradingError(() => new TfjsClassifier({ learningRate: Number.NaN }), 'INVALID_CONFIG').message).toContain('learningRate');
    expect(catchAlgoTradingError(() => new TfjsClassifier({ logger: {} as never }), 'INVALID_CONFIG').message).toContain('logger: expected a Logger');
  });

  it('rejects unknown keys (typos)', () => {
    expect(catchAlgoTradingError(() => new TfjsClassifier({ hiddenUnit: [4] } as never), 'INVALID_CONFIG').message).toContain('hiddenUnit: unknown key');
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
    expect(catchAlgoTradingError(() => new LstmClassifier({ windowSize: 1 }), 'INVALID_CONFIG').message).toContain('windowSize: expected an integer greater than or equal to 2, got 1');
  });
});
