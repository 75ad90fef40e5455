import { parseOptions, zIntegerAtLeast, zLogger } from '@algo-trading/core';
import { z } from 'zod';

/** How class imbalance is handled: `balanced` weighs each class by n / (2 x n_class); `none` does not. */
export type ClassWeightMode = 'balanced' | 'none';

/** Hidden-layer activations offered by the models. */
export const ACTIVATIONS = ['relu', 'tanh', 'elu', 'selu'] as const;
/** One of {@link ACTIVATIONS}. */
export type Activation = (typeof ACTIVATIONS)[number];

function zRateBelowOne(what: string) {
  const message = `expected a number at least 0 and less than 1 (${what})`;
  return z.number({ error: message }).min(0, { error: message }).lt(1, { error: message });
}

const zSeed = () => {
  const message = 'expected an integer between 0 and 4294967295';
  return z.number({ error: message }).int({ error: message }).min(0, { error: message }).max(4294967295, { error: message });
};

/** The value of `batchSize` and `learningRate` that lets `fit` choose them (see {@link autoBatchSize}, {@link autoLearningRate}). */
export type Auto = 'auto';

/** An integer >= 1, or 'auto'. */
function zBatchSize() {
  const message = "expected an integer greater than or equal to 1, or 'auto'";
  return z.union([z.number({ error: message }).int({ error: message }).min(1, { error: message }), z.literal('auto', { error: message })], { error: message });
}

/** A finite number > 0, or 'auto'. */
function zLearningRate() {
  const message = "expected a number greater than 0, or 'auto'";
  const rate = z.number({ error: message }).gt(0, { error: message }).refine(Number.isFinite, { error: message });
  return z.union([rate, z.literal('auto', { error: message })], { error: message });
}

/**
 * The batch size `batchSize: 'auto'` gives for `samples` training samples: samples / 16 rounded
 * to the nearest power of two (in log scale), kept within [256, 1024]: 256 below 5,793 samples,
 * 512 below 11,586, 1024 from there. So about 16 batches an epoch, never fewer than 256 samples
 * a batch (small data sets, where fewer and larger batches learn less, train exactly as with a
 * fixed 256) and at most 1024 (larger batches cost less per sample, most of a small network's
 * step being fixed costs; beyond 1024 the gain is small).
 *
 * @example
 * autoBatchSize(4_000);   // 256
 * autoBatchSize(8_000);   // 512
 * autoBatchSize(16_000);  // 1024
 */
export function autoBatchSize(samples: number): number {
  const target = Math.max(1, samples / 16);
  return Math.min(1024, Math.max(256, 2 ** Math.round(Math.log2(target))));
}

/**
 * The Adam learning rate `learningRate: 'auto'` gives for a batch size: 1e-3 x sqrt(batchSize /
 * 256), the square-root rule for adaptive optimizers (a batch k times larger averages away sqrt(k)
 * of the gradient noise, so a step can be sqrt(k) longer). 1e-3 at 256, about 1.41e-3 at 512 and
 * 2e-3 at 1024.
 */
export function autoLearningRate(batchSize: number): number {
  return 1e-3 * Math.sqrt(batchSize / 256);
}

/** Training keys shared by every classifier (defaults per model are applied by its schema). */
function trainingShape(defaults: { epochs: number; batchSize: number | Auto; learningRate: number | Auto }) {
  return {
    dropout: zRateBelowOne('fraction of units dropped while training').default(0.1),
    epochs: zIntegerAtLeast(1).default(defaults.epochs),
    batchSize: zBatchSize().default(defaults.batchSize),
    learningRate: zLearningRate().default(defaults.learningRate),
    validationSplit: zRateBelowOne('chronological tail of the training rows kept for validation').default(0.2),
    earlyStoppingPatience: zIntegerAtLeast(0).default(5),
    restoreBestWeights: z.boolean({ error: 'expected true or false' }).default(true),
    seed: zSeed().optional(),
    classWeight: z.enum(['balanced', 'none'], { error: "expected 'balanced' or 'none'" }).default('none'),
    predictBatchSize: zIntegerAtLeast(1).default(8192),
    logger: zLogger(),
  };
}

/** Schema of {@link TfjsClassifierOptions}. */
export const tfjsClassifierOptionsSchema = z.strictObject({
  hiddenUnits: z
    .array(zIntegerAtLeast(1), { error: 'expected an array of layer sizes (integers >= 1)' })
    .min(1, { error: 'expected at least one hidden layer' })
    .readonly()
    .default([64, 32]),
  activation: z.enum(ACTIVATIONS, { error: `expected one of ${ACTIVATIONS.join(', ')}` }).default('relu'),
  ...trainingShape({ epochs: 50, batchSize: 'auto', learningRate: 'auto' }),
});

/**
 * Options of `TfjsClassifier` (all optional):
 * - `hiddenUnits` ([64, 32]): sizes of the dense hidden layers; `activation` ('relu').
 * - `dropout` (0.1): dropout rate after each hidden layer, in [0, 1).
 * - `epochs` (50).
 * - `batchSize` ('auto'): samples per training step; 'auto' picks 256, 512 or 1024 from the
 *   number of training samples ({@link autoBatchSize}).
 * - `learningRate` ('auto'): Adam's learning rate; 'auto' is 1e-3 x sqrt(batchSize / 256)
 *   ({@link autoLearningRate}) with the batch size in use. The values used are in `lastFit`.
 * - `validationSplit` (0.2): the chronological last fraction of the rows given to `fit` is held
 *   out for early stopping (never shuffled into training); 0 disables validation.
 * - `earlyStoppingPatience` (5): epochs without a lower validation loss before stopping; 0 disables.
 * - `restoreBestWeights` (true): keep the weights of the epoch with the lowest validation loss.
 * - `seed`: fixes weight initialisation, dropout masks and shuffling (same seed, same model);
 *   omitted: a random seed is drawn per fit (see `lastFit.seed`).
 * - `classWeight` ('none'): 'balanced' weighs the loss by n / (2 x n_class).
 * - `predictBatchSize` (8192): rows per forward pass in `predictProba`.
 * - `logger`: a core `Logger`; default silent.
 */
export type TfjsClassifierOptions = z.input<typeof tfjsClassifierOptionsSchema>;
/** {@link TfjsClassifierOptions} with defaults applied. */
export type ResolvedTfjsClassifierOptions = z.output<typeof tfjsClassifierOptionsSchema>;

/** Schema of {@link LstmClassifierOptions}. */
export const lstmClassifierOptionsSchema = z.strictObject({
  windowSize: zIntegerAtLeast(2).default(20),
  lstmUnits: z
    .array(zIntegerAtLeast(1), { error: 'expected an array of LSTM layer sizes (integers >= 1)' })
    .min(1, { error: 'expected at least one LSTM layer' })
    .readonly()
    .default([32]),
  ...trainingShape({ epochs: 30, batchSize: 128, learningRate: 1e-3 }),
});

/**
 * Options of `LstmClassifier` (all optional): the training keys of {@link TfjsClassifierOptions}
 * (epochs 30, batchSize 128, learningRate 1e-3 by default; 'auto' allowed as for the dense model) plus
 * - `windowSize` (20): rows (bars) per input sequence; row t is predicted from rows t-windowSize+1..t.
 * - `lstmUnits` ([32]): sizes of stacked LSTM layers; dropout applies after each.
 */
export type LstmClassifierOptions = z.input<typeof lstmClassifierOptionsSchema>;
/** {@link LstmClassifierOptions} with defaults applied. */
export type ResolvedLstmClassifierOptions = z.output<typeof lstmClassifierOptionsSchema>;

/** Validates options (unknown keys rejected); throws `INVALID_CONFIG` naming the key and value. */
export function resolveOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  return parseOptions(schema, input ?? {}, { what });
}

/** The persistable part of resolved options (everything but the logger). */
export function persistableOptions<T extends { logger: unknown }>(options: T): Omit<T, 'logger'> {
  const { logger: _logger, ...rest } = options;
  return rest;
}
