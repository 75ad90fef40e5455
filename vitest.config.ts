import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongRunningFirstSequencer } from './tools/config/long-running-first';

// The project configs import the shared preset without a file extension (TypeScript resolution);
// Vite's note that its future native config loader will not support that is noise here.
process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';

// One vitest run over every package and app, so the summary counts every test.
export default defineConfig({
  test: {
    // One worker per core. Vitest's default keeps one core for its main process (one worker on a
    // two-core machine), but that process is idle while the tests run, and many test files wait on
    // child processes (the CLI, Redis, DuckDB): with one worker the whole suite ran file after file.
    maxWorkers: availableParallelism(),
    // Files marked `@long-running` start first (see the sequencer).
    sequence: { sequencer: LongRunningFirstSequencer },
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
  },
});
