// Worker-thread entry of the report renderer when it runs from the TypeScript sources (this
// repository's tests, without a build): registers tsx's loader in this thread, then loads the
// TypeScript entry. Node 20 does not apply a `--import tsx` given in a worker's execArgv, so the
// registration happens here. The built CLI starts dist/report-thread.js instead.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const manifestPath = require.resolve('tsx/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const api = await import(pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default)).href);
api.register();
await import('./report-thread.ts');
