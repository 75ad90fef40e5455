import { AlgoTradingError } from '@algo-trading/core';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import { registerChainedOps } from './chained-ops';

/** The @tensorflow/tfjs-core module. */
export type TfCoreModule = typeof TfCore;
/** The @tensorflow/tfjs-layers module. */
export type TfLayersModule = typeof TfLayers;

/** tfjs-core and tfjs-layers, loaded on first use (importing this package loads neither). */
export interface TfRuntime {
  readonly tf: TfCoreModule;
  readonly tfl: TfLayersModule;
}

/**
 * A CommonJS module imported from ESM arrives as a namespace whose `default` is `module.exports`
 * (complete, getters included); an ES module has no such default. Take whichever holds `marker`.
 */
function unwrap<T>(namespace: unknown, marker: string): T {
  const ns = namespace as Record<string, unknown>;
  const fallback = ns['default'] as Record<string, unknown> | undefined;
  if (typeof ns[marker] === 'undefined' && fallback !== undefined && typeof fallback[marker] !== 'undefined') {
    return fallback as T;
  }
  return ns as T;
}

let pending: Promise<TfRuntime> | undefined;

/**
 * Loads tfjs-core and tfjs-layers once (dynamic import, so importing this package has no side
 * effects) and registers the chained tensor methods tfjs-layers relies on.
 */
export function loadTfRuntime(): Promise<TfRuntime> {
  pending ??= (async () => {
    try {
      const tf = unwrap<TfCoreModule>(await import('@tensorflow/tfjs-core'), 'tensor');
      const tfl = unwrap<TfLayersModule>(await import('@tensorflow/tfjs-layers'), 'sequential');
      registerChainedOps(tf);
      return { tf, tfl };
    } catch (cause) {
      pending = undefined;
      throw new AlgoTradingError('NOT_FOUND', 'cannot load @tensorflow/tfjs-core and @tensorflow/tfjs-layers', { cause });
    }
  })();
  return pending;
}
