import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isLogger, zLogger } from './logger-schema';
import { silentLogger } from './logger';

describe('isLogger', () => {
  it('accepts objects with debug, info, warn and error methods', () => {
    expect(isLogger(silentLogger)).toBe(true);
    expect(isLogger(console)).toBe(true);
  });
  it('rejects anything missing a method', () => {
    const noop = () => undefined;
    expect(isLogger({ debug: noop, info: noop, warn: noop })).toBe(false);
    expect(isLogger({ debug: noop, info: noop, warn: noop, error: 'x' })).toBe(false);
    expect(isLogger(null)).toBe(false);
    expect(isLogger('logger')).toBe(false);
  });
});

describe('zLogger', () => {
  const schema = z.strictObject({ logger: zLogger() });
  it('defaults to the silent logger', () => {
    expect(schema.parse({}).logger).toBe(silentLogger);
  });
  it('keeps a given logger and rejects a wrong value with a readable message', () => {
    expect(schema.parse({ logger: console }).logger).toBe(console);
    const result = schema.safeParse({ logger: 42 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('expected a Logger');
  });
});
