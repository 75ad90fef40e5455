import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runSweep } from '../src/index';

// The README example, verbatim apart from the assertions (it must keep working).
it(
  'README example runs',
  async () => {
    const progress: string[] = [];
    const result = await runSweep({
      spec: {
        strategy: '@algo-trading/strategies#smaCross',
        parameters: { fast: { from: 10, to: 50, step: 10 }, slow: [100, 150, 200] },
        constraints: ['fast < slow'],
        data: 'sample:sp500',
        engine: { initialCapital: 100_000, commissionPct: 0.001, slippageBps: 5 },
        risk: {},
        sizing: { method: 'fixed_fractional', riskFraction: 0.01 },
        objective: 'sharpeRatio',
      },
      workers: 2,
      onProgress: ({ done, total, ratePerSecond }) => progress.push(`${done}/${total} (${ratePerSecond.toFixed(1)}/s)`),
    });
    expect(result.rows.length).toBe(15);
    expect(progress.at(-1)).toMatch(/^15\/15 /);
    expect(result.summary.best?.params).toEqual(result.rows.find((r) => r.key === result.summary.best?.key)?.params);
    expect(result.summary.deflatedSharpe).toBeGreaterThanOrEqual(0);
    expect(result.summary.neighbourhood?.neighbours).toBeGreaterThan(0);
    expect(result.rows[0]!.metrics!['maxDrawdown']).toBeLessThanOrEqual(0);
  },
  240_000,
);

it('the README shows that example', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(readme).toContain("parameters: { fast: { from: 10, to: 50, step: 10 }, slow: [100, 150, 200] },");
  expect(readme).toContain("sizing: { method: 'fixed_fractional', riskFraction: 0.01 },");
});
