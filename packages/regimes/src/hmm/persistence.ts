import { createHash } from 'node:crypto';
import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { z } from 'zod';
import type { GaussianHmmParams } from './params';

/** The `format` tag of a saved {@link GaussianHMM}. */
export const SAVED_HMM_FORMAT = 'algo-trading/regimes/gaussian-hmm';
/** Format version written by this release; a file with a higher version is refused on load. */
export const SAVED_HMM_FORMAT_VERSION = 1;

/** The fit that produced a model's parameters; kept through save and load. */
export interface HmmFitSummary {
  /** Total log-likelihood of the fitted model on the training data. */
  readonly logLikelihood: number;
  /** EM updates of the kept restart. */
  readonly iterations: number;
  /** Whether the kept restart converged (false: stopped at `maxIterations`). */
  readonly converged: boolean;
  /** Training rows. */
  readonly observations: number;
  /** The variance floor used, per feature. */
  readonly varianceFloor: readonly number[];
  /** States (final numbering) with a variance on the floor at the end: degenerate states. */
  readonly flooredStates: readonly number[];
}

/** The model part of a saved file: options (without the logger), parameters, fit summary. */
export interface SavedHmmModel {
  readonly options: {
    readonly states: number;
    readonly covariance: 'diag' | 'full';
    readonly seed: number;
    readonly restarts: number;
    readonly maxIterations: number;
    readonly tolerance: number;
    readonly minCovar?: number | undefined;
    readonly minCovarRatio: number;
    readonly stateOrder: 'variance' | 'mean';
    readonly orderFeature: number;
  };
  readonly features: number;
  readonly params: GaussianHmmParams;
  readonly fit: HmmFitSummary | null;
}

/**
 * A saved {@link GaussianHMM} (what `toJSON` returns and `save` writes as text): a format tag
 * and version, the model, and `checksum` = `sha256:` + the SHA-256 of `JSON.stringify(model)`,
 * checked on load so a corrupted or hand-edited file is refused.
 */
export interface SavedGaussianHmm {
  readonly format: typeof SAVED_HMM_FORMAT;
  readonly formatVersion: number;
  readonly checksum: string;
  readonly model: SavedHmmModel;
}

/** `sha256:<hex>` of the compact JSON of `model`. */
export function checksumOf(model: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(model)).digest('hex')}`;
}

const numbers = z.array(z.number());
const modelSchema = z.object({
  options: z.record(z.string(), z.unknown()),
  features: z.number().int().min(1),
  params: z.object({
    startProb: numbers,
    transition: z.array(numbers),
    means: z.array(numbers),
    variances: z.array(numbers),
    covariances: z.array(z.array(numbers)).optional(),
  }),
  fit: z
    .object({
      logLikelihood: z.number(),
      iterations: z.number(),
      converged: z.boolean(),
      observations: z.number(),
      varianceFloor: numbers,
      flooredStates: numbers,
    })
    .nullable(),
});

function invalidFile(message: string, field: string, value?: unknown, cause?: unknown): never {
  throw new AlgoTradingError('INVALID_DATA', `saved GaussianHMM: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { field, value },
  });
}

/**
 * Reads a saved model (text or parsed object): checks the format tag, the version (a newer one
 * is `UNSUPPORTED`), the checksum and the structure. Option and parameter values are checked by
 * the model when it is rebuilt.
 *
 * @throws AlgoTradingError `PARSE_ERROR` for text that is not JSON, `INVALID_DATA` for a wrong
 * format, checksum or structure, `UNSUPPORTED` for a newer format version.
 */
export function readSavedModel(input: string | unknown): { model: SavedHmmModel; options: Record<string, unknown> } {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (cause) {
      throw new AlgoTradingError('PARSE_ERROR', 'saved GaussianHMM: the text is not valid JSON', { cause, details: { field: 'saved' } });
    }
  }
  if (typeof raw !== 'object' || raw === null) invalidFile(`expected an object, got ${describeValue(raw)}`, 'saved', raw);
  const file = raw as Record<string, unknown>;
  if (file['format'] !== SAVED_HMM_FORMAT) {
    invalidFile(`format must be ${JSON.stringify(SAVED_HMM_FORMAT)}, got ${describeValue(file['format'])}`, 'format', file['format']);
  }
  const version = file['formatVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    invalidFile(`formatVersion must be an integer >= 1, got ${describeValue(version)}`, 'formatVersion', version);
  }
  if (version > SAVED_HMM_FORMAT_VERSION) {
    throw new AlgoTradingError(
      'UNSUPPORTED',
      `saved GaussianHMM has format version ${version}; this version of @algo-trading/regimes reads up to ${SAVED_HMM_FORMAT_VERSION}: upgrade the package to load it`,
      { details: { field: 'formatVersion', value: version } },
    );
  }
  const expected = checksumOf(file['model']);
  if (file['checksum'] !== expected) {
    invalidFile('the checksum does not match the model (the file is corrupted or was edited)', 'checksum', file['checksum']);
  }
  const parsed = modelSchema.safeParse(file['model']);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalidFile(`model.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, `model.${issue?.path.join('.') ?? ''}`, undefined, parsed.error);
  }
  return { model: parsed.data as unknown as SavedHmmModel, options: parsed.data.options };
}
