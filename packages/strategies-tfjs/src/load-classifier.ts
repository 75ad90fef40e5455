import { LstmClassifier } from './lstm-classifier';
import { readSavedMetadata } from './model-io';
import { TfjsClassifier, type LoadClassifierOptions } from './tfjs-classifier';

/**
 * Loads whichever classifier a saved folder holds (`TfjsClassifier` or `LstmClassifier`).
 *
 * @throws AlgoTradingError `NOT_FOUND`, `UNSUPPORTED` (newer format version), `INVALID_DATA`.
 */
export async function loadClassifier(dir: string, options: LoadClassifierOptions = {}): Promise<TfjsClassifier | LstmClassifier> {
  const { kind } = await readSavedMetadata(dir);
  return kind === 'lstm' ? LstmClassifier.load(dir, options) : TfjsClassifier.load(dir, options);
}
