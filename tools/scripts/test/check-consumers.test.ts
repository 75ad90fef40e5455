// @long-running: packs every library and type-checks three consumer projects (started first, see tools/config/long-running-first.ts).
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_SETUPS, checkConsumers, type ConsumerResult } from '../src/check-consumers';

// Packs the built libraries (run after `pnpm build`, as CI does) and compiles and runs a consumer
// project per module setup against them. Slow by nature (one pack, one full type-check per
// setup): the timeout is generous and nothing here depends on how long it takes.
const TIMEOUT_MS = 20 * 60_000;
const root = resolve(import.meta.dirname, '../../..');

let results: ConsumerResult[] = [];
beforeAll(async () => {
  results = await checkConsumers({ root });
}, TIMEOUT_MS);

describe('consumer projects against the packed packages (strict, skipLibCheck false)', () => {
  it.each(CONSUMER_SETUPS.map((s) => s.name))('%s type-checks and runs', (name) => {
    const result = results.find((r) => r.setup === name);
    expect(result, `no result for ${name}`).toBeDefined();
    // The compiler's or the script's output is the failure message.
    expect(result!.output).toBe('');
    expect(result!.ok).toBe(true);
  });
});
