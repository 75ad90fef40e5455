/**
 * `@algo-trading/testing` (private): helpers shared by the test suites and benchmarks of the
 * workspace. TypeScript sources only, run through vitest or tsx.
 */
export { REDIS_AVAILABLE, REDIS_SKIP_REASON, startRedis, type RedisServer } from './redis-server';
