import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catchAlgoTradingRejection, isAlgoTradingError } from '@algo-trading/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticData } from '../test/helpers';
import { selectBackend } from './backend';
import { loadClassifier } from './load-classifier';
import { LstmClassifier } from './lstm-classifier';
import { SAVED_FILES, SAVED_FORMAT_NAME, SAVED_FORMAT_VERSION, readSavedMetadata } from './model-io';
import { TfjsClassifier } from './tfjs-classifier';

const data = syntheticData(400, 4, 21, (row) => row[0]! - row[2]!);
let root: string;
let dense: TfjsClassifier;
let denseDir: string;

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'strategies-tfjs-io-'));
  dense = new TfjsClassifier({ hiddenUnits: [8, 4], dropout: 0.2, epochs: 3, batchSize: 64, learningRate: 0.01, seed: 5, classWeight: 'balanced' });
  await dense.fit(data.X, data.y);
  denseDir = join(root, 'dense');
  await dense.save(denseDir);
});

afterAll(async () => {
  dense.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('save / load', () => {
  it('writes model.json, weights.bin and a versioned classifier.json', async () => {
    const metadata = JSON.parse(await readFile(join(denseDir, SAVED_FILES.metadata), 'utf8')) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      format: SAVED_FORMAT_NAME,
      formatVersion: SAVED_FORMAT_VERSION,
      kind: 'dense',
      featureCount: 4,
      options: { hiddenUnits: [8, 4], seed: 5, classWeight: 'balanced' },
      tfjsVersion: tf.version_core,
    });
    expect(metadata['scaler']).toEqual({ mean: [...dense.scaler!.mean], scale: [...dense.scaler!.scale] });
    const modelJson = JSON.parse(await readFile(join(denseDir, SAVED_FILES.model), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    expect(modelJson.weightsManifest[0]!.paths).toEqual([SAVED_FILES.weights]);
    // 4*8+8 + 8*4+4 + 4*1+1 float32 parameters.
    expect((await readFile(join(denseDir, SAVED_FILES.weights))).byteLength).toBe((40 + 36 + 5) * 4);
  });

  it('round-trips to identical predictions, options and fit summary', async () => {
    const loaded = await TfjsClassifier.load(denseDir);
    expect(loaded.isFitted).toBe(true);
    expect(loaded.options).toEqual(dense.options);
    expect(loaded.lastFit).toEqual(dense.lastFit);
    const withNaN = [...data.X.slice(0, 50), [Number.NaN, 1, 2, 3]];
    expect(Array.from(await loaded.predictProba(withNaN))).toEqual(Array.from(await dense.predictProba(withNaN)));
    const generic = await loadClassifier(denseDir);
    expect(generic).toBeInstanceOf(TfjsClassifier);
    expect(Array.from(await generic.predictProba(data.X))).toEqual(Array.from(await dense.predictProba(data.X)));
    loaded.dispose();
    generic.dispose();
  });

  it('round-trips an LSTM, and refuses to load it as the dense model', async () => {
    const lstm = new LstmClassifier({ windowSize: 4, lstmUnits: [6], epochs: 2, batchSize: 64, seed: 3 });
    await lstm.fit(data.X, data.y);
    const dir = join(root, 'lstm');
    await lstm.save(dir);
    const loaded = await loadClassifier(dir);
    expect(loaded).toBeInstanceOf(LstmClassifier);
    expect(Array.from(await loaded.predictProba(data.X))).toEqual(Array.from(await lstm.predictProba(data.X)));
    const wrong = await catchAlgoTradingRejection(TfjsClassifier.load(dir));
    expect(isAlgoTradingError(wrong, 'INVALID_DATA')).toBe(true);
    expect(wrong.message).toContain("holds a 'lstm' model: load it with LstmClassifier.load");
    lstm.dispose();
    loaded.dispose();
  });

  it('refuses a folder written by a newer format version', async () => {
    const dir = join(root, 'future');
    await dense.save(dir);
    const path = join(dir, SAVED_FILES.metadata);
    const metadata = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...metadata, formatVersion: SAVED_FORMAT_VERSION + 1, somethingNew: true }));
    const error = await catchAlgoTradingRejection(TfjsClassifier.load(dir));
    expect(isAlgoTradingError(error, 'UNSUPPORTED')).toBe(true);
    expect(error.message).toContain(`format version ${SAVED_FORMAT_VERSION + 1}`);
    expect(error.message).toContain(`reads up to ${SAVED_FORMAT_VERSION}`);
  });

  it('detects corrupted weights, foreign and malformed files, and missing folders', async () => {
    const dir = join(root, 'corrupt');
    await dense.save(dir);
    const weights = await readFile(join(dir, SAVED_FILES.weights));
    weights[0] = weights[0]! ^ 0xff;
    await writeFile(join(dir, SAVED_FILES.weights), weights);
    const corrupt = await catchAlgoTradingRejection(TfjsClassifier.load(dir));
    expect(isAlgoTradingError(corrupt, 'INVALID_DATA')).toBe(true);
    expect(corrupt.message).toContain('does not match its checksum');

    await writeFile(join(dir, SAVED_FILES.metadata), JSON.stringify({ format: 'something-else', formatVersion: 1 }));
    expect((await catchAlgoTradingRejection(readSavedMetadata(dir))).message).toContain('is not a saved @algo-trading/strategies-tfjs classifier');
    await writeFile(join(dir, SAVED_FILES.metadata), '{ not json');
    expect((await catchAlgoTradingRejection(readSavedMetadata(dir), 'PARSE_ERROR')).code).toBe('PARSE_ERROR');
    await writeFile(join(dir, SAVED_FILES.metadata), JSON.stringify({ format: SAVED_FORMAT_NAME, formatVersion: 1, kind: 'dense' }));
    expect((await catchAlgoTradingRejection(readSavedMetadata(dir), 'INVALID_DATA')).code).toBe('INVALID_DATA');

    const missing = await catchAlgoTradingRejection(loadClassifier(join(root, 'nothing-here')));
    expect(isAlgoTradingError(missing, 'NOT_FOUND')).toBe(true);
  });

  it('rejects an empty folder path', async () => {
    expect((await catchAlgoTradingRejection(dense.save('  '), 'INVALID_ARGUMENT')).code).toBe('INVALID_ARGUMENT');
  });
});
