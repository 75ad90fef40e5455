import { defineProject, type ViteUserConfig } from 'vitest/config';

/** Resolve sibling workspace packages to their TypeScript sources, so tests need no prior build. */
export const sourceConditions = ['@algo-trading/source'];

/**
 * The vitest project configuration every package uses: colocated `src/**\/*.test.ts` plus
 * golden/regression tests in `test/`, Node environment, source resolution of siblings.
 */
export function defineTestProject(name: string, overrides: ViteUserConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      ...overrides,
    },
  });
}
