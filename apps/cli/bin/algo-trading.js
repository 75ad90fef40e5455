#!/usr/bin/env node
// The `algo-trading` command: runs the built CLI (dist/cli.js). This file is committed, so that
// package managers can link the command when they install a workspace before it is built.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'algo-trading: the CLI is not built (dist/cli.js is missing). In the repository run `pnpm build`, ' +
      'or `pnpm algo-trading ...`, which builds it first.\n',
  );
  process.exit(1);
}
await import(entry.href);
