import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { threadEntry } from './thread-entry';

describe('threadEntry', () => {
  it('starts the bundled entry beside a built caller, with no extra options', () => {
    const entry = threadEntry('file:///opt/pkg/dist/index.cjs', { built: './thread.js', source: '../thread.ts' });
    expect(entry).toEqual({ filename: 'file:///opt/pkg/dist/thread.js', execArgv: undefined, argv: undefined });
  });

  it('starts the tsx bootstrap for a caller running from its sources, naming the TypeScript entry', () => {
    const entry = threadEntry('file:///opt/pkg/src/local/pool.ts', { built: './thread.js', source: '../thread.ts' });
    expect(existsSync(fileURLToPath(entry.filename))).toBe(true);
    expect(entry.filename.endsWith('/core/src/tsx-thread.mjs')).toBe(true);
    expect(entry.execArgv).toEqual(['--conditions=@algo-trading/source']);
    expect(entry.argv).toEqual([fileURLToPath('file:///opt/pkg/src/thread.ts')]);
  });

  describe('a thread started from TypeScript sources', () => {
    const folder = mkdtempSync(join(tmpdir(), 'thread-entry-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('runs the TypeScript entry through the bootstrap', async () => {
      // Type annotations and an enum: plain Node could not load this file (.mts: the temporary folder has no package.json saying ESM).
      writeFileSync(
        join(folder, 'echo.mts'),
        [
          "import { parentPort } from 'node:worker_threads';",
          'enum Factor { Double = 2 }',
          'const twice = (value: number): number => value * Factor.Double;',
          'parentPort!.postMessage(twice(21));',
        ].join('\n'),
      );
      const entry = threadEntry(pathToFileURL(join(folder, 'caller.ts')).href, { built: './echo.js', source: './echo.mts' });
      const worker = new Worker(new URL(entry.filename), { execArgv: [...entry.execArgv!], argv: [...entry.argv!] });
      try {
        const reply = await new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
        expect(reply).toBe(42);
      } finally {
        await worker.terminate();
      }
    }, 60_000);
  });
});
