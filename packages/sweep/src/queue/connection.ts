import { AlgoTradingError } from '@algo-trading/core';
import { Redis } from 'ioredis';

/**
 * Redis connections of the queue (ioredis, as BullMQ uses it). Every connection gets an error
 * listener: ioredis prints unhandled connection errors otherwise, and a library never prints.
 */

/** Where the queue is: its Redis, its name and its key prefix (the same for the producer and the workers). */
export interface QueueConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  readonly url: string;
  /** How long the first connection may take before the URL is reported unreachable. Default 5000 ms. */
  readonly connectTimeoutMs?: number | undefined;
  /** Queue name shared by the producer and the workers. Default `algo-trading-sweep`. */
  readonly name?: string | undefined;
  /** Prefix of the Redis keys. Default `bull`. */
  readonly prefix?: string | undefined;
}

/** The URL with its password hidden, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Checks the form of a Redis URL.
 * @throws AlgoTradingError `INVALID_CONFIG` naming `queue.url`.
 */
export function validateRedisUrl(url: unknown): string {
  const fail = (why: string): never => {
    throw new AlgoTradingError('INVALID_CONFIG', `queue.url: ${why}, got ${JSON.stringify(url)} (expected redis://host:port/db)`, {
      details: { field: 'queue.url', value: typeof url === 'string' ? redactRedisUrl(url) : url },
    });
  };
  if (typeof url !== 'string' || url.trim() === '') return fail('expected a Redis URL');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return fail(`unsupported scheme ${parsed.protocol}`);
  if (parsed.hostname === '') return fail('no host');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return fail(`the database must be a number, not ${JSON.stringify(db)}`);
  return url;
}

/** Options of {@link createRedis}. */
export interface CreateRedisOptions {
  /** For BullMQ workers and queue events: commands wait for a reconnection instead of failing. */
  readonly blocking?: boolean | undefined;
  /** Receives connection errors (default: ignored; ioredis reconnects by itself). */
  readonly onError?: ((error: Error) => void) | undefined;
}

/** A Redis connection for BullMQ. */
export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: options.blocking === true ? null : 3, enableReadyCheck: true });
  client.on('error', (error: Error) => options.onError?.(error));
  return client;
}

/**
 * Connects to Redis once and pings it, before any work starts.
 * @throws AlgoTradingError `INVALID_CONFIG` for a malformed URL, `IO_ERROR` naming the URL
 *   (password hidden) when Redis does not answer within the timeout.
 */
export async function checkRedis(options: QueueConnectionOptions): Promise<void> {
  const url = validateRedisUrl(options.url);
  const timeout = options.connectTimeoutMs ?? 5000;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
      }),
    ]);
  } catch (cause) {
    const why = (lastError ?? (cause as Error))?.message ?? String(cause);
    throw new AlgoTradingError('IO_ERROR', `cannot reach Redis at ${redactRedisUrl(url)}: ${why}`, {
      cause,
      details: { field: 'queue.url', value: redactRedisUrl(url) },
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    client.disconnect();
  }
}
