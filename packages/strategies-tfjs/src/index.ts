export {
  BACKEND_NAMES,
  defaultModuleLoader,
  selectBackend,
  type BackendAttempt,
  type BackendName,
  type BackendSelection,
  type ModuleLoader,
  type SelectBackendOptions,
} from './backend';
export { TfjsClassifier, type LoadClassifierOptions } from './tfjs-classifier';
export { LstmClassifier } from './lstm-classifier';
export { loadClassifier } from './load-classifier';
export {
  ACTIVATIONS,
  autoBatchSize,
  autoLearningRate,
  lstmClassifierOptionsSchema,
  tfjsClassifierOptionsSchema,
  type Activation,
  type Auto,
  type ClassWeightMode,
  type LstmClassifierOptions,
  type ResolvedLstmClassifierOptions,
  type ResolvedTfjsClassifierOptions,
  type TfjsClassifierOptions,
} from './options';
export { type EpochLogs, type FitSummary } from './training';
export { type ScalerState } from './scaler';
export {
  SAVED_FILES,
  SAVED_FORMAT_NAME,
  SAVED_FORMAT_VERSION,
  type ModelKind,
  type SavedClassifierMetadata,
} from './model-io';
export { type SharedResolvedOptions, type TfjsClassifierBase } from './base-classifier';
