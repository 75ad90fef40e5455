import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AlgoTradingError } from '@algo-trading/core';

/**
 * Lazy access to optional peer dependencies (danfojs-node, vega-datasets): nothing is loaded at
 * import time; a missing package is an `UNSUPPORTED` error that says what to install.
 * `import.meta.url` is shimmed by tsup in the CJS build (`shims: true`).
 */

function localRequire(): NodeJS.Require {
  return createRequire(import.meta.url);
}

/**
 * Loads an optional CommonJS peer dependency synchronously. Throws `UNSUPPORTED` naming the
 * package, the feature that needs it and how to install it, when it is missing or fails to load.
 */
export function requireOptional<T>(name: string, feature: string, installHint = `npm install ${name}`): T {
  try {
    return localRequire()(name) as T;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const reason = code === 'MODULE_NOT_FOUND' ? 'is not installed' : `failed to load (${(cause as Error)?.message ?? String(cause)})`;
    throw new AlgoTradingError('UNSUPPORTED', `${feature} needs the optional peer dependency ${name}, which ${reason}: ${installHint}`, {
      cause,
      details: { field: name },
    });
  }
}

/**
 * The root folder of an installed package (the folder of its package.json), found from its main
 * entry (packages whose `exports` map hides `package.json` included). Throws `UNSUPPORTED` when the
 * package is not installed.
 */
export function resolvePackageRoot(name: string, feature: string, installHint = `npm install ${name}`): string {
  let entry: string;
  try {
    entry = localRequire().resolve(name);
  } catch (cause) {
    throw new AlgoTradingError('UNSUPPORTED', `${feature} needs the optional peer dependency ${name}, which is not installed: ${installHint}`, {
      cause,
      details: { field: name },
    });
  }
  let dir = dirname(entry);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === name) return dir;
      } catch {
        // Not a readable manifest: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new AlgoTradingError('UNSUPPORTED', `${feature}: cannot find the package.json of ${name} above ${entry}`, {
    details: { field: name, value: entry },
  });
}
