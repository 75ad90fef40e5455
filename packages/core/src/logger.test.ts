import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { normalizeLogLevel, setupLogger, silentLogger, type Logger } from './logger';
import { catchAlgoTradingError } from './testing';

const dir = mkdtempSync(join(tmpdir(), 'algo-trading-logger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captureStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

function jsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('normalizeLogLevel', () => {
  it.each([
    ['DEBUG', 'debug'],
    ['debug', 'debug'],
    ['Info', 'info'],
    ['WARNING', 'warn'],
    ['warning', 'warn'],
    ['Warning', 'warn'],
    ['WARN', 'warn'],
    [' error ', 'error'],
    ['ERROR', 'error'],
    ['SILENT', 'silent'],
  ])('%s -> %s', (input, level) => {
    expect(normalizeLogLevel(input)).toBe(level);
  });

  it('rejects anything else, naming the setting and the value', () => {
    const error = catchAlgoTradingError(() => normalizeLogLevel('verbose'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe('logging.level must be one of DEBUG, INFO, WARNING, ERROR, SILENT, got "verbose"');
    expect(error.details).toEqual({ field: 'logging.level', value: 'verbose' });
    expect(catchAlgoTradingError(() => normalizeLogLevel(3 as never)).message).toContain('got 3');
    expect(catchAlgoTradingError(() => normalizeLogLevel('')).code).toBe('INVALID_CONFIG');
  });
});

describe('silentLogger (the default of every library)', () => {
  it('has the four methods, prints nothing on stdout or stderr and cannot be modified', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      for (const method of ['debug', 'info', 'warn', 'error'] as const) {
        silentLogger[method]('message');
        silentLogger[method]({ a: 1 }, 'message');
      }
      expect(stdout).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(Object.isFrozen(silentLogger)).toBe(true);
    expect(() => {
      (silentLogger as { info: unknown }).info = () => 'replaced';
    }).toThrow(TypeError);
  });
});

describe('setupLogger', () => {
  it('file output creates the missing folders and writes JSON lines', () => {
    const logFile = join(dir, 'nested', 'deeper', 'trading.log');
    expect(existsSync(join(dir, 'nested'))).toBe(false);
    const log = setupLogger({ name: 'backtest', logFile, console: false });
    log.info({ symbol: 'SPY' }, 'position opened');
    const lines = jsonLines(logFile);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'backtest', msg: 'position opened', symbol: 'SPY', level: 30 });
  });

  it('levels are case-insensitive and WARNING means warn: lower levels are dropped', () => {
    for (const level of ['WARNING', 'warning', 'Warn']) {
      const logFile = join(dir, `level-${level}.log`);
      const log = setupLogger({ name: 'risk', logFile, level, console: false });
      log.debug('debug line');
      log.info('info line');
      log.warn('warn line');
      log.error('error line');
      expect(jsonLines(logFile).map((l) => l['msg'])).toEqual(['warn line', 'error line']);
    }
  });

  it('DEBUG lets everything through; the default is INFO', () => {
    const debugFile = join(dir, 'debug.log');
    const debug = setupLogger({ name: 'x', logFile: debugFile, level: 'DEBUG', console: false });
    debug.debug('d');
    debug.info('i');
    expect(jsonLines(debugFile).map((l) => l['msg'])).toEqual(['d', 'i']);
    const defaultFile = join(dir, 'default.log');
    const byDefault = setupLogger({ name: 'x', logFile: defaultFile, console: false });
    byDefault.debug('d');
    byDefault.info('i');
    expect(jsonLines(defaultFile).map((l) => l['msg'])).toEqual(['i']);
  });

  it('SILENT writes nothing', () => {
    const logFile = join(dir, 'silent.log');
    const log = setupLogger({ name: 'x', logFile, level: 'silent', console: false });
    log.error('nope');
    expect(readFileSync(logFile, 'utf8')).toBe('');
  });

  it('console output is human-readable text (not JSON) on the given stream', () => {
    const capture = captureStream();
    const log = setupLogger({ name: 'cli', level: 'INFO', consoleStream: capture.stream, colorize: false });
    log.warn({ symbol: 'SPY' }, 'position limit reached');
    log.debug('hidden');
    const text = capture.text();
    expect(text).toContain('WARN');
    expect(text).toContain('(cli)');
    expect(text).toContain('position limit reached');
    expect(text).toContain('symbol: "SPY"');
    expect(text).not.toContain('hidden');
    expect(text.trimStart().startsWith('{')).toBe(false);
  });

  it('console: false writes nothing to the console stream', () => {
    const capture = captureStream();
    const log = setupLogger({ name: 'quiet', console: false, consoleStream: capture.stream });
    log.error('boom');
    expect(capture.text()).toBe('');
  });

  it('console and file together both receive the line', () => {
    const capture = captureStream();
    const logFile = join(dir, 'both.log');
    const log = setupLogger({ name: 'both', logFile, consoleStream: capture.stream, colorize: false });
    log.info('hello');
    expect(capture.text()).toContain('hello');
    expect(jsonLines(logFile)[0]).toMatchObject({ msg: 'hello' });
  });

  it('rejects a bad name or level, and a log folder that cannot be created', () => {
    expect(catchAlgoTradingError(() => setupLogger({ name: '' })).message).toBe('logger name must be a non-empty string, got ""');
    expect(catchAlgoTradingError(() => setupLogger(undefined as never)).details.field).toBe('name');
    expect(catchAlgoTradingError(() => setupLogger({ name: 'x', level: 'LOUD', console: false })).details).toEqual({ field: 'logging.level', value: 'LOUD' });
    // A file where a folder should be.
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'x');
    const logFile = join(blocker, 'sub', 'app.log');
    const error = catchAlgoTradingError(() => setupLogger({ name: 'x', logFile, console: false }));
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toBe(`cannot create the folder of log file ${logFile}`);
    expect(error.details).toEqual({ field: 'logFile', value: logFile });
  });

  it('the result serves the library Logger interface: each method logs at its pino level', () => {
    const logFile = join(dir, 'interface.log');
    const log: Logger = setupLogger({ name: 'x', logFile, level: 'DEBUG', console: false });
    log.debug('d');
    log.info({ k: 1 }, 'i');
    log.warn('w');
    log.error('e');
    // pino's numeric levels: debug 20, info 30, warn 40, error 50.
    expect(jsonLines(logFile).map((l) => [l['level'], l['msg']])).toEqual([
      [20, 'd'],
      [30, 'i'],
      [40, 'w'],
      [50, 'e'],
    ]);
    expect(jsonLines(logFile)[1]).toMatchObject({ k: 1 });
  });
});
