import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { createContext, jsonReplacer } from './context';
import { captureIo } from '../test/helpers';
import { isUsageError } from './exit-codes';

const io = captureIo;

describe('createContext', () => {
  it('loads the config, logs to the configured file and keeps stdout for results', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'algo-cli-ctx-'));
    writeFileSync(join(cwd, 'c.yaml'), 'logging:\n  level: WARNING\n  file: logs/app.log\n');
    const { io: streams, out, err } = io(cwd);
    const ctx = await createContext({ io: streams, globals: {}, argv: ['x'], configPath: 'c.yaml' });
    expect(ctx.config.logging.level).toBe('WARNING');
    ctx.logger.info('hidden at WARNING');
    ctx.logger.warn('shown');
    ctx.print('result line');
    ctx.printJson({ ignored: true });
    expect(out()).toBe('result line\n');
    expect(err()).toContain('shown');
    expect(err()).not.toContain('hidden');
    expect(readFileSync(join(cwd, 'logs/app.log'), 'utf8')).toContain('"msg":"shown"');
    expect(ctx.engineLogger).not.toBe(ctx.logger);
    expect(ctx.resolvePath('a/b')).toBe(join(cwd, 'a/b'));
  });

  it('--json, --quiet, --log-level and --log-file override the config', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'algo-cli-ctx-'));
    const { io: streams, out, err } = io(cwd);
    const ctx = await createContext({ io: streams, globals: { quiet: true, logLevel: 'debug', logFile: 'debug.log' }, argv: [], json: true });
    ctx.logger.error('only in the file');
    ctx.print('not printed with --json');
    ctx.printJson({ value: NaN, arr: Float64Array.of(1, 2) });
    expect(err()).toBe('');
    expect(JSON.parse(out())).toEqual({ value: 'NaN', arr: [1, 2] });
    expect(readFileSync(join(cwd, 'debug.log'), 'utf8')).toContain('only in the file');
    expect(ctx.engineLogger).toBe(ctx.logger); // DEBUG shows engine events everywhere
    expect(ctx.progress.mode).toBe('none');
  });

  it('without a log file the engine logger is silent; a bad level is a usage error', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'algo-cli-ctx-'));
    writeFileSync(join(cwd, 'c.yaml'), 'logging:\n  file: null\n');
    const ctx = await createContext({ io: io(cwd).io, globals: {}, argv: [], configPath: 'c.yaml' });
    expect(ctx.engineLogger).toBe(silentLogger);
    const error = await createContext({ io: io(cwd).io, globals: { logLevel: 'LOUD' }, argv: [], configPath: 'c.yaml' }).catch((e: unknown) => e);
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toContain('logging.level must be one of DEBUG, INFO, WARNING, ERROR, SILENT, got "LOUD"');
  });

  it('jsonReplacer keeps finite numbers', () => {
    expect(JSON.stringify({ a: 1.5, b: -Infinity }, jsonReplacer)).toBe('{"a":1.5,"b":"-Infinity"}');
  });
});
