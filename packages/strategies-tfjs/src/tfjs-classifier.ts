import type { Logger } from '@algo-trading/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TfjsClassifierBase } from './base-classifier';
import { readSavedMetadata } from './model-io';
import { resolveOptions, tfjsClassifierOptionsSchema, type ResolvedTfjsClassifierOptions, type TfjsClassifierOptions } from './options';
import { requireKind } from './saved-kind';
import type { TfRuntime } from './tfjs-runtime';

/** Options of the static `load` methods. */
export interface LoadClassifierOptions {
  /** Logger of the loaded classifier; default silent. */
  readonly logger?: Logger | undefined;
}

/**
 * A dense (MLP) binary classifier on TensorFlow.js implementing `ProbabilisticClassifier`:
 * standardised inputs, `hiddenUnits` dense layers with dropout, a sigmoid output giving P(up).
 * Deterministic for a given `seed` on a given backend.
 *
 * @example
 * const model = new TfjsClassifier({ hiddenUnits: [64, 32], dropout: 0.1, epochs: 50, batchSize: 256,
 *   learningRate: 1e-3, validationSplit: 0.2, earlyStoppingPatience: 5, seed: 42 });
 * await model.fit(X, y, { onEpochEnd: (epoch, logs) => console.log(epoch, logs.valLoss) });
 * const pUp = await model.predictProba(X);       // Float64Array, NaN for rows with NaN features
 * await model.save('./models/spy');
 * const again = await TfjsClassifier.load('./models/spy');
 * model.dispose();
 */
export class TfjsClassifier extends TfjsClassifierBase<ResolvedTfjsClassifierOptions> {
  /** Saved-folder kind of this model. */
  readonly kind = 'dense' as const;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming the offending option and its value. */
  constructor(options: TfjsClassifierOptions = {}) {
    super(resolveOptions(tfjsClassifierOptionsSchema, options, 'TfjsClassifier options'));
  }

  protected get window(): number {
    return 1;
  }

  protected sampleShape(count: number, featureCount: number): number[] {
    return [count, featureCount];
  }

  protected buildNetwork({ tfl }: TfRuntime, featureCount: number, nextSeed: () => number): LayersModel {
    const { hiddenUnits, activation, dropout } = this.options;
    const model = tfl.sequential();
    hiddenUnits.forEach((units, i) => {
      model.add(
        tfl.layers.dense({
          units,
          activation,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed() }),
          biasInitializer: 'zeros',
          ...(i === 0 ? { inputShape: [featureCount] } : {}),
        }),
      );
      if (dropout > 0) model.add(tfl.layers.dropout({ rate: dropout, seed: nextSeed() }));
    });
    model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed() }) }));
    return model;
  }

  /**
   * Loads a classifier saved with {@link TfjsClassifier.save}.
   *
   * @throws AlgoTradingError `NOT_FOUND` (no classifier.json), `UNSUPPORTED` (newer format version),
   *   `INVALID_DATA` (another model kind, corrupted files).
   */
  static async load(dir: string, options: LoadClassifierOptions = {}): Promise<TfjsClassifier> {
    const metadata = requireKind(await readSavedMetadata(dir), 'dense', dir);
    const classifier = new TfjsClassifier({ ...metadata.options, logger: options.logger } as TfjsClassifierOptions);
    await classifier.restore(dir, metadata);
    return classifier;
  }
}
