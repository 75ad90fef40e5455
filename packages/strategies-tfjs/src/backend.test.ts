import { createRequire } from 'node:module';
import { isAlgoTradingError } from '@algo-trading/core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../test/helpers';
import { BACKEND_NAMES, defaultModuleLoader, ensureBackend, selectBackend, type ModuleLoader } from './backend';

/** A stand-in for @tensorflow/tfjs-node: registers a 'tensorflow' backend running the cpu kernels. */
function fakeTfjsNode(): { loader: ModuleLoader; loaded: string[]; cleanup: () => void } {
  const loaded: string[] = [];
  const loader: ModuleLoader = (specifier) => {
    loaded.push(specifier);
    if (specifier !== '@tensorflow/tfjs-node') return defaultModuleLoader(specifier);
    tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { firstUse: false }), 3);
    for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
    return { version: { 'tfjs-node': 'fake' } };
  };
  const cleanup = () => {
    for (const kernel of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(kernel.kernelName, 'tensorflow');
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  };
  return { loader, loaded, cleanup };
}

const noNode: ModuleLoader = (specifier) => {
  if (specifier === '@tensorflow/tfjs-node') throw new Error("Cannot find module '@tensorflow/tfjs-node'");
  return defaultModuleLoader(specifier);
};

describe('selectBackend', () => {
  afterAll(async () => {
    await selectBackend({ preferred: 'wasm', loader: noNode });
  });

  it('lists the backends in the order they are tried', () => {
    expect(BACKEND_NAMES).toEqual(['tensorflow', 'wasm', 'cpu']);
  });

  it('uses wasm (SIMD) when tfjs-node is missing, and logs the choice once', async () => {
    const logger = recordingLogger();
    const first = await selectBackend({ loader: noNode, logger });
    const second = await selectBackend({ loader: noNode, logger });
    expect(first.backend).toBe('wasm');
    expect(second.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(first.attempts[0]).toMatchObject({ backend: 'tensorflow', ok: false });
    expect(first.attempts[0]!.reason).toContain("Cannot find module '@tensorflow/tfjs-node'");
    expect(first.reason).toContain('SIMD');
    expect(first.reason).toContain('tensorflow skipped');
    const info = logger.calls.filter((c) => c.level === 'info');
    expect(info).toHaveLength(1);
    // Why tfjs-node was skipped is routine: DEBUG, not on the INFO line of every run.
    expect(JSON.stringify(info[0]!.args)).not.toContain('tfjs-node');
    expect(JSON.stringify(info[0]!.args)).toContain('SIMD');
    const debug = logger.calls.filter((c) => c.level === 'debug');
    expect(JSON.stringify(debug)).toContain("Cannot find module '@tensorflow/tfjs-node'");
  });

  it('prefers tfjs-node when the loader provides it', async () => {
    const fake = fakeTfjsNode();
    const logger = recordingLogger();
    try {
      const selection = await selectBackend({ loader: fake.loader, logger });
      expect(selection).toMatchObject({ backend: 'tensorflow', attempts: [{ backend: 'tensorflow', ok: true }] });
      expect(fake.loaded).toEqual(['@tensorflow/tfjs-node']);
      expect(tf.getBackend()).toBe('tensorflow');
      expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5);
      expect(logger.calls.filter((c) => c.level === 'info')).toHaveLength(1);
    } finally {
      await selectBackend({ preferred: 'wasm', loader: noNode });
      fake.cleanup();
    }
    expect(tf.getBackend()).toBe('wasm');
  });

  it('skips a tfjs-node module that registers no backend (e.g. an alias of @tensorflow/tfjs)', async () => {
    const loader: ModuleLoader = (specifier) => (specifier === '@tensorflow/tfjs-node' ? {} : defaultModuleLoader(specifier));
    const selection = await selectBackend({ loader });
    expect(selection.backend).toBe('wasm');
    expect(selection.attempts[0]!.reason).toContain("registered no 'tensorflow' backend");
  });

  it('honours a preferred backend and logs the change', async () => {
    const logger = recordingLogger();
    const cpu = await selectBackend({ preferred: 'cpu', loader: noNode, logger });
    expect(cpu.backend).toBe('cpu');
    expect(cpu.attempts).toHaveLength(1);
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend({ preferred: 'wasm', loader: noNode, logger });
    expect(wasm.backend).toBe('wasm');
    expect(logger.calls.filter((c) => c.level === 'info').map((c) => (c.args[0] as { backend: string }).backend)).toEqual(['cpu', 'wasm']);
  });

  it('falls back in order when the preferred backend is unavailable', async () => {
    const selection = await selectBackend({ preferred: 'tensorflow', loader: noNode });
    expect(selection.backend).toBe('wasm');
    expect(selection.attempts.map((a) => a.backend)).toEqual(['tensorflow', 'wasm']);
  });

  it('rejects an unknown preferred backend or a non-function loader', async () => {
    const bad = await selectBackend({ preferred: 'webgl' as never }).catch((e: unknown) => e);
    expect(isAlgoTradingError(bad, 'INVALID_ARGUMENT')).toBe(true);
    expect((bad as Error).message).toContain('"webgl"');
    const badLoader = await selectBackend({ loader: 42 as never }).catch((e: unknown) => e);
    expect(isAlgoTradingError(badLoader, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('ensureBackend keeps the active backend', async () => {
    await selectBackend({ preferred: 'cpu', loader: noNode });
    expect(await ensureBackend()).toBe('cpu');
    await selectBackend({ preferred: 'wasm', loader: noNode });
    expect(await ensureBackend()).toBe('wasm');
  });
});

describe('defaultModuleLoader', () => {
  it('refuses a @tensorflow/tfjs-node name that resolves to another package', async () => {
    // This workspace maps @tensorflow/tfjs-node to a cpu stand-in (root package.json pnpm
    // overrides, for danfojs; tools/tfjs-node-cpu): it must not be mistaken for the native backend.
    const require = createRequire(import.meta.url);
    const name = (require('@tensorflow/tfjs-node/package.json') as { name: string }).name;
    expect(name).toBe('@algo-trading/tfjs-node-cpu');
    const error = await defaultModuleLoader('@tensorflow/tfjs-node').catch((e: unknown) => e);
    expect(isAlgoTradingError(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('alias');
  });

  it('loads an installed module', async () => {
    const mod = (await defaultModuleLoader('@tensorflow/tfjs-backend-cpu')) as Record<string, unknown>;
    expect(mod['MathBackendCPU'] ?? (mod['default'] as Record<string, unknown>)['MathBackendCPU']).toBeTypeOf('function');
  });
});
