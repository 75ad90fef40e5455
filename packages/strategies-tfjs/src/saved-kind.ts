import { AlgoTradingError } from '@algo-trading/core';
import type { ModelKind, SavedClassifierMetadata } from './model-io';

const CLASS_OF: Readonly<Record<ModelKind, string>> = { dense: 'TfjsClassifier', lstm: 'LstmClassifier' };

/** Checks that a saved folder holds the expected model kind (`INVALID_DATA` naming the right class otherwise). */
export function requireKind(metadata: SavedClassifierMetadata, kind: ModelKind, dir: string): SavedClassifierMetadata {
  if (metadata.kind !== kind) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `${dir} holds a '${metadata.kind}' model: load it with ${CLASS_OF[metadata.kind]}.load or loadClassifier, not ${CLASS_OF[kind]}.load`,
      { details: { field: 'kind', value: metadata.kind, expected: kind } },
    );
  }
  return metadata;
}
