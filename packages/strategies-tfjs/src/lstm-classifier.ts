import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TfjsClassifierBase } from './base-classifier';
import { readSavedMetadata } from './model-io';
import { lstmClassifierOptionsSchema, resolveOptions, type LstmClassifierOptions, type ResolvedLstmClassifierOptions } from './options';
import { orthogonalMatrix } from './orthogonal';
import { requireKind } from './saved-kind';
import type { LoadClassifierOptions } from './tfjs-classifier';
import type { TfRuntime } from './tfjs-runtime';

/**
 * An LSTM binary classifier over windows of features: row t is predicted from the standardised
 * rows t-windowSize+1..t (so the first windowSize-1 rows of any `X` get NaN). Same training,
 * determinism, save/load and validation rules as `TfjsClassifier`.
 *
 * @example
 * const lstm = new LstmClassifier({ windowSize: 20, lstmUnits: [32], epochs: 20, seed: 7 });
 * await lstm.fit(X, y);
 * const pUp = await lstm.predictProba(X);   // NaN for the first 19 rows
 */
export class LstmClassifier extends TfjsClassifierBase<ResolvedLstmClassifierOptions> {
  /** Saved-folder kind of this model. */
  readonly kind = 'lstm' as const;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming the offending option and its value. */
  constructor(options: LstmClassifierOptions = {}) {
    super(resolveOptions(lstmClassifierOptionsSchema, options, 'LstmClassifier options'));
  }

  protected get window(): number {
    return this.options.windowSize;
  }

  protected sampleShape(count: number, featureCount: number): number[] {
    return [count, this.options.windowSize, featureCount];
  }

  protected buildNetwork({ tf, tfl }: TfRuntime, featureCount: number, nextSeed: () => number): LayersModel {
    const { lstmUnits, dropout, windowSize } = this.options;
    const model = tfl.sequential();
    const recurrent: { layer: ReturnType<typeof tfl.layers.lstm>; units: number; seed: number }[] = [];
    lstmUnits.forEach((units, i) => {
      const layer = tfl.layers.lstm({
        units,
        returnSequences: i < lstmUnits.length - 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed() }),
        // Replaced below by a seeded orthogonal matrix (tfjs' Orthogonal initializer prints warnings).
        recurrentInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [windowSize, featureCount] } : {}),
      });
      model.add(layer);
      recurrent.push({ layer, units, seed: nextSeed() });
      if (dropout > 0) model.add(tfl.layers.dropout({ rate: dropout, seed: nextSeed() }));
    });
    model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed() }) }));
    for (const { layer, units, seed } of recurrent) {
      const [kernel, , bias] = layer.getWeights();
      const orthogonal = orthogonalMatrix(tf, units, 4 * units, seed);
      layer.setWeights([kernel!, orthogonal, bias!]);
      orthogonal.dispose();
    }
    return model;
  }

  /**
   * Loads a classifier saved with {@link LstmClassifier.save}.
   *
   * @throws AlgoTradingError `NOT_FOUND`, `UNSUPPORTED` (newer format version), `INVALID_DATA`.
   */
  static async load(dir: string, options: LoadClassifierOptions = {}): Promise<LstmClassifier> {
    const metadata = requireKind(await readSavedMetadata(dir), 'lstm', dir);
    const classifier = new LstmClassifier({ ...metadata.options, logger: options.logger } as LstmClassifierOptions);
    await classifier.restore(dir, metadata);
    return classifier;
  }
}
