// Worker-thread bootstrap for packages running from their TypeScript sources (see
// thread-entry.ts): registers tsx's loader in this thread, then imports the TypeScript entry
// given as the thread's last argument and re-exports its default export (a piscina task handler).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const manifestPath = require.resolve('tsx/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const api = await import(pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default)).href);
api.register();
const entry = await import(pathToFileURL(process.argv[process.argv.length - 1]).href);

export default entry.default;
