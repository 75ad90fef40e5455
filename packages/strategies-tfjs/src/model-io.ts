import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AlgoTradingError, describeValue } from '@algo-trading/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { io } from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ScalerState } from './scaler';
import type { TfRuntime } from './tfjs-runtime';

/** Format version written by this release; loading a folder with a higher version is refused. */
export const SAVED_FORMAT_VERSION = 1;
/** The `format` tag of `classifier.json`. */
export const SAVED_FORMAT_NAME = 'algo-trading/strategies-tfjs';
/** File names inside a saved-classifier folder. */
export const SAVED_FILES = { metadata: 'classifier.json', model: 'model.json', weights: 'weights.bin' } as const;

/** Which model a folder holds. */
export type ModelKind = 'dense' | 'lstm';

/** Contents of `classifier.json`. */
export interface SavedClassifierMetadata {
  readonly format: typeof SAVED_FORMAT_NAME;
  readonly formatVersion: number;
  readonly kind: ModelKind;
  readonly featureCount: number;
  readonly scaler: ScalerState;
  /** Resolved model options (without the logger). */
  readonly options: Record<string, unknown>;
  /** Summary of the fit that produced the weights (seed, epochs, class weights). */
  readonly fit: Record<string, unknown> | null;
  /** SHA-256 of weights.bin, checked on load. */
  readonly weightsSha256: string;
  /** tfjs-core version that wrote the weights. */
  readonly tfjsVersion: string;
}

const headSchema = z.object({
  format: z.string(),
  formatVersion: z.number().int().min(1),
});

const metadataSchema = z.object({
  format: z.literal(SAVED_FORMAT_NAME),
  formatVersion: z.number().int().min(1),
  kind: z.enum(['dense', 'lstm']),
  featureCount: z.number().int().min(1),
  scaler: z.object({ mean: z.array(z.number()), scale: z.array(z.number()) }),
  options: z.record(z.string(), z.unknown()),
  fit: z.record(z.string(), z.unknown()).nullable(),
  weightsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  tfjsVersion: z.string(),
});

const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string()), weights: z.array(z.record(z.string(), z.unknown())) }))
    .length(1),
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

function ioError(action: string, path: string, cause: unknown): AlgoTradingError {
  const code = (cause as { code?: unknown } | undefined)?.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
  return new AlgoTradingError(code, `cannot ${action} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
    cause,
    details: { field: 'dir', value: path },
  });
}

/**
 * Writes a trained model to `dir` (created if needed): `model.json` (standard tfjs layers-model
 * JSON, loadable by `tf.loadLayersModel` from a web server), `weights.bin`, and last
 * `classifier.json` (format version, kind, scaler, options, weights checksum). Uses
 * `tf.io.withSaveHandler`, so tfjs-node is not needed. Files are written atomically.
 */
export async function writeSavedClassifier(
  dir: string,
  runtime: TfRuntime,
  model: LayersModel,
  metadata: Omit<SavedClassifierMetadata, 'format' | 'formatVersion' | 'weightsSha256' | 'tfjsVersion'>,
): Promise<void> {
  const { tf } = runtime;
  let artifacts: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (artifacts === undefined || artifacts.weightData === undefined || artifacts.weightSpecs === undefined) {
    throw new AlgoTradingError('INVARIANT_VIOLATION', 'tfjs produced no weights while saving the model');
  }
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers`,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [SAVED_FILES.weights], weights: artifacts.weightSpecs }],
  };
  const full: SavedClassifierMetadata = {
    format: SAVED_FORMAT_NAME,
    formatVersion: SAVED_FORMAT_VERSION,
    ...metadata,
    weightsSha256: sha256(weights),
    tfjsVersion: tf.version_core,
  };
  try {
    await mkdir(dir, { recursive: true });
    await writeAtomically(join(dir, SAVED_FILES.weights), weights);
    await writeAtomically(join(dir, SAVED_FILES.model), JSON.stringify(modelJson));
    await writeAtomically(join(dir, SAVED_FILES.metadata), `${JSON.stringify(full, null, 2)}\n`);
  } catch (cause) {
    throw ioError('write the model to', dir, cause);
  }
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw ioError('read', path, cause);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AlgoTradingError('PARSE_ERROR', `${path} is not valid JSON`, { cause, details: { field: 'file', value: path } });
  }
}

/**
 * Reads `classifier.json` of a saved folder: checks the format tag and version (a newer format
 * version is refused with `UNSUPPORTED`), and the structure (`INVALID_DATA`).
 */
export async function readSavedMetadata(dir: string): Promise<SavedClassifierMetadata> {
  const path = join(dir, SAVED_FILES.metadata);
  const raw = await readJson(path);
  const head = headSchema.safeParse(raw);
  if (!head.success || head.data.format !== SAVED_FORMAT_NAME) {
    throw new AlgoTradingError('INVALID_DATA', `${path} is not a saved @algo-trading/strategies-tfjs classifier (format ${describeValue((raw as { format?: unknown } | null)?.format)})`, {
      details: { field: 'format', value: (raw as { format?: unknown } | null)?.format },
    });
  }
  if (head.data.formatVersion > SAVED_FORMAT_VERSION) {
    throw new AlgoTradingError(
      'UNSUPPORTED',
      `${path} has format version ${head.data.formatVersion}; this version of @algo-trading/strategies-tfjs reads up to ${SAVED_FORMAT_VERSION}: upgrade the package to load it`,
      { details: { field: 'formatVersion', value: head.data.formatVersion } },
    );
  }
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AlgoTradingError('INVALID_DATA', `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`, {
      cause: parsed.error,
      details: { field: issue?.path.join('.') ?? '(root)' },
    });
  }
  return parsed.data as SavedClassifierMetadata;
}

/** Loads the network of a saved folder (after {@link readSavedMetadata}), verifying the weights checksum. */
export async function readSavedNetwork(dir: string, runtime: TfRuntime, metadata: SavedClassifierMetadata): Promise<LayersModel> {
  const modelPath = join(dir, SAVED_FILES.model);
  const parsed = modelJsonSchema.safeParse(await readJson(modelPath));
  if (!parsed.success) {
    throw new AlgoTradingError('INVALID_DATA', `${modelPath} is not a tfjs layers-model JSON with one weights group`, {
      cause: parsed.error,
      details: { field: 'model.json' },
    });
  }
  const manifest = parsed.data.weightsManifest[0]!;
  const weightsPath = join(dir, manifest.paths.length === 1 ? manifest.paths[0]! : SAVED_FILES.weights);
  let bytes: Buffer;
  try {
    bytes = await readFile(weightsPath);
  } catch (cause) {
    throw ioError('read', weightsPath, cause);
  }
  const checksum = sha256(bytes);
  if (checksum !== metadata.weightsSha256) {
    throw new AlgoTradingError('INVALID_DATA', `${weightsPath} does not match its checksum in ${SAVED_FILES.metadata} (corrupted or replaced)`, {
      details: { field: 'weightsSha256', value: checksum, expected: metadata.weightsSha256 },
    });
  }
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return await runtime.tfl.loadLayersModel(
      runtime.tf.io.fromMemory({
        modelTopology: parsed.data.modelTopology,
        weightSpecs: manifest.weights as unknown as io.WeightsManifestEntry[],
        weightData,
      }),
    );
  } catch (cause) {
    throw new AlgoTradingError('INVALID_DATA', `cannot rebuild the model from ${modelPath}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      details: { field: 'model.json' },
    });
  }
}
