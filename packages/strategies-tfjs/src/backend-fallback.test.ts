import { isAlgoTradingError } from '@algo-trading/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultModuleLoader, selectBackend, type ModuleLoader } from './backend';

// This file runs in its own process: no backend has been registered before the first test.
const unavailable = (...specifiers: string[]): ModuleLoader => (specifier) => {
  if (specifiers.includes(specifier)) throw new Error(`Cannot find module '${specifier}'`);
  return defaultModuleLoader(specifier);
};

describe('selectBackend fallbacks (fresh process)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('throws NOT_FOUND listing every attempt when no backend loads', async () => {
    const loader = unavailable('@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu');
    const error = await selectBackend({ loader }).catch((e: unknown) => e);
    expect(isAlgoTradingError(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('tensorflow: @tensorflow/tfjs-node unavailable');
    expect((error as Error).message).toContain('wasm: @tensorflow/tfjs-backend-wasm unavailable');
    expect((error as Error).message).toContain('cpu: @tensorflow/tfjs-backend-cpu unavailable');
  });

  it('falls back to cpu when neither tfjs-node nor wasm loads, without the cpu banner', async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const selection = await selectBackend({ loader: unavailable('@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm') });
    expect(selection.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(selection.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ['tensorflow', false],
      ['wasm', false],
      ['cpu', true],
    ]);
    expect(selection.reason).toContain('wasm skipped');
    const sum = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]);
    expect(sum).toBe(6);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });
});
