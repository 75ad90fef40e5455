import { readFileSync } from 'node:fs';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/**
 * The README's standalone example runs as written and prints what the README says. (Its engine
 * example runs in the backtesting package's tests: the risk package does not depend on the engine.)
 */
describe('README examples', () => {
  it('standalone: runs and prints the documented values', () => {
    const example = readme.split('## Example')[1]!.split('```ts')[1]!.split('```')[0]!;
    const printed = readme.split('`getSummary()` prints:')[1]!.split('```')[1]!.trim();
    const logs: unknown[][] = [];
    const body = example.replace(/^import .*$/m, '');
    new Function('RiskManager', 'console', body)(RiskManager, { log: (...args: unknown[]) => logs.push(args) });
    expect(logs[0]).toEqual([true, []]);
    expect(logs[1]).toEqual(['take_profit', 105, 50, 50 / 30]);
    expect(logs[2]).toEqual([10_050, 0, 'NORMAL', 0]);
    expect(logs[3]).toEqual([printed]);
    // The comments next to each console.log state the same values.
    expect(example).toContain('// true []');
    expect(example).toContain(`// take_profit 105 50 ${50 / 30}`);
    expect(example).toContain('// 10050 0 NORMAL 0');
  });

  it('external risk scale: runs and prints the documented values', () => {
    const example = readme.split('## Example: an external risk scale')[1]!.split('```ts')[1]!.split('```')[0]!;
    const logs: unknown[][] = [];
    const body = example.replace(/^import .*$/m, '');
    new Function('RiskManager', 'console', body)(RiskManager, { log: (...args: unknown[]) => logs.push(args) });
    expect(logs).toEqual([[1], [0.5, 0.5], [0.8, 1]]);
    expect(example).toContain('// 1 (no mark yet)');
    expect(example).toContain('// 0.5 0.5 (NORMAL zone 1 x 0.5)');
    expect(example).toContain('// 0.8 1');
  });
});
