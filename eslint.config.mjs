// Flat ESLint config for the whole workspace. Module boundaries are checked separately by
// tools/scripts/check-boundaries.mjs (run by `pnpm lint`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/.tsbuild/**', '**/node_modules/**', '**/.nx/**', '**/coverage/**', '**/test-artifacts/**', '**/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  {
    // Libraries never print; apps, tools and tests may.
    files: ['apps/**', 'tools/**', '**/*.test.ts', '**/*.bench.ts', '**/test/**'],
    rules: { 'no-console': 'off' },
  },
);
