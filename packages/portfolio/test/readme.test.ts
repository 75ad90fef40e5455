import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as portfolio from '../src/index';

/** The README's example runs as written and prints what its comments say. */
describe('README example', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readme.split('## Example')[1]!.split('```ts')[1]!.split('```')[0]!;

  it('runs and prints the values in its comments', async () => {
    const printed: string[] = [];
    const body = example.replace(/^import[\s\S]*?from '@algo-trading\/portfolio';$/m, '');
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    const names = Object.keys(portfolio);
    await new AsyncFunction(...names, 'console', body)(
      ...names.map((n) => (portfolio as Record<string, unknown>)[n]),
      { log: (...args: unknown[]) => printed.push(format(...args)) },
    );
    const expected = [...example.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!);
    expect(expected.length).toBe(6);
    expect(printed).toEqual(expected);
  });
});
