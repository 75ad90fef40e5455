import { expect, it } from 'vitest';

it('importing the package loads no TensorFlow.js module and selects no backend', async () => {
  // Runs in its own process; tfjs-core creates its global engine (`_tfengine`) when it is imported.
  const before = (globalThis as Record<string, unknown>)['_tfengine'];
  const pkg = await import('./index');
  expect(typeof pkg.TfjsClassifier).toBe('function');
  new pkg.TfjsClassifier({ seed: 1 });
  expect(before).toBeUndefined();
  expect((globalThis as Record<string, unknown>)['_tfengine']).toBeUndefined();
});
