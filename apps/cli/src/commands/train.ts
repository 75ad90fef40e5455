import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AlgoTradingError } from '@algo-trading/core';
import { MLPredictionStrategy } from '@algo-trading/strategies';
import { TfjsClassifier, selectBackend } from '@algo-trading/strategies-tfjs';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { tempPathFor } from '../output/atomic-write';
import { registerTempPath, releaseTempPath } from '../output/temp-files';
import { loadBars } from '../pipeline/load-data';
import { storeAccess } from '../store/access';
import { LABEL_HORIZON, buildMlDataset, cliClassifierOptions, type MlDataset } from '../pipeline/ml-walk-forward';
import { interruptSignal } from '../interrupt';
import { checkpoint } from '../yield';

/** Options of `algo-trading train`. */
export interface TrainCommandOptions {
  readonly data: string;
  /** `--db`: the store a `--data store:...` reference is loaded from (default `store.path` of the configuration). */
  readonly db?: string | undefined;
  /** `--sort-unordered`: sort data rows out of time order instead of failing. */
  readonly sortUnordered?: boolean | undefined;
  readonly modelOut: string;
  readonly epochs: number;
  /** Share of the latest rows held out to measure accuracy (never trained on). */
  readonly validation: number;
  readonly seed: number;
  readonly json?: boolean | undefined;
}

/** What `train` reports. */
export interface TrainSummary {
  readonly modelDir: string;
  readonly backend: string;
  readonly features: readonly string[];
  readonly trainedRows: number;
  readonly positiveRate: number;
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
  /** Accuracy of P(up) >= 0.5 on the held-out tail. */
  readonly heldOutAccuracy: number;
  readonly heldOutRows: number;
  /** ISO dates of the training and held-out rows. */
  readonly trainRange: readonly [string, string];
  readonly heldOutRange: readonly [string, string];
  readonly seed: number;
}

/**
 * Saves a model into `target` atomically: into a temporary sibling folder first, renamed into
 * place when complete. An interrupted save leaves no partial folder.
 */
async function saveModelAtomically(model: TfjsClassifier, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  registerTempPath(temp);
  try {
    await model.save(temp);
    if (existsSync(target)) rmdirSync(target); // empty (checked before training)
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  } finally {
    releaseTempPath(temp);
  }
}

/** Trains the model on rows `[0, fitEnd)` and counts its correct directions on `[heldOutStart, n)`. */
async function fitAndScore(
  ctx: CommandContext,
  options: TrainCommandOptions,
  input: { model: TfjsClassifier; dataset: MlDataset; fitEnd: number; heldOutStart: number },
) {
  const { model, dataset, fitEnd, heldOutStart } = input;
  const strategy = new MLPredictionStrategy({
    model,
    confidenceThreshold: ctx.config.strategy.confidence_threshold,
    featureColumns: [...dataset.features.columns],
    logger: ctx.engineLogger,
  });
  const rows = Int32Array.from({ length: fitEnd }, (_, i) => i);
  const task = ctx.progress.start('training epochs', options.epochs);
  const fitted = await strategy.fit(dataset.features, dataset.labels, {
    rows,
    fitOptions: {
      signal: interruptSignal(),
      onEpochEnd: (epoch: number, logs: Readonly<Record<string, number>>) => {
        const loss = logs['valLoss'] ?? logs['val_loss'] ?? logs['loss'];
        task.update(epoch + 1, loss === undefined ? '' : `loss ${loss.toFixed(4)}`);
      },
    },
  });
  const summaryFit = model.lastFit;
  task.done(`${summaryFit?.epochsRun ?? options.epochs} epochs`);
  const probabilities = await strategy.predictProbabilities(dataset.features.slice(heldOutStart, dataset.features.length));
  let correct = 0;
  let labelled = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    const label = dataset.labels[heldOutStart + i]!;
    if (Number.isNaN(p) || Number.isNaN(label)) continue;
    labelled++;
    if ((p >= 0.5 ? 1 : 0) === label) correct++;
  }
  return { fitted, summaryFit, correct, labelled };
}

/**
 * `algo-trading train`: builds the features of the data, trains the TensorFlow.js classifier on
 * all rows but the latest `validation` share, measures accuracy on that held-out tail, and saves
 * the model to `--model-out` (which must not exist or be empty).
 */
export async function runTrainCommand(ctx: CommandContext, options: TrainCommandOptions): Promise<TrainSummary> {
  const modelDir = ctx.resolvePath(options.modelOut);
  if (existsSync(modelDir) && readdirSync(modelDir).length > 0) {
    throw new UsageError(`--model-out ${modelDir} exists and is not empty: choose a new folder`);
  }
  const { bars } = await loadBars(options.data, ctx.resolvePath, ctx.logger, {
    sortUnordered: options.sortUnordered,
    store: storeAccess(ctx, options.db),
    command: 'train',
  });
  const backend = await selectBackend({ logger: ctx.logger });
  const dataset = buildMlDataset(bars);
  const n = bars.length;
  const heldOutStart = Math.floor(n * (1 - options.validation));
  const fitEnd = heldOutStart - LABEL_HORIZON; // embargo: the last training label must not see held-out bars
  if (fitEnd < 100) {
    throw new AlgoTradingError('INVALID_DATA', `${n} bars are too few to train (need at least ${Math.ceil(100 / (1 - options.validation)) + 1})`, {
      details: { field: 'data', value: n },
    });
  }
  const model = new TfjsClassifier(cliClassifierOptions({ epochs: options.epochs, seed: options.seed, logger: ctx.engineLogger }));
  let outcome: Awaited<ReturnType<typeof fitAndScore>>;
  try {
    outcome = await fitAndScore(ctx, options, { model, dataset, fitEnd, heldOutStart });
    await checkpoint(); // a SIGINT that arrived during training stops it before anything is written
    await saveModelAtomically(model, modelDir);
  } finally {
    model.dispose();
  }
  const { fitted, summaryFit, correct, labelled } = outcome;

  const date = (i: number) => new Date(bars.time[i]!).toISOString().slice(0, 10);
  const summary: TrainSummary = {
    modelDir,
    backend: backend.backend,
    features: dataset.features.columns,
    trainedRows: fitted.rows,
    positiveRate: fitted.positiveRate,
    epochsRun: summaryFit?.epochsRun ?? options.epochs,
    stoppedEarly: summaryFit?.stoppedEarly ?? false,
    heldOutAccuracy: labelled === 0 ? NaN : correct / labelled,
    heldOutRows: labelled,
    trainRange: [date(0), date(fitEnd - 1)],
    heldOutRange: [date(heldOutStart), date(n - 1)],
    seed: options.seed,
  };
  ctx.printJson({ ok: true, ...summary });
  ctx.print(
    [
      `Trained on ${summary.trainedRows} rows (${summary.trainRange[0]} to ${summary.trainRange[1]}), ${summary.features.length} features, ${summary.epochsRun} epochs on the ${summary.backend} backend.`,
      `Held-out accuracy: ${(summary.heldOutAccuracy * 100).toFixed(2)}% on ${summary.heldOutRows} rows (${summary.heldOutRange[0]} to ${summary.heldOutRange[1]}).`,
      `Model saved to ${modelDir}`,
    ].join('\n'),
  );
  return summary;
}
