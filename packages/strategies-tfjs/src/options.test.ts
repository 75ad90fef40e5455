import { catchAlgoTradingError, silentLogger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { LstmClassifier } from './lstm-classifier';
import { autoBatchSize, autoLearningRate } from './options';
import { TfjsClassifier } from './tfjs-classifier';

describe('TfjsClassifier options', () => {
  it('applies the documented defaults', () => {
    const m = new TfjsClassifier();
    expect(m.options).toEqual({
      hiddenUnits: [64, 32],
      activation: 'relu',
      dropout: 0.1,
      epochs: 50,
      batchSize: 'auto',
      learningRate: 'auto',
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

  it("takes a number or 'auto' for batchSize and learningRate", () => {
    expect(new TfjsClassifier({ batchSize: 64, learningRate: 0.01 }).options).toMatchObject({ batchSize: 64, learningRate: 0.01 });
    expect(catchAlgoTradingError(() => new TfjsClassifier({ batchSize: 0 }), 'INVALID_CONFIG').message).toContain(
      "batchSize: expected an integer greater than or equal to 1, or 'auto', got 0",
    );
    expect(catchAlgoTradingError(() => new TfjsClassifier({ batchSize: 'Auto' as never }), 'INVALID_CONFIG').message).toContain('batchSize');
    expect(catchAlgoTradingError(() => new TfjsClassifier({ learningRate: -1 }), 'INVALID_CONFIG').message).toContain(
      "learningRate: expected a number greater than 0, or 'auto', got -1",
    );
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

describe("'auto' batch size and learning rate", () => {
  it('picks samples / 16 rounded to a power of two, within [256, 1024]', () => {
    // 16,000 / 16 = 1,000 -> 2^10; 8,000 / 16 = 500 -> 2^9; 5,000 / 16 = 312.5 -> 2^8 (log2 8.29).
    expect(autoBatchSize(16_000)).toBe(1024);
    expect(autoBatchSize(8_000)).toBe(512);
    expect(autoBatchSize(5_000)).toBe(256);
    // 11,000 / 16 = 687.5, log2 9.43 -> 512; 12,000 / 16 = 750, log2 9.55 -> 1024.
    expect(autoBatchSize(11_000)).toBe(512);
    expect(autoBatchSize(12_000)).toBe(1024);
    // The boundaries: 16 x 2^8.5 = 5,792.6 and 16 x 2^9.5 = 11,585.2.
    expect([5_792, 5_793, 11_585, 11_586].map(autoBatchSize)).toEqual([256, 512, 512, 1024]);
    expect(autoBatchSize(1_000_000)).toBe(1024);
    expect(autoBatchSize(100)).toBe(256);
    expect(autoBatchSize(1)).toBe(256);
  });
  it('scales 1e-3 by the square root of batchSize / 256', () => {
    expect(autoLearningRate(256)).toBe(1e-3);
    expect(autoLearningRate(1024)).toBe(2e-3);
    expect(autoLearningRate(512)).toBeCloseTo(Math.SQRT2 * 1e-3, 15);
    expect(autoLearningRate(64)).toBe(5e-4);
  });
});

describe('LstmClassifier options', () => {
  it('applies the documented defaults', () => {
    const m = new LstmClassifier();
    expect(m.options).toMatchObject({ windowSize: 20, lstmUnits: [32], epochs: 30, batchSize: 128, learningRate: 1e-3, dropout: 0.1 });
  });
  it('requires a window of at least 2 rows', () => {
    expect(catchAlgoTradingError(() => new LstmClassifier({ windowSize: 1 }), 'INVALID_CONFIG').message).toContain('windowSize: expected an integer greater than or equal to 2, got 1');
  });
});
